package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/internal/golden"
)

// testServers are an API and another origin on loopback, serving the demo's
// endpoints (for a page at testPage) plus a few of the tests' own.
type testServers struct {
	api, other *httptest.Server
}

// testPage is the page origin of the tests: another site than the servers.
const testPage = "https://app.example"

func newTestServers(t *testing.T) *testServers {
	t.Helper()
	ts := &testServers{}
	var sites demoSites
	mux := http.NewServeMux()
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiHandler(sites).ServeHTTP(w, r)
	}))
	mux.HandleFunc("/null", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "null")
		writeJSONBody(w, `{}`)
	})
	mux.HandleFunc("/cookie", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		writeJSONBody(w, `{"cookie":"`+r.Header.Get("Cookie")+`"}`)
	})
	mux.HandleFunc("/preflight-redirect", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		http.Redirect(w, r, "/preflight-redirect/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET")
			w.Header().Set("Access-Control-Allow-Headers", "x-api-key")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSONBody(w, `{}`)
	})
	// Unstarted, so that sites is complete before any handler reads it.
	ts.api = httptest.NewUnstartedServer(noDate(mux))
	ts.other = httptest.NewUnstartedServer(noDate(otherHandler(demoSites{page: testPage})))
	sites = demoSites{page: testPage, api: "http://" + ts.api.Listener.Addr().String(), other: "http://" + ts.other.Listener.Addr().String()}
	ts.api.Start()
	ts.other.Start()
	t.Cleanup(ts.api.Close)
	t.Cleanup(ts.other.Close)
	return ts
}

// normalize replaces the servers' addresses, which change from run to
// run, with fixed names.
func (ts *testServers) normalize(s string) string {
	s = strings.ReplaceAll(s, ts.api.URL, "http://API")
	s = strings.ReplaceAll(s, ts.other.URL, "http://OTHER")
	return s
}

// runCLI runs corsprobe in process and returns its exit status and output.
// Host names resolve through testResolver, never the network.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &env{stdout: &stdout, stderr: &stderr, stdin: strings.NewReader(""), resolver: testResolver})
	return code, stdout.String(), stderr.String()
}

// runCORS runs corsprobe as runCLI does, with -page-address-space unknown
// first: the test servers run on loopback and testPage is a name, for
// which corsprobe's default would make the Local Network Access check
// block every fetch before CORS. The tests of CORS probe as if the page
// were served from the servers' network; those of Local Network Access
// (lna_test.go) use runCLI.
func runCORS(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCLI(t, append([]string{"-page-address-space", "unknown"}, args...)...)
}

// TestGolden checks the human output, and the exit status, of probes of
// the common setups. Every verdict is the Transport's.
func TestGolden(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	tests := []struct {
		name string
		args []string
		exit int
	}{
		{name: "open", args: []string{"/open"}, exit: exitAllowed},
		{name: "allowlist-credentials", args: []string{"-credentials", "include", "/account"}, exit: exitAllowed},
		{name: "no-preflight-support", args: []string{"-X", "PUT", "-H", "Content-Type: application/json", "-d", `{"a":1}`, "/items/1"}, exit: exitBlocked},
		{name: "wildcard-credentials", args: []string{"-credentials", "include", "/private"}, exit: exitBlocked},
		{name: "redirect-other-origin", args: []string{"/moved"}, exit: exitBlocked},
		{name: "not-exposed", args: []string{"/report"}, exit: exitAllowed},
		{name: "reflect", args: []string{"-credentials", "include", "/reflect"}, exit: exitAllowed},
		{name: "max-age", args: []string{"-X", "PUT", "-H", "Content-Type: application/json", "-d", "{}", "-credentials", "include", "/settings"}, exit: exitAllowed},
		{name: "null-allowed", args: []string{"/null"}, exit: exitBlocked},
		{name: "preflight-redirect", args: []string{"-X", "DELETE", "/preflight-redirect"}, exit: exitBlocked},
		{name: "header-disallowed", args: []string{"-H", "X-Api-Key: k", "-H", "X-Trace: 1", "/headers"}, exit: exitBlocked},
		{name: "dropped-cookie-header", args: []string{"-H", "Cookie: a=b", "/open"}, exit: exitAllowed},
		{name: "cookie-cross-site", args: []string{"-cookie", "session=abc", "-credentials", "include", "/cookie"}, exit: exitAllowed},
		{name: "verbose", args: []string{"-v", "/open"}, exit: exitAllowed},
		{name: "no-cors", args: []string{"-mode", "no-cors", "/account"}, exit: exitAllowed},
		{name: "firefox", args: []string{"-browser", "firefox", "-X", "PATCH", "/items/1"}, exit: exitBlocked},
		{name: "cacheable-without-vary", args: []string{"/catalog"}, exit: exitAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkGolden(t, runCORS, ts.normalize, ts.api.URL, tt.name, tt.exit, append([]string{"-origin", testPage}, tt.args...)...)
		})
	}
}

