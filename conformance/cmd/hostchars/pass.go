//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/conformance/recorder"
)

// A pass loads every candidate's page one way: through the HTTP proxy, or
// directly, with the browser resolving the names through the command's DNS
// server (in a process of its own: see runDirect).

// passResult is what a pass recorded: new URL() of every candidate, and
// the page loads (none in a pass that only parses).
type passResult struct {
	Parsed []parsed `json:"parsed"`
	Loads  []Load   `json:"loads"`
}

// result returns what the pass recorded; direct tells whether the browser
// resolved the names itself.
func (s *state) result(direct bool) *passResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &passResult{Parsed: s.parsed}
	if !s.parseOnly {
		for _, ld := range s.loads {
			r.Loads = append(r.Loads, makeLoad(ld, direct))
		}
	}
	return r
}

// The servers of the direct pass, on the loopback of its own network
// namespace: DNS at the port resolv.conf cannot change, the pages at the
// default port of http, so that no URL or origin of the pass has a port.
const (
	directIP   = "127.0.0.1"
	directDNS  = directIP + ":53"
	directHTTP = directIP + ":80"
)

// directSetup describes the direct pass for the "direct" field of an
// engine.
const directSetup = "the browser resolves the names itself: it runs in mount and network namespaces of its own (a loopback of its own, " +
	"nothing else), whose /etc/resolv.conf names a DNS server of the command at " + directDNS + ", which answers A queries for " +
	"hostchars.test, target.example and every name under attacker.test with " + directIP + " (an attacker's wildcard record), " +
	"where the command serves the pages at port 80"

// runProxied runs a pass through the HTTP proxy (a pass that only parses
// with parseOnly) and returns what it recorded and how the browser was
// sent through the proxy.
func runProxied(ctx context.Context, o options, chars []string, parseOnly bool) (*passResult, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	defer ln.Close()
	l, setup, err := launcher(o.engine, o.binary, ln.Addr().String())
	if err != nil {
		return nil, "", err
	}
	st := newState(chars, parseOnly)
	go st.serve(ln)
	err = drive(ctx, l, st, o, "http://"+controlHost+"/hc/go?i=%d")
	logLines(o, "proxy", st)
	if err != nil {
		return nil, "", fmt.Errorf("pass through the proxy: %w", err)
	}
	return st.result(false), setup, nil
}

// runDirect runs the direct pass in a child process: this command again,
// with -direct-child, in mount and network namespaces of its own (where
// it may replace /etc/resolv.conf for its browsers and serve ports 53 and
// 80 without touching the machine's), and returns what the child printed.
func runDirect(ctx context.Context, o options) (*passResult, error) {
	ns, err := namespaces()
	if err != nil {
		return nil, fmt.Errorf("direct pass: %w", err)
	}
	args := []string{"-direct-child", ns, "-engine", o.engine, "-browser", o.binary, "-only", o.only,
		"-timeout", o.timeout.String(), "-step-timeout", o.stepTimeout.String(), "-start-timeout", o.startGrace.String(),
		"-v=" + strconv.FormatBool(o.verbose)}
	cmd, err := directChild(ctx, args)
	if err != nil {
		return nil, fmt.Errorf("direct pass: %w", err)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("direct pass (in namespaces of its own, which needs root on Linux; -direct=false skips it): %w", err)
	}
	var r passResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return nil, fmt.Errorf("direct pass: %w", err)
	}
	return &r, nil
}

// runDirectChild is the direct pass, in the child process runDirect
// starts: it checks that its namespaces are not parentNS, brings up its
// loopback, puts a resolv.conf naming its DNS server over
// /etc/resolv.conf, serves the DNS and the pages, and prints what the pass
// recorded.
func runDirectChild(ctx context.Context, o options, chars []string, parentNS string) error {
	ns, err := namespaces()
	if err != nil {
		return err
	}
	if mine, parent := strings.Fields(ns), strings.Fields(parentNS); len(mine) != 2 || len(parent) != 2 || mine[0] == parent[0] || mine[1] == parent[1] {
		return fmt.Errorf("-direct-child: namespaces %q, the parent's %q: not touching /etc/resolv.conf", ns, parentNS)
	}
	if err := loopbackUp(); err != nil {
		return fmt.Errorf("bringing up the namespace's loopback: %w", err)
	}
	dir, err := os.MkdirTemp("", "hostchars-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := useResolver(dir, directIP); err != nil {
		return fmt.Errorf("replacing /etc/resolv.conf in the namespace: %w", err)
	}
	pc, err := net.ListenPacket("udp", directDNS)
	if err != nil {
		return err
	}
	defer pc.Close()
	ln, err := net.Listen("tcp", directHTTP)
	if err != nil {
		return err
	}
	defer ln.Close()
	l, _, err := launcher(o.engine, o.binary, "")
	if err != nil {
		return err
	}
	st := newState(chars, false)
	go serveDNS(pc, st)
	go st.serve(ln)
	err = drive(ctx, l, st, o, "http://"+controlHost+"/hc/go?i=%d")
	logLines(o, "direct", st)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(st.result(true))
}

// logLines prints the log of a pass with -v.
func logLines(o options, pass string, st *state) {
	if !o.verbose {
		return
	}
	for _, line := range st.logLines() {
		fmt.Fprintf(os.Stderr, "%s pass: %s\n", pass, line)
	}
}

// drive runs browsers until every candidate is done: a browser whose tab
// does not come back from a candidate's page within o.stepTimeout is
// stopped, and a fresh one goes on with the next candidate. startURL is
// the controlling page's URL with %d for the candidate.
func drive(ctx context.Context, l recorder.Launcher, st *state, o options, startURL string) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	start := 0
	for restarts := 0; ; restarts++ {
		if restarts > len(st.chars) {
			return errors.New("too many browser restarts")
		}
		stuck, err := runBrowser(ctx, l, st, fmt.Sprintf(startURL, start), o)
		if err != nil || stuck < 0 {
			return err
		}
		if o.verbose {
			fmt.Fprintf(os.Stderr, "candidate %d (%q): nothing came back within %v; a fresh browser goes on\n", stuck, st.chars[stuck], o.stepTimeout)
		}
		st.markStuck(stuck)
		start = stuck + 1
	}
}

// runBrowser opens a browser on pageURL and waits until the pass is done
// (it returns -1) or the tab is stuck at a candidate (it returns the
// candidate).
func runBrowser(ctx context.Context, l recorder.Launcher, st *state, pageURL string, o options) (int, error) {
	st.touch()
	_, pagesBefore, _, _ := st.progress()
	opened := time.Now()
	sess, err := l.Open(ctx, pageURL)
	if err != nil {
		return 0, err
	}
	defer sess.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	shown := -1
	for {
		select {
		case <-ctx.Done():
			cur, _, _, _ := st.progress()
			return 0, fmt.Errorf("%s: %w (at candidate %d)", l.Engine(), ctx.Err(), cur)
		case <-sess.Exited():
			return 0, fmt.Errorf("%s exited before the pass finished", l.Engine())
		case <-tick.C:
		}
		cur, pages, last, done := st.progress()
		switch {
		case done:
			return -1, nil
		case pages == pagesBefore && time.Since(opened) > o.startGrace:
			return 0, fmt.Errorf("%s did not load %s within %v", l.Engine(), pageURL, o.startGrace)
		case pages > pagesBefore && cur >= 0 && time.Since(last) > o.stepTimeout:
			return cur, nil
		}
		if o.verbose && cur != shown {
			fmt.Fprintf(os.Stderr, "candidate %d of %d\n", cur+1, len(st.chars))
			shown = cur
		}
	}
}
