package redirect_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/corsfetch/corsfetch/redirect"
)

// The four origins of the conformance corpus (conformance/README.md): the
// page A, P same site and cross origin, B and C cross site.
const (
	pageA = "http://127.0.0.1:8000"
	hostP = "http://127.0.0.1:9000"
	hostB = "http://127.0.0.2:8001"
	hostC = "http://127.0.0.3:8002"
)

// chromium is Chromium 156's policy as the recording shows it (see the
// Policy field docs for the scenarios).
var chromium = redirect.Policy{Fields: redirect.FieldsIdentical, Empty: redirect.EmptyNoRedirect}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", s, err)
	}
	return u
}

func TestIsStatus(t *testing.T) {
	tests := []struct {
		code int
		want bool
		spec string
		why  string
	}{
		{code: 301, want: true, spec: "#redirect-status", why: "listed"},
		{code: 302, want: true, spec: "#redirect-status", why: "listed"},
		{code: 303, want: true, spec: "#redirect-status", why: "listed"},
		{code: 307, want: true, spec: "#redirect-status", why: "listed"},
		{code: 308, want: true, spec: "#redirect-status", why: "listed"},
		{code: 300, want: false, spec: "#redirect-status", why: "not listed; Chromium returns it (redirect-status-300)"},
		{code: 304, want: false, spec: "#redirect-status", why: "not listed; Chromium returns it (redirect-status-304-location)"},
		{code: 305, want: false, spec: "#redirect-status", why: "not listed"},
		{code: 306, want: false, spec: "#redirect-status", why: "not listed"},
		{code: 200, want: false, spec: "#redirect-status", why: "not a 3xx"},
		{code: 0, want: false, spec: "#redirect-status", why: "no status"},
	}
	for _, tt := range tests {
		if got := redirect.IsStatus(tt.code); got != tt.want {
			t.Errorf("IsStatus(%d) = %v; want %v (%s: %s)", tt.code, got, tt.want, tt.spec, tt.why)
		}
	}
}