// checkGolden runs the command with run and args, the last one a path that
// is made a URL of api, and checks its exit status and its output,
// normalized, against testdata/name.golden.
func checkGolden(t *testing.T, run func(*testing.T, ...string) (int, string, string), normalize func(string) string, api, name string, exit int, args ...string) {
	t.Helper()
	args = append([]string(nil), args...)
	args[len(args)-1] = api + args[len(args)-1]
	code, out, errOut := run(t, args...)
	if code != exit {
		t.Errorf("exit status %d; want %d\nstderr: %s", code, exit, errOut)
	}
	golden.Check(t, filepath.Join("testdata", name+".golden"), normalize(out))
}

// TestSameSiteCookie checks that a cookie given with -cookie reaches a
// same-site server with credentials included (the page is on the servers'
// host, another port).
func TestSameSiteCookie(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	code, out, _ := runCLI(t, "-json", "-origin", "http://127.0.0.1", "-credentials", "include", "-cookie", "session=abc", ts.api.URL+"/cookie")
	if code != exitAllowed {
		t.Fatalf("exit status %d; want 0\n%s", code, out)
	}
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if got := r.Steps[0].Exchange.Request.Headers.Get("Cookie"); got != "session=abc" {
		t.Errorf("Cookie sent = %q; want %q", got, "session=abc")
	}
	if r.Verdict.Response.BodyBytes != int64(len(`{"cookie":"session=abc"}`)+1) {
		t.Errorf("body_bytes = %d; the server did not echo the cookie", r.Verdict.Response.BodyBytes)
	}
}

// TestJSONGolden pins the JSON document: a change to a field name or to
// the structure shows here. Fields may be added within schema corsprobe/v1,
// not removed or renamed.
func TestJSONGolden(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	for _, tt := range []struct {
		name string
		args []string
	}{
		{name: "json-preflight", args: []string{"-X", "PUT", "-H", "Content-Type: application/json", "-d", "{}", "-credentials", "include", "/settings"}},
		{name: "json-redirect", args: []string{"/moved"}},
		{name: "json-blocked-preflight", args: []string{"-X", "PUT", "-H", "Content-Type: application/json", "-d", "{}", "/items/1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"-json", "-origin", testPage}, tt.args...)
			args[len(args)-1] = ts.api.URL + args[len(args)-1]
			_, out, _ := runCORS(t, args...)
			golden.Check(t, filepath.Join("testdata", tt.name+".golden"), ts.normalize(out))
		})
	}
}

