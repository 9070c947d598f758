package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

// binary builds corsprobe once for the end-to-end tests.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "corsprobe-e2e")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "corsprobe")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// exitCode runs the binary and returns its exit status and output.
func exitCode(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	t.Fatalf("run %v: %v", args, err)
	return 0, "", ""
}

// TestBinary runs the built command against httptest servers and checks
// the exit statuses and that output to a pipe has no colour.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	t.Parallel()
	ts := newTestServers(t)
	for _, tt := range []struct {
		name string
		args []string
		exit int
		want string
	}{
		{name: "allowed", args: []string{"-page-address-space", "unknown", "-origin", testPage, ts.api.URL + "/open"}, exit: 0, want: "ALLOWED"},
		{name: "blocked", args: []string{"-page-address-space", "unknown", "-origin", testPage, "-credentials", "include", ts.api.URL + "/private"}, exit: 1, want: "WildcardOriginNotAllowed"},
		{name: "blocked preflight", args: []string{"-page-address-space", "unknown", "-origin", testPage, "-X", "PUT", "-H", "Content-Type: application/json", "-d", "{}", ts.api.URL + "/items/1"}, exit: 1, want: "Response to preflight request"},
		{name: "local network access", args: []string{"-origin", testPage, ts.api.URL + "/open"}, exit: 1, want: "LocalNetworkAccessPermissionDenied"},
		{name: "local network access granted", args: []string{"-origin", testPage, "-grant", "loopback-network", ts.api.URL + "/open"}, exit: 0, want: "ALLOWED"},
		{name: "usage: bad grant", args: []string{"-origin", testPage, "-grant", "camera", ts.api.URL + "/open"}, exit: 2, want: ""},
		{name: "usage: no origin", args: []string{ts.api.URL + "/open"}, exit: 2, want: ""},
		{name: "usage: bad flag", args: []string{"-origin", testPage, "-mode", "nope", ts.api.URL + "/open"}, exit: 2, want: ""},
		{name: "help", args: []string{"-h"}, exit: 0, want: ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := exitCode(t, tt.args...)
			if code != tt.exit {
				t.Errorf("exit status %d; want %d\nstdout: %s\nstderr: %s", code, tt.exit, out, errOut)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("stdout lacks %q:\n%s", tt.want, out)
			}
			if strings.Contains(out, "\x1b[") {
				t.Errorf("colour escapes in output to a pipe:\n%q", out)
			}
		})
	}
}

// TestBinaryNetworkError checks exit status 2 for a refused connection. It
// is not parallel: the port it closes must not be taken by another test's
// server before the probe.
func TestBinaryNetworkError(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	code, out, errOut := exitCode(t, "-page-address-space", "unknown", "-origin", testPage, u+"/")
	if code != 2 || !strings.Contains(out, "NETWORK ERROR") {
		t.Errorf("exit status %d, output %q %q; want 2 and NETWORK ERROR", code, out, errOut)
	}
}

// TestBinaryJSON checks that -json output is one document of the schema.
func TestBinaryJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	t.Parallel()
	ts := newTestServers(t)
	code, out, _ := exitCode(t, "-json", "-page-address-space", "unknown", "-origin", testPage, "-credentials", "include", ts.api.URL+"/private")
	if code != 1 {
		t.Errorf("exit status %d; want 1", code)
	}
	var r Report
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if r.Schema != schemaVersion || r.Verdict.Outcome != outcomeBlocked || r.Verdict.Error.Reason != "WildcardOriginNotAllowed" {
		t.Errorf("report = schema %q, outcome %q, error %+v", r.Schema, r.Verdict.Outcome, r.Verdict.Error)
	}
}

// TestBinaryDemo runs `corsprobe demo` as a user would and expects exit
// status 0 and the summary.
func TestBinaryDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	t.Parallel()
	code, out, errOut := exitCode(t, "demo")
	if code != 0 {
		t.Fatalf("demo exit status %d; want 0\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "every case ended as expected") {
		t.Errorf("demo output lacks the summary:\n%s", out)
	}
}