func TestLocation(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		status             int
		location           []string // Location field values, in order; nil for none
		base               string   // the response URL
		policy             redirect.Policy
		want               string // the URL; "" for nil
		wantErr            error
	}{
		{desc: "absolute", spec: "#concept-response-location-url step 3", reason: "parsed against the response URL; an absolute URL ignores it (redirect-b-to-c-echo)",
			status: 302, location: []string{hostC + "/r"}, base: hostB + "/r", policy: redirect.Policy{}, want: hostC + "/r", wantErr: nil},
		{desc: "relative path", spec: "#concept-response-location-url step 3", reason: "resolved against the response URL (redirect-relative)",
			status: 302, location: []string{"r2"}, base: hostB + "/s/x/r1", policy: redirect.Policy{}, want: hostB + "/s/x/r2", wantErr: nil},
		{desc: "absolute path", spec: "#concept-response-location-url step 3", reason: "resolved against the response URL",
			status: 301, location: []string{"/a/b?q=1"}, base: hostB + "/s/x/r1?z", policy: redirect.Policy{}, want: hostB + "/a/b?q=1", wantErr: nil},
		{desc: "query only", spec: "URL #relative-state", reason: "a query replaces the base's query and keeps its path",
			status: 307, location: []string{"?n=2"}, base: hostB + "/p?n=1", policy: redirect.Policy{}, want: hostB + "/p?n=2", wantErr: nil},
		{desc: "dot segments", spec: "URL #path-state", reason: "dot segments are removed",
			status: 308, location: []string{"../c/./d"}, base: hostB + "/a/b/e", policy: redirect.Policy{}, want: hostB + "/a/c/d", wantErr: nil},
		{desc: "own fragment", spec: "#concept-response-location-url step 4", reason: "a location with a fragment keeps it (redirect-fragment)",
			status: 302, location: []string{hostB + "/r2#frag"}, base: hostB + "/r1#old", policy: redirect.Policy{}, want: hostB + "/r2#frag", wantErr: nil},
		{desc: "inherits fragment", spec: "#concept-response-location-url step 4", reason: "a null fragment becomes the request's fragment",
			status: 302, location: []string{hostB + "/r2"}, base: hostB + "/r1#old", policy: redirect.Policy{}, want: hostB + "/r2#old", wantErr: nil},
		{desc: "empty fragment not inherited", spec: "#concept-response-location-url step 4", reason: "an empty fragment is not null, so nothing is inherited (net/url drops the empty '#')",
			status: 302, location: []string{hostB + "/r2#"}, base: hostB + "/r1#old", policy: redirect.Policy{}, want: hostB + "/r2", wantErr: nil},
		{desc: "not a redirect status", spec: "#concept-response-location-url step 1", reason: "300 is not a redirect status (redirect-status-300)",
			status: 300, location: []string{hostB + "/r2"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: nil},
		{desc: "304", spec: "#concept-response-location-url step 1", reason: "304 is not a redirect status (redirect-status-304-location)",
			status: 304, location: []string{hostB + "/r2"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: nil},
		{desc: "no Location", spec: "#extract-header-list-values step 1", reason: "no field is null: the 3xx is the response (redirect-no-location)",
			status: 302, location: nil, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: nil},
		{desc: "two identical, spec", spec: "#extract-header-list-values step 2", reason: "Location allows a single field; any second one is failure",
			status: 302, location: []string{hostB + "/r2", hostB + "/r2"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "two identical, Chromium", spec: "#extract-header-list-values step 2", reason: "Chromium follows two identical fields (redirect-two-fields)",
			status: 302, location: []string{hostB + "/r2", hostB + "/r2"}, base: hostB + "/r1", policy: chromium, want: hostB + "/r2", wantErr: nil},
		{desc: "two different, Chromium", spec: "#extract-header-list-values step 2", reason: "Chromium fails two different fields (redirect-two-fields-different)",
			status: 302, location: []string{pageA + "/r2", hostB + "/r2"}, base: hostB + "/r1", policy: chromium, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "identical then empty, Chromium", spec: "#extract-header-list-values step 2", reason: "an empty field differs from the others (Firefox test_duplicate_headers.js test 8)",
			status: 302, location: []string{hostB + "/r2", ""}, base: hostB + "/r1", policy: chromium, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "two fields joined, WebKit", spec: "#extract-header-list-values step 2", reason: "WebKitGTK requests the joined value as a URL (redirect-two-fields, webkit.json)",
			status: 302, location: []string{hostB + "/r2", hostB + "/r2"}, base: hostB + "/r1", policy: redirect.Policy{Fields: redirect.FieldsJoined}, want: hostB + "/r2,%20" + hostB + "/r2", wantErr: nil},
		{desc: "empty, WebKit", spec: "#concept-response-location-url step 3", reason: "WebKitGTK fails an empty Location at once (redirect-empty, webkit.json)",
			status: 302, location: []string{""}, base: hostB + "/r1", policy: redirect.Policy{Empty: redirect.EmptyFails}, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "empty, spec", spec: "#concept-response-location-url step 3", reason: "the empty string parses to the response URL, fragment inherited",
			status: 302, location: []string{""}, base: hostB + "/r1#f", policy: redirect.Policy{}, want: hostB + "/r1#f", wantErr: nil},
		{desc: "empty, Chromium", spec: "#concept-response-location-url", reason: "Chromium returns a 302 with an empty Location (redirect-empty)",
			status: 302, location: []string{""}, base: hostB + "/r1", policy: chromium, want: "", wantErr: nil},
		{desc: "bad IPv6", spec: "URL #host-parsing", reason: "'http://[bad' does not parse (redirect-bad-url)",
			status: 302, location: []string{"http://[bad"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "empty host", spec: "URL #host-state", reason: "a special URL with an empty host is failure",
			status: 302, location: []string{"http://"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "forbidden host code point", spec: "URL #forbidden-host-code-point", reason: "'<' cannot be in a host",
			status: 302, location: []string{"http://a<b/"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "data", spec: "#concept-response-location-url step 3", reason: "a data: URL parses; Next rejects it (redirect-data-url)",
			status: 302, location: []string{"data:text/plain,hi"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "data:text/plain,hi", wantErr: nil},
		{desc: "about:blank", spec: "#concept-response-location-url step 3", reason: "parses; Next rejects it (redirect-about-blank)",
			status: 302, location: []string{"about:blank"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "about:blank", wantErr: nil},
		{desc: "ftp", spec: "#concept-response-location-url step 3", reason: "parses; Next rejects it (redirect-ftp-url)",
			status: 302, location: []string{"ftp://127.0.0.2:8001/r2"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "ftp://127.0.0.2:8001/r2", wantErr: nil},
		{desc: "userinfo kept", spec: "URL #authority-state", reason: "credentials are part of the URL; Next judges them (redirect-userinfo-cross)",
			status: 302, location: []string{"http://u:p@127.0.0.2:8001/r2"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "http://u:p@127.0.0.2:8001/r2", wantErr: nil},
		{desc: "empty userinfo dropped", spec: "URL #url-serializing", reason: "'@' with empty username and password serializes without it (redirect-userinfo-empty)",
			status: 302, location: []string{"http://@127.0.0.2:8001/r2"}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/r2", wantErr: nil},
		{desc: "host normalized", spec: "URL #concept-host-parser", reason: "hosts are lower-cased, IPv4 forms read, default port dropped",
			status: 302, location: []string{"HTTP://0x7F.1:80/x"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "http://127.0.0.1/x", wantErr: nil},
		{desc: "idna", spec: "URL #concept-domain-to-ascii", reason: "Unicode hosts become punycode",
			status: 302, location: []string{"https://Bücher.example/"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "https://xn--bcher-kva.example/", wantErr: nil},
		{desc: "inner tab kept", spec: "URL #concept-basic-url-parser", reason: "Firefox keeps a tab inside the value, percent-encoded (div-redirect-location-tab)",
			status: 302, location: []string{"/r\t2"}, base: hostB + "/r1", policy: redirect.Policy{KeepInnerTabs: true}, want: hostB + "/r%092", wantErr: nil},
		{desc: "space in query", spec: "URL #query-state", reason: "a space is percent-encoded, not kept raw, which would break the request line (div-redirect-location-space)",
			status: 302, location: []string{"/r2?q=a b"}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/r2?q=a%20b", wantErr: nil},
		{desc: "space and quotes in path", spec: "URL #path-state", reason: "the path percent-encode set (div-redirect-location-space)",
			status: 302, location: []string{`/a b"<>`}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/a%20b%22%3C%3E", wantErr: nil},
		{desc: "non-ASCII in query", spec: "URL #query-state", reason: "UTF-8 percent-encoded",
			status: 302, location: []string{"/r2?q=\u00fc"}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/r2?q=%C3%BC", wantErr: nil},
		{desc: "space in host", spec: "URL #concept-host-parser", reason: "still a forbidden host code point after encoding",
			status: 302, location: []string{"http://a b.example/"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "empty path", spec: "URL #url-serializing", reason: "a special URL's empty path is '/'",
			status: 302, location: []string{"https://a.example"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "https://a.example/", wantErr: nil},
		{desc: "backslashes", spec: "URL #relative-slash-state", reason: "'\\\\' is '//' in a special URL: another host",
			status: 302, location: []string{`\\evil.example\x`}, base: hostB + "/r1", policy: redirect.Policy{}, want: "http://evil.example/x", wantErr: nil},
		{desc: "backslash in query kept", spec: "URL #query-state", reason: "only before the query is '\\' a slash",
			status: 302, location: []string{`/a\b?c\d`}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + `/a/b?c\d`, wantErr: nil},
		{desc: "three slashes", spec: "URL #special-authority-ignore-slashes-state", reason: "extra slashes before the host are skipped",
			status: 302, location: []string{"///evil.example/x"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "http://evil.example/x", wantErr: nil},
		{desc: "other scheme without slashes", spec: "URL #special-authority-slashes-state", reason: "'https:host' with an http base names the host",
			status: 302, location: []string{"https:evil.example/x"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "https://evil.example/x", wantErr: nil},
		{desc: "same scheme without slashes", spec: "URL #special-relative-or-authority-state", reason: "'http:path' with an http base is relative",
			status: 302, location: []string{"http:r2"}, base: hostB + "/s/r1", policy: redirect.Policy{}, want: hostB + "/s/r2", wantErr: nil},
		{desc: "colon in first segment", spec: "URL #no-scheme-state", reason: "'1a:b' starts no scheme: a relative path",
			status: 302, location: []string{"1a:b"}, base: hostB + "/s/r1", policy: redirect.Policy{}, want: hostB + "/s/1a:b", wantErr: nil},
		{desc: "whitespace removed", spec: "URL #concept-basic-url-parser", reason: "leading C0 and space trimmed, tabs and newlines removed",
			status: 302, location: []string{" \x01/r\t2 "}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/r2", wantErr: nil},
		{desc: "only two slashes", spec: "URL #host-state", reason: "'//' names no host: failure, not the response URL again (redirect-location-double-slash-only)",
			status: 302, location: []string{"//"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "slashes then a query", spec: "URL #host-state", reason: "an empty host before the query is failure too",
			status: 302, location: []string{"https:///?q"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: redirect.ErrInvalidLocation},
		{desc: "three slashes and a host", spec: "URL #special-authority-ignore-slashes-state", reason: "slashes are skipped until the host (y-manual-loc-emptyhost follows to host r2)",
			status: 302, location: []string{"http:///r2"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "http://r2/", wantErr: nil},
		{desc: "percent-encoded dot segments", spec: "URL #double-dot-path-segment", reason: "'%2e%2E' is '..' (redirect-location-pct-dot-segments)",
			status: 302, location: []string{hostB + "/x/%2e%2E/r2"}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/r2", wantErr: nil},
		{desc: "percent-encoded single dot", spec: "URL #single-dot-path-segment", reason: "'%2E' is '.', and '.%2e' is '..'",
			status: 302, location: []string{"a/%2E/b/.%2e/c"}, base: hostB + "/s/r1", policy: redirect.Policy{}, want: hostB + "/s/a/c", wantErr: nil},
		{desc: "encoded dots in the query kept", spec: "URL #query-state", reason: "only path segments are dot segments",
			status: 302, location: []string{"/a?x=/%2e%2e/"}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/a?x=/%2e%2e/", wantErr: nil},
		{desc: "UTF-8 path", spec: "URL #path-state", reason: "the value's bytes are UTF-8, percent-encoded (redirect-location-non-ascii-path)",
			status: 302, location: []string{"/\xc3\xa9"}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/%C3%A9", wantErr: nil},
		{desc: "Latin-1 path, WebKit", spec: "URL #path-state", reason: "WebKitGTK reads each byte as a code point (redirect-location-non-ascii-path, webkit.json)",
			status: 302, location: []string{"/\xc3\xa9"}, base: hostB + "/r1", policy: redirect.Policy{Latin1Location: true}, want: hostB + "/%C3%83%C2%A9", wantErr: nil},
		{desc: "lone byte, UTF-8 reading", spec: "URL #path-state", reason: "a byte that is not UTF-8 is percent-encoded as it is (redirect-location-latin1-byte)",
			status: 302, location: []string{"/r\xe9"}, base: hostB + "/r1", policy: redirect.Policy{}, want: hostB + "/r%E9", wantErr: nil},
		{desc: "lone byte, WebKit", spec: "URL #path-state", reason: "WebKitGTK makes it U+FFFD, then reads that as Latin-1 (redirect-location-latin1-byte, webkit.json)",
			status: 302, location: []string{"/r\xe9"}, base: hostB + "/r1", policy: redirect.Policy{Latin1Location: true}, want: hostB + "/r%C3%AF%C2%BF%C2%BD", wantErr: nil},
		{desc: "bad percent", spec: "URL #path-state", reason: "deviation: net/url rejects a '%' without two hex digits (package doc)",
			status: 302, location: []string{"/a%zz"}, base: hostB + "/r1", policy: redirect.Policy{}, want: "", wantErr: redirect.ErrInvalidLocation},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if tt.spec == "" || tt.reason == "" {
				t.Fatal("case without spec or reason")
			}
			h := http.Header{}
			for _, v := range tt.location {
				h.Add("Location", v)
			}
			base := mustURL(t, tt.base)
			before := base.String()
			got, err := redirect.Location(tt.status, h, base, tt.policy)
			if base.String() != before {
				t.Errorf("base modified: %s", base)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("Location(%d, %q) = %v, %v; want %v (%s: %s)", tt.status, tt.location, got, err, tt.wantErr, tt.spec, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("Location(%d, %q) error %v; want %q (%s: %s)", tt.status, tt.location, err, tt.want, tt.spec, tt.reason)
			}
			gotS := ""
			if got != nil {
				gotS = got.String()
			}
			if gotS != tt.want {
				t.Errorf("Location(%d, %q) = %q; want %q (%s: %s)", tt.status, tt.location, gotS, tt.want, tt.spec, tt.reason)
			}
		})
	}
}

func TestLocationNilBase(t *testing.T) {
	h := http.Header{"Location": {"r2"}}
	if u, err := redirect.Location(302, h, nil, redirect.Policy{}); !errors.Is(err, redirect.ErrInvalidLocation) {
		t.Errorf("relative without base = %v, %v; want ErrInvalidLocation", u, err)
	}
	h = http.Header{"Location": {hostB + "/r2"}}
	if u, err := redirect.Location(302, h, nil, redirect.Policy{}); err != nil || u.String() != hostB+"/r2" {
		t.Errorf("absolute without base = %v, %v", u, err)
	}
}

func TestTaintString(t *testing.T) {
	for tt, want := range map[redirect.Taint]string{redirect.SameOrigin: "same-origin", redirect.SameSite: "same-site", redirect.CrossSite: "cross-site", 7: "Taint(7)"} {
		if got := tt.String(); got != want {
			t.Errorf("Taint(%d).String() = %q; want %q", uint8(tt), got, want)
		}
	}
}