// TestJSONFields checks that every field of the document is always
// present, null or empty when it does not apply, as the package doc says.
func TestJSONFields(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	_, out, _ := runCORS(t, "-json", "-origin", testPage, ts.api.URL+"/open")
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{"schema", "browser", "origin", "request", "steps", "verdict", "fixes", "warnings", "notes", "reflection_check", "vary_check", "lna"}
	if got := keys(doc); !reflect.DeepEqual(got, sorted(want)) {
		t.Errorf("top-level fields = %v; want %v", got, sorted(want))
	}
	if doc["schema"] != schemaVersion {
		t.Errorf("schema = %v; want %q", doc["schema"], schemaVersion)
	}
	if doc["lna"] != nil {
		t.Errorf("lna = %#v; want null: no Local Network Access check ran", doc["lna"])
	}
	if ta, ok := doc["request"].(map[string]any)["target_address_space"]; !ok || ta != "" {
		t.Errorf("request.target_address_space = %#v; want \"\"", ta)
	}
	for _, f := range []string{"fixes", "warnings", "notes", "steps"} {
		if _, ok := doc[f].([]any); !ok {
			t.Errorf("%s = %#v; want an array, never null", f, doc[f])
		}
	}
	verdict := doc["verdict"].(map[string]any)
	if got := keys(verdict); !reflect.DeepEqual(got, []string{"error", "outcome", "response"}) {
		t.Errorf("verdict fields = %v", got)
	}
	step := doc["steps"].([]any)[0].(map[string]any)
	if got := keys(step); !reflect.DeepEqual(got, []string{"cache_lookup", "cache_store", "dropped_header", "exchange", "kind", "redirect"}) {
		t.Errorf("step fields = %v", got)
	}
}

func keys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// TestDemoGolden runs the demo in process and compares its output, with
// the ports replaced.
func TestDemoGolden(t *testing.T) {
	t.Parallel()
	d, err := startDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	var stdout, stderr bytes.Buffer
	code := demo(context.Background(), d.sites, fetch.Chrome, false, &env{stdout: &stdout, stderr: &stderr})
	if code != exitAllowed {
		t.Fatalf("demo exit status %d; want 0\n%s\n%s", code, stdout.String(), stderr.String())
	}
	if d.sites.fallback != "" {
		t.Skipf("demo ran in its fallback set-up (%s); the golden file is for 127.0.0.2", d.sites.fallback)
	}
	out := stdout.String()
	out = strings.ReplaceAll(out, d.sites.page, "http://127.0.0.1:PAGE")
	out = strings.ReplaceAll(out, d.sites.api, "http://127.0.0.2:API")
	out = strings.ReplaceAll(out, d.sites.other, "http://127.0.0.2:OTHER")
	// The Local Network Access case names the API's address without the
	// scheme.
	out = strings.ReplaceAll(out, strings.TrimPrefix(d.sites.api, "http://"), "127.0.0.2:API")
	golden.Check(t, filepath.Join("testdata", "demo.golden"), out)
}

