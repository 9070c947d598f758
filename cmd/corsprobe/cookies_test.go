package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCookieSameSite checks that the browser's cookies are kept with their
// attributes, so that the profile applies SameSite, third-party blocking
// and partitions when it sends them: the page is another site than the
// API, and credentials are included.
func TestCookieSameSite(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	cookies := []string{
		"-cookie", "unset=1",
		"-cookie", "lax=2; SameSite=Lax",
		"-cookie", "none=3; SameSite=None; Secure",
		"-cookie", "chips=4; SameSite=None; Secure; Partitioned",
	}
	for _, tt := range []struct {
		browser, want, why string
	}{
		{browser: "spec", want: "none=3; chips=4", why: "RFC 6265bis: no SameSite is Lax, not sent cross-site"},
		{browser: "firefox", want: "chips=4", why: "third-party cookies partitioned: only the page's partition"},
		{browser: "chrome", want: "chips=4", why: "third-party cookies blocked: Partitioned ones only"},
		{browser: "safari", want: "unset=1", why: "WebKitGTK sends the cookies it holds cross-site (page-cookie-first-party-then-third-party), reads no SameSite as None, and sends Secure ones over https only"},
	} {
		t.Run(tt.browser, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"-json", "-origin", testPage, "-browser", tt.browser, "-credentials", "include"}, cookies...)
			_, out, errOut := runCORS(t, append(args, ts.api.URL+"/cookie")...)
			var r Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v\n%s%s", err, out, errOut)
			}
			if got := r.Steps[0].Exchange.Request.Headers.Get("Cookie"); got != tt.want {
				t.Errorf("Cookie sent = %q; want %q (%s)", got, tt.want, tt.why)
			}
			if r.Request.Cookies != 4 {
				t.Errorf("cookies = %d; want 4", r.Request.Cookies)
			}
		})
	}
}

// TestCookieFlagErrors checks that a -cookie or -cookie-file the store
// refuses is a usage error that names the flag and the cookie.
func TestCookieFlagErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("# ok\nexample.com\tFALSE\t/\tFALSE\tsoon\tn\tv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	suffix := filepath.Join(dir, "suffix.txt")
	if err := os.WriteFile(suffix, []byte(".co.uk\tTRUE\t/\tFALSE\t0\tn\tv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		flags []string
		want  string
	}{
		{flags: []string{"-cookie", "novalue"}, want: `-cookie "novalue": want NAME=VALUE`},
		{flags: []string{"-cookie", "__Host-a=1; Domain=api.example"}, want: "__Host-"},
		{flags: []string{"-cookie", "a=1; Domain=co.uk"}, want: "public suffix"},
		{flags: []string{"-cookie-file", bad}, want: "bad.txt: line 2: expiry field"},
		{flags: []string{"-cookie-file", suffix}, want: "suffix.txt: cookie \"n\""},
	} {
		args := append([]string{"-origin", testPage}, tt.flags...)
		code, _, errOut := runCLI(t, append(args, "https://api.example/")...)
		if code != exitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("corsprobe %q = exit %d, stderr %q; want exit 2 and %q", tt.flags, code, errOut, tt.want)
		}
	}
}

// TestCookieNoteSameSite checks the note that explains why a SameSite
// cookie was not sent with a cross-site request.
func TestCookieNoteSameSite(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	_, out, _ := runCORS(t, "-browser", "spec", "-origin", testPage, "-credentials", "include", "-cookie", "session=1", ts.api.URL+"/cookie")
	want := "The cookies given were not sent: the request is cross-site, and only cookies with SameSite=None (and Secure) go with it; Spec reads a cookie without SameSite as Lax."
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}
