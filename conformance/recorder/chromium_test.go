//go:build unix

package recorder

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeChromium writes a shell script that behaves like the chromium command
// as far as the recorder cares: it prints a version, or records its
// arguments, starts a child process and waits.
func fakeChromium(t *testing.T) (binary, dir string) {
	t.Helper()
	dir = t.TempDir()
	binary = filepath.Join(dir, "chromium")
	script := `#!/bin/sh
if [ "$1" = "--version" ]; then
	echo "noise from the launcher" >&2
	echo "Chromium 999.0.1 built on Test"
	exit 0
fi
printf '%s\n' "$@" > "` + dir + `/args"
sleep 300 &
echo $! > "` + dir + `/child"
wait
`
	writeScript(t, binary, script)
	return binary, dir
}

// writeScript writes an executable script. It holds syscall.ForkLock while
// the file is open for writing, as the syscall package asks of code that
// creates descriptors a fork could copy: a process that a parallel test
// forks in that moment would otherwise hold the descriptor, and running the
// script would fail with ETXTBSY ("text file busy") until it exits.
func writeScript(t *testing.T, path, script string) {
	t.Helper()
	syscall.ForkLock.RLock()
	err := os.WriteFile(path, []byte(script), 0o755)
	syscall.ForkLock.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
}

// waitFile waits for a file the script writes.
func waitFile(t *testing.T, path string) string {
	t.Helper()
	for range 200 {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 && b[len(b)-1] == '\n' {
			return string(b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never written", path)
	return ""
}

func TestChromiumVersion(t *testing.T) {
	t.Parallel()
	binary, _ := fakeChromium(t)
	got, err := ChromiumLauncher{Binary: binary}.Version(t.Context())
	if err != nil || got != "Chromium 999.0.1 built on Test" {
		t.Errorf("Version() = %q, %v; want the version line", got, err)
	}
	if _, err := (ChromiumLauncher{Binary: filepath.Join(t.TempDir(), "missing")}).Version(t.Context()); err == nil {
		t.Error("Version() of a missing binary succeeded")
	}
}

func TestChromiumSessionStopKillsGroup(t *testing.T) {
	t.Parallel()
	binary, dir := fakeChromium(t)
	sess, err := ChromiumLauncher{Binary: binary, Args: []string{"--extra"}}.Open(t.Context(), "http://127.0.0.1:1/runner/page")
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "args"))), "\n")
	child, err := strconv.Atoi(strings.TrimSpace(waitFile(t, filepath.Join(dir, "child"))))
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range append(chromiumFlags, "--extra") {
		if !contains(args, flag) {
			t.Errorf("flag %s not passed; args = %q", flag, args)
		}
	}
	if args[len(args)-1] != "http://127.0.0.1:1/runner/page" {
		t.Errorf("last argument = %q; want the page URL", args[len(args)-1])
	}
	var profile string
	for _, a := range args {
		if p, ok := strings.CutPrefix(a, "--user-data-dir="); ok {
			profile = p
		}
	}
	if _, err := os.Stat(profile); err != nil {
		t.Errorf("profile directory %q: %v", profile, err)
	}
	select {
	case <-sess.Exited():
		t.Fatal("browser exited by itself")
	default:
	}
	if err := sess.Stop(); err != nil {
		t.Errorf("Stop() = %v", err)
	}
	if err := sess.Stop(); err != nil {
		t.Errorf("second Stop() = %v; want nil", err)
	}
	<-sess.Exited()
	waitGone(t, child)
	if _, err := os.Stat(profile); !os.IsNotExist(err) {
		t.Errorf("profile directory left behind: %v", err)
	}
}

// waitGone fails t unless process pid ends soon. The process was in a
// stopped session's process group; it may linger as a zombie of init, which
// signal 0 cannot tell apart, so give it a moment to be reaped.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for range 100 {
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("process %d survived Stop", pid)
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
