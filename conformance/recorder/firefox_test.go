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

func TestFirefoxOpenLNA(t *testing.T) {
	t.Parallel()
	binary, dir := fakeFirefox(t)
	f := FirefoxLauncher{Binary: binary, LNAPrefs: []Pref{{Name: "network.lna.blocking", Value: false}}}
	setup := LNASetup{
		Config: conformance.LNA{Spaces: map[string]string{"A": "public", "B": "local", "C": "loopback"}, Grant: []string{"loopback-network", "local-network-access"}},
		Spaces: []conformance.EndpointSpace{{Origin: "A", Endpoint: "127.0.0.1:1", Space: "public"}, {Origin: "B", Endpoint: "127.0.0.2:2", Space: "local"}, {Origin: "C", Endpoint: "127.0.0.3:3", Space: "loopback"}},
		Pages:  []string{"http://127.0.0.1:1", "http://127.0.0.3:3"},
	}
	sess, applied, err := f.OpenLNA(t.Context(), "http://127.0.0.1:1/runner/page", setup)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	profile, got := profileUserJS(t, dir)
	wantPrefs := []string{
		`user_pref("network.lna.address_space.public.override", "127.0.0.1:1");`,
		`user_pref("network.lna.address_space.private.override", "127.0.0.2:2");`,
		`user_pref("network.lna.address_space.local.override", "127.0.0.3:3");`,
		`user_pref("network.lna.prompt.timeout", 1000);`,
		`user_pref("permissions.manager.defaultsUrl", "file://` + profile + `/lna-permissions");`,
		`user_pref("network.lna.blocking", false);`,
	}
	if got != userJS()+strings.Join(wantPrefs, "\n")+"\n" {
		t.Errorf("user.js = %s; want the recorder's preferences, then\n%s", got, strings.Join(wantPrefs, "\n"))
	}
	perms, err := os.ReadFile(filepath.Join(profile, "lna-permissions"))
	if want := "origin\tloopback-network\t1\thttp://127.0.0.1:1\norigin\tloopback-network\t1\thttp://127.0.0.3:3\n"; err != nil || string(perms) != want {
		t.Errorf("lna-permissions = %q, %v; want %q", perms, err, want)
	}
	wantApplied := append(wantPrefs[:4:4],
		`user_pref("permissions.manager.defaultsUrl", "file://<profile>/lna-permissions");`,
		`user_pref("network.lna.blocking", false);`,
		"grant local-network-access not applied: Firefox has no such permission",
		"lna-permissions: origin loopback-network 1 http://127.0.0.1:1",
		"lna-permissions: origin loopback-network 1 http://127.0.0.3:3",
	)
	if diff := cmp.Diff(wantApplied, applied); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}
}

func TestFirefoxOpenLNANoGrant(t *testing.T) {
	t.Parallel()
	binary, dir := fakeFirefox(t)
	sess, applied, err := FirefoxLauncher{Binary: binary}.OpenLNA(t.Context(), "http://127.0.0.1:1/runner/page", LNASetup{Pages: []string{"http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	waitFile(t, filepath.Join(dir, "args"))
	if want := []string{`user_pref("network.lna.prompt.timeout", 1000);`}; !cmp.Equal(want, applied) {
		t.Errorf("applied = %q; want %q: no override, no grant", applied, want)
	}
}

// profileUserJS waits for the fake Firefox's arguments and returns the
// profile they name and its user.js.
func profileUserJS(t *testing.T, dir string) (profile, js string) {
	t.Helper()
	args := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "args"))), "\n")
	for i, a := range args {
		if a == "--profile" && i+1 < len(args) {
			profile = args[i+1]
		}
	}
	got, err := os.ReadFile(filepath.Join(profile, "user.js"))
	if err != nil {
		t.Fatalf("user.js: %v", err)
	}
	return profile, string(got)
}

func TestFirefoxOpenPrefs(t *testing.T) {
	t.Parallel()
	prefs := []Pref{{Name: "network.proxy.type", Value: 1}, {Name: "network.proxy.http", Value: "127.0.0.1"}}
	binary, dir := fakeFirefox(t)
	sess, err := FirefoxLauncher{Binary: binary, Prefs: prefs}.Open(t.Context(), "http://127.0.0.1:1/runner/page")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	want := userJS() + `user_pref("network.proxy.type", 1);` + "\n" + `user_pref("network.proxy.http", "127.0.0.1");` + "\n"
	if _, got := profileUserJS(t, dir); got != want {
		t.Errorf("user.js = %s; want the recorder's preferences, then Prefs:\n%s", got, want)
	}
	binary, dir = fakeFirefox(t)
	lna, _, err := FirefoxLauncher{Binary: binary, Prefs: prefs}.OpenLNA(t.Context(), "http://127.0.0.1:1/runner/page", LNASetup{Pages: []string{"http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer lna.Stop()
	if _, got := profileUserJS(t, dir); strings.Contains(got, "network.proxy.http") {
		t.Errorf("OpenLNA's user.js has Prefs: %s", got)
	}
}

func TestParsePref(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Pref
		wantErr bool
	}{
		{in: "network.lna.blocking=false", want: Pref{Name: "network.lna.blocking", Value: false}},
		{in: "a=true", want: Pref{Name: "a", Value: true}},
		{in: "a=-12", want: Pref{Name: "a", Value: -12}},
		{in: "a=127.0.0.1:80", want: Pref{Name: "a", Value: "127.0.0.1:80"}},
		{in: `a="1"`, want: Pref{Name: "a", Value: "1"}},
		{in: "a=", want: Pref{Name: "a", Value: ""}},
		{in: "a", wantErr: true},
		{in: "=1", wantErr: true},
		{in: `a"b=1`, wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParsePref(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && !cmp.Equal(tt.want, got)) {
			t.Errorf("ParsePref(%q) = %+v, %v; want %+v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if got, want := (Pref{Name: "a", Value: "x\"y"}).line(), `user_pref("a", "x\"y");`; got != want {
		t.Errorf("line() = %s; want %s", got, want)
	}
}