// TestUsageErrors checks that bad command lines exit 2 with a message.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{args: []string{"https://api.example/"}, want: "-origin is required"},
		{args: []string{"-origin", testPage}, want: "want exactly one URL"},
		{args: []string{"-origin", testPage, "a", "b"}, want: "want exactly one URL"},
		{args: []string{"-origin", "not an origin", "https://api.example/"}, want: "-origin"},
		{args: []string{"-origin", testPage, "/relative"}, want: "absolute"},
		{args: []string{"-origin", testPage, "-mode", "navigate", "https://api.example/"}, want: "-mode"},
		{args: []string{"-origin", testPage, "-credentials", "yes", "https://api.example/"}, want: "-credentials"},
		{args: []string{"-origin", testPage, "-redirect", "never", "https://api.example/"}, want: "-redirect"},
		{args: []string{"-origin", testPage, "-browser", "opera", "https://api.example/"}, want: "-browser"},
		{args: []string{"demo", "-browser", "opera"}, want: "-browser"},
		{args: []string{"-origin", testPage, "-H", "NoColon", "https://api.example/"}, want: "-H"},
		{args: []string{"-origin", testPage, "-cookie", "novalue", "https://api.example/"}, want: "-cookie"},
		{args: []string{"-origin", testPage, "-cookie-file", "testdata/missing.txt", "https://api.example/"}, want: "-cookie-file"},
		{args: []string{"-origin", testPage, "-nosuchflag", "https://api.example/"}, want: "not defined"},
		{args: []string{"demo", "extra"}, want: "unexpected argument"},
	} {
		code, _, errOut := runCLI(t, tt.args...)
		if code != exitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("corsprobe %q = exit %d, stderr %q; want exit 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestOptionFlags checks that -mode, -credentials, -redirect and -browser
// take the names fetch() and fetch.ProfileByName take, and that an invalid
// value is reported with the flag, the value and the names expected.
func TestOptionFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		flags   []string
		want    fetch.Options
		browser string // the profile's Name
	}{
		{flags: nil, want: fetch.Options{}, browser: "Chrome"},
		{
			flags:   []string{"-mode", "no-cors", "-credentials", "include", "-redirect", "manual", "-browser", "firefox"},
			want:    fetch.Options{Mode: fetch.ModeNoCORS, Credentials: fetch.CredentialsInclude, Redirect: fetch.RedirectManual},
			browser: "Firefox",
		},
		{
			flags:   []string{"-mode", "same-origin", "-credentials", "omit", "-redirect", "error", "-browser", "WebKit"},
			want:    fetch.Options{Mode: fetch.ModeSameOrigin, Credentials: fetch.CredentialsOmit, Redirect: fetch.RedirectError},
			browser: "Safari",
		},
		{flags: []string{"-browser", "chromium"}, want: fetch.Options{}, browser: "Chrome"},
		{flags: []string{"-browser", "Spec"}, want: fetch.Options{}, browser: "Spec"},
	} {
		args := append([]string{"-origin", testPage}, tt.flags...)
		cfg, err := parseArgs(append(args, "https://api.example/"), &env{stderr: io.Discard})
		if err != nil {
			t.Errorf("parseArgs(%q): %v", tt.flags, err)
			continue
		}
		if cfg.req.Options != tt.want || cfg.browser.Name != tt.browser {
			t.Errorf("parseArgs(%q) = options %+v, browser %s; want %+v, %s", tt.flags, cfg.req.Options, cfg.browser.Name, tt.want, tt.browser)
		}
	}
	for _, tt := range []struct {
		flags []string
		want  []string // in the message
	}{
		{flags: []string{"-mode", "navigate"}, want: []string{"-mode", `"navigate"`, "no-cors"}},
		{flags: []string{"-mode", "CORS"}, want: []string{"-mode", `"CORS"`, "cors"}},
		{flags: []string{"-credentials", "yes"}, want: []string{"-credentials", `"yes"`, "same-origin", "omit", "include"}},
		{flags: []string{"-redirect", "never"}, want: []string{"-redirect", `"never"`, "follow", "error", "manual"}},
		{flags: []string{"-browser", "opera"}, want: []string{"-browser", `"opera"`, "chrome", "firefox", "safari", "spec"}},
	} {
		args := append([]string{"-origin", testPage}, tt.flags...)
		_, err := parseArgs(append(args, "https://api.example/"), &env{stderr: io.Discard})
		if err == nil {
			t.Errorf("parseArgs(%q) succeeded; want an error", tt.flags)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("parseArgs(%q) = %q; want it to contain %s", tt.flags, err, w)
			}
		}
	}
}

// TestConsoleWording checks that the console line of a blocked fetch is
// the profile's engine's, and that the text says so when it is Chrome's
// instead: under Spec, and for a failure Firefox logs no line for.
func TestConsoleWording(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		browser, says, line string
	}{
		{browser: "chrome", says: "The console says:\n", line: "  Access to fetch at 'https://api.example/x' from origin"},
		{browser: "safari", says: "The console says:\n", line: "  Fetch API cannot load https://api.example/x."},
		{browser: "firefox", says: "The console says (in Chrome's words):\n", line: "  Access to fetch at"},
		{browser: "spec", says: "The console says (in Chrome's words):\n", line: "  Access to fetch at"},
	} {
		code, out, errOut := runCLI(t, "-origin", testPage, "-browser", tt.browser, "-mode", "same-origin", "https://api.example/x")
		if code != exitBlocked || !strings.Contains(out, tt.says+tt.line) {
			t.Errorf("-browser %s: exit %d, output\n%s%s\nwant exit 1 and %q", tt.browser, code, out, errOut, tt.says+tt.line)
		}
	}
}

