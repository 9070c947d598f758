//go:build unix

package recorder

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/google/go-cmp/cmp"
)

// fakeWebKit writes two shell scripts: an X server that reports display 99
// on the -displayfd descriptor and waits, and a MiniBrowser that prints a
// version when it sees that display, or records its arguments and
// environment, starts a child process and waits.
func fakeWebKit(t *testing.T) (w WebKitLauncher, dir string) {
	t.Helper()
	dir = t.TempDir()
	xvfb := filepath.Join(dir, "Xvfb")
	xscript := `#!/bin/sh
[ "$1" = "-displayfd" ] && [ "$2" = "3" ] || exit 2
echo $$ > "` + dir + `/xvfb"
echo 99 >&3
exec 3>&-
exec sleep 300
`
	browser := filepath.Join(dir, "MiniBrowser")
	bscript := `#!/bin/sh
if [ "$1" = "--version" ]; then
	[ "$DISPLAY" = ":99" ] || exit 3
	echo "WebKitGTK 9.9.9"
	exit 0
fi
printf '%s\n' "$DISPLAY" "$HOME" "$XDG_DATA_HOME" > "` + dir + `/env"
printf '%s\n' "$@" > "` + dir + `/args"
sleep 300 &
echo $! > "` + dir + `/child"
wait
`
	writeScript(t, xvfb, xscript)
	writeScript(t, browser, bscript)
	return WebKitLauncher{Binary: browser, Xvfb: xvfb}, dir
}

func TestWebKitVersion(t *testing.T) {
	t.Parallel()
	w, dir := fakeWebKit(t)
	got, err := w.Version(t.Context())
	if err != nil || got != "WebKitGTK 9.9.9" {
		t.Errorf("Version() = %q, %v; want the version line", got, err)
	}
	xvfb, err := strconv.Atoi(strings.TrimSpace(waitFile(t, filepath.Join(dir, "xvfb"))))
	if err != nil {
		t.Fatal(err)
	}
	waitGone(t, xvfb)
	w.Binary = filepath.Join(t.TempDir(), "missing")
	if _, err := w.Version(t.Context()); err == nil {
		t.Error("Version() of a missing binary succeeded")
	}
}

func TestWebKitSessionStopKillsGroups(t *testing.T) {
	t.Parallel()
	w, dir := fakeWebKit(t)
	w.Args = []string{"--extra"}
	sess, err := w.Open(t.Context(), "http://127.0.0.1:1/runner/page")
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "args"))), "\n")
	env := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "env"))), "\n")
	child, err := strconv.Atoi(strings.TrimSpace(waitFile(t, filepath.Join(dir, "child"))))
	if err != nil {
		t.Fatal(err)
	}
	xvfb, err := strconv.Atoi(strings.TrimSpace(waitFile(t, filepath.Join(dir, "xvfb"))))
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range append(webKitFlags, "--extra") {
		if !contains(args, flag) {
			t.Errorf("flag %s not passed; args = %q", flag, args)
		}
	}
	if args[len(args)-1] != "http://127.0.0.1:1/runner/page" {
		t.Errorf("last argument = %q; want the page URL", args[len(args)-1])
	}
	if len(env) != 3 || env[0] != ":99" {
		t.Fatalf("DISPLAY, HOME, XDG_DATA_HOME = %q; want the fake server's display :99", env)
	}
	home := env[1]
	if filepath.Dir(env[2]) != home {
		t.Errorf("XDG_DATA_HOME %q is not inside HOME %q", env[2], home)
	}
	if _, err := os.Stat(home); err != nil {
		t.Errorf("profile directory %q: %v", home, err)
	}
	if err := sess.Stop(); err != nil {
		t.Errorf("Stop() = %v", err)
	}
	if err := sess.Stop(); err != nil {
		t.Errorf("second Stop() = %v; want nil", err)
	}
	<-sess.Exited()
	waitGone(t, child)
	waitGone(t, xvfb)
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Errorf("profile directory left behind: %v", err)
	}
}

func TestWebKitBinary(t *testing.T) {
	t.Parallel()
	if got := (WebKitLauncher{Binary: "/x/MiniBrowser"}).binary(); got != "/x/MiniBrowser" {
		t.Errorf("binary() = %q; want the configured one", got)
	}
	if got := (WebKitLauncher{}).binary(); !contains(webKitBinaries, got) {
		t.Errorf("binary() = %q; want one of %q", got, webKitBinaries)
	}
}

func TestWebKitOpenLNA(t *testing.T) {
	t.Parallel()
	w, dir := fakeWebKit(t)
	setup := LNASetup{
		Config: conformance.LNA{Spaces: map[string]string{"A": "public"}, Grant: []string{"loopback-network"}},
		Spaces: []conformance.EndpointSpace{{Origin: "A", Endpoint: "127.0.0.1:1", Space: "public"}},
		Pages:  []string{"http://127.0.0.1:1"},
	}
	sess, applied, err := w.OpenLNA(t.Context(), "http://127.0.0.1:1/runner/page", setup)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	args := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "args"))), "\n")
	if diff := cmp.Diff(append(append([]string(nil), webKitFlags...), "http://127.0.0.1:1/runner/page"), args); diff != "" {
		t.Errorf("arguments (-want +got), as for every other scenario:\n%s", diff)
	}
	if len(applied) != 3 || !strings.Contains(applied[0], "spaces not applied") || !strings.Contains(applied[0], "127.0.0.1:1=public") ||
		!strings.Contains(applied[1], "grant not applied") || !strings.Contains(applied[2], "LocalNetworkAccess") {
		t.Errorf("applied = %q; want notes that neither spaces nor grants apply", applied)
	}
}
