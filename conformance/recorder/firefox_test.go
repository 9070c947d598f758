//go:build unix

package recorder

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeFirefox writes a shell script that behaves like the firefox-esr
// command as far as the recorder cares: it prints a version, or records its
// arguments and HOME, starts a child process and waits.
func fakeFirefox(t *testing.T) (binary, dir string) {
	t.Helper()
	dir = t.TempDir()
	binary = filepath.Join(dir, "firefox-esr")
	script := `#!/bin/sh
if [ "$1" = "--version" ]; then
	echo "Mozilla Firefox 999.0esr"
	exit 0
fi
printf '%s\n' "$HOME" > "` + dir + `/home"
printf '%s\n' "$@" > "` + dir + `/args"
sleep 300 &
echo $! > "` + dir + `/child"
wait
`
	writeScript(t, binary, script)
	return binary, dir
}

func TestFirefoxVersion(t *testing.T) {
	t.Parallel()
	binary, _ := fakeFirefox(t)
	got, err := FirefoxLauncher{Binary: binary}.Version(t.Context())
	if err != nil || got != "Mozilla Firefox 999.0esr" {
		t.Errorf("Version() = %q, %v; want the version line", got, err)
	}
	if _, err := (FirefoxLauncher{Binary: filepath.Join(t.TempDir(), "missing")}).Version(t.Context()); err == nil {
		t.Error("Version() of a missing binary succeeded")
	}
}

func TestFirefoxSessionStopKillsGroup(t *testing.T) {
	t.Parallel()
	binary, dir := fakeFirefox(t)
	sess, err := FirefoxLauncher{Binary: binary, Args: []string{"--extra"}}.Open(t.Context(), "http://127.0.0.1:1/runner/page")
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "args"))), "\n")
	home := strings.TrimSpace(waitFile(t, filepath.Join(dir, "home")))
	child, err := strconv.Atoi(strings.TrimSpace(waitFile(t, filepath.Join(dir, "child"))))
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range append(firefoxFlags, "--profile", "--extra") {
		if !contains(args, flag) {
			t.Errorf("flag %s not passed; args = %q", flag, args)
		}
	}
	if args[len(args)-1] != "http://127.0.0.1:1/runner/page" {
		t.Errorf("last argument = %q; want the page URL", args[len(args)-1])
	}
	var profile string
	for i, a := range args {
		if a == "--profile" && i+1 < len(args) {
			profile = args[i+1]
		}
	}
	if filepath.Dir(profile) != home {
		t.Errorf("profile %q is not inside HOME %q", profile, home)
	}
	userJS, err := os.ReadFile(filepath.Join(profile, "user.js"))
	if err != nil {
		t.Fatalf("user.js: %v", err)
	}
	for _, want := range []string{
		`user_pref("app.update.auto", false);`,
		`user_pref("network.trr.mode", 5);`,
		`user_pref("services.settings.server", "data:,#remote-settings-dummy/v1");`,
	} {
		if !strings.Contains(string(userJS), want) {
			t.Errorf("user.js lacks %s", want)
		}
	}
	if err := sess.Stop(); err != nil {
		t.Errorf("Stop() = %v", err)
	}
	if err := sess.Stop(); err != nil {
		t.Errorf("second Stop() = %v; want nil", err)
	}
	<-sess.Exited()
	waitGone(t, child)
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Errorf("profile directory left behind: %v", err)
	}
}

func TestFirefoxRunsOneScenarioAtATime(t *testing.T) {
	t.Parallel()
	if got := (FirefoxLauncher{}).DefaultParallel(); got != 1 {
		t.Errorf("DefaultParallel() = %d; want 1", got)
	}
}