// TestURLAfterFlagsOrBefore checks that flags may follow the URL.
func TestURLAfterFlagsOrBefore(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	code, out, errOut := runCORS(t, ts.api.URL+"/open", "-origin", testPage, "-json")
	if code != exitAllowed || !strings.HasPrefix(out, "{") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and JSON", code, out, errOut)
	}
}

// TestNetworkError checks that a refused connection is exit status 2 and
// outcome "error". It is not parallel: the port it closes must not be
// taken by another test's server before the probe.
func TestNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	code, out, _ := runCORS(t, "-json", "-origin", testPage, url+"/")
	if code != exitError {
		t.Errorf("exit status %d; want 2", code)
	}
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Verdict.Outcome != outcomeError || r.Verdict.Error.Reason != "Network" || r.Verdict.Error.Cause == "" {
		t.Errorf("verdict = %+v; want outcome error, reason Network and a cause", r.Verdict.Error)
	}
}

// TestReflectionCheckDoesNotRepeatUnsafe checks that the reflection check
// sends a PUT's preflight but never the PUT itself.
func TestReflectionCheckDoesNotRepeatUnsafe(t *testing.T) {
	t.Parallel()
	var puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Methods", "PUT")
		if r.Method == http.MethodPut {
			puts.Add(1)
		}
	}))
	defer srv.Close()
	code, out, _ := runCORS(t, "-json", "-origin", testPage, "-X", "PUT", srv.URL+"/x")
	if code != exitAllowed {
		t.Fatalf("exit status %d; want 0", code)
	}
	if n := puts.Load(); n != 1 {
		t.Errorf("the server got %d PUTs; want 1 (the probe's own)", n)
	}
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if rc := r.ReflectionCheck; rc == nil || rc.Requests != 1 || !rc.Reflected || rc.AllowCredentials {
		t.Errorf("reflection_check = %+v; want 1 request (the preflight), reflected, without credentials", rc)
	}
}

// TestCookieFile checks that -cookie-file feeds the browser's jar.
func TestCookieFile(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	path := filepath.Join(t.TempDir(), "cookies.txt")
	if err := os.WriteFile(path, []byte("127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tfromfile\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI(t, "-json", "-origin", "http://127.0.0.1", "-credentials", "include", "-cookie-file", path, ts.api.URL+"/cookie")
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if got := r.Steps[0].Exchange.Request.Headers.Get("Cookie"); got != "sid=fromfile" || r.Request.Cookies != 1 {
		t.Errorf("Cookie sent = %q, cookies = %d; want sid=fromfile and 1", got, r.Request.Cookies)
	}
}

// TestColour is not parallel: it sets NO_COLOR.
func TestColour(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if colourFor(f) {
		t.Error("colourFor(regular file) = true; want false")
	}
	t.Setenv("NO_COLOR", "1")
	if colourFor(os.Stdout) {
		t.Error("colourFor with NO_COLOR set = true; want false")
	}
	s := style{on: true}
	if got := s.red("x"); got != "\x1b[1;31mx\x1b[0m" {
		t.Errorf("style.red = %q", got)
	}
	if got := (style{}).red("x"); got != "x" {
		t.Errorf("style{}.red = %q; want plain", got)
	}
}

func TestReadDataStdin(t *testing.T) {
	t.Parallel()
	b, err := readData("@-", strings.NewReader("hello"))
	if err != nil || string(b) != "hello" {
		t.Errorf("readData(@-) = %q, %v; want hello", b, err)
	}
	if b, _ := readData("plain", nil); string(b) != "plain" {
		t.Errorf("readData(plain) = %q", b)
	}
}
