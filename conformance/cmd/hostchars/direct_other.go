//go:build unix && !linux

package main

import (
	"context"
	"errors"
	"os/exec"
)

var errNoNamespace = errors.New("the direct pass needs Linux namespaces; -direct=false skips it")

func directChild(ctx context.Context, args []string) (*exec.Cmd, error) {
	return nil, errNoNamespace
}

func namespaces() (string, error) { return "", errNoNamespace }

func useResolver(dir, ip string) error { return errNoNamespace }

func loopbackUp() error { return errNoNamespace }
