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
		{301, true, "#redirect-status", "listed"},
		{302, true, "#redirect-status", "listed"},
		{303, true, "#redirect-status", "listed"},
		{307, true, "#redirect-status", "listed"},
		{308, true, "#redirect-status", "listed"},
		{300, false, "#redirect-status", "not listed; Chromium returns it (redirect-status-300)"},
		{304, false, "#redirect-status", "not listed; Chromium returns it (redirect-status-304-location)"},
		{305, false, "#redirect-status", "not listed"},
		{306, false, "#redirect-status", "not listed"},
		{200, false, "#redirect-status", "not a 3xx"},
		{0, false, "#redirect-status", "no status"},
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
		{"absolute", "#concept-response-location-url step 3", "parsed against the response URL; an absolute URL ignores it (redirect-b-to-c-echo)",
			302, []string{hostC + "/r"}, hostB + "/r", redirect.Policy{}, hostC + "/r", nil},
		{"relative path", "#concept-response-location-url step 3", "resolved against the response URL (redirect-relative)",
			302, []string{"r2"}, hostB + "/s/x/r1", redirect.Policy{}, hostB + "/s/x/r2", nil},
		{"absolute path", "#concept-response-location-url step 3", "resolved against the response URL",
			301, []string{"/a/b?q=1"}, hostB + "/s/x/r1?z", redirect.Policy{}, hostB + "/a/b?q=1", nil},
		{"query only", "URL #relative-state", "a query replaces the base's query and keeps its path",
			307, []string{"?n=2"}, hostB + "/p?n=1", redirect.Policy{}, hostB + "/p?n=2", nil},
		{"dot segments", "URL #path-state", "dot segments are removed",
			308, []string{"../c/./d"}, hostB + "/a/b/e", redirect.Policy{}, hostB + "/a/c/d", nil},
		{"own fragment", "#concept-response-location-url step 4", "a location with a fragment keeps it (redirect-fragment)",
			302, []string{hostB + "/r2#frag"}, hostB + "/r1#old", redirect.Policy{}, hostB + "/r2#frag", nil},
		{"inherits fragment", "#concept-response-location-url step 4", "a null fragment becomes the request's fragment",
			302, []string{hostB + "/r2"}, hostB + "/r1#old", redirect.Policy{}, hostB + "/r2#old", nil},
		{"empty fragment not inherited", "#concept-response-location-url step 4", "an empty fragment is not null, so nothing is inherited (net/url drops the empty '#')",
			302, []string{hostB + "/r2#"}, hostB + "/r1#old", redirect.Policy{}, hostB + "/r2", nil},
		{"not a redirect status", "#concept-response-location-url step 1", "300 is not a redirect status (redirect-status-300)",
			300, []string{hostB + "/r2"}, hostB + "/r1", redirect.Policy{}, "", nil},
		{"304", "#concept-response-location-url step 1", "304 is not a redirect status (redirect-status-304-location)",
			304, []string{hostB + "/r2"}, hostB + "/r1", redirect.Policy{}, "", nil},
		{"no Location", "#extract-header-list-values step 1", "no field is null: the 3xx is the response (redirect-no-location)",
			302, nil, hostB + "/r1", redirect.Policy{}, "", nil},
		{"two identical, spec", "#extract-header-list-values step 2", "Location allows a single field; any second one is failure",
			302, []string{hostB + "/r2", hostB + "/r2"}, hostB + "/r1", redirect.Policy{}, "", redirect.ErrInvalidLocation},
		{"two identical, Chromium", "#extract-header-list-values step 2", "Chromium follows two identical fields (redirect-two-fields)",
			302, []string{hostB + "/r2", hostB + "/r2"}, hostB + "/r1", chromium, hostB + "/r2", nil},
		{"two different, Chromium", "#extract-header-list-values step 2", "Chromium fails two different fields (redirect-two-fields-different)",
			302, []string{pageA + "/r2", hostB + "/r2"}, hostB + "/r1", chromium, "", redirect.ErrInvalidLocation},
		{"identical then empty, Chromium", "#extract-header-list-values step 2", "an empty field differs from the others (Firefox test_duplicate_headers.js test 8)",
			302, []string{hostB + "/r2", ""}, hostB + "/r1", chromium, "", redirect.ErrInvalidLocation},
		{"two fields joined, WebKit", "#extract-header-list-values step 2", "WebKitGTK requests the joined value as a URL (redirect-two-fields, webkit.json)",
			302, []string{hostB + "/r2", hostB + "/r2"}, hostB + "/r1", redirect.Policy{Fields: redirect.FieldsJoined}, hostB + "/r2,%20" + hostB + "/r2", nil},
		{"empty, WebKit", "#concept-response-location-url step 3", "WebKitGTK fails an empty Location at once (redirect-empty, webkit.json)",
			302, []string{""}, hostB + "/r1", redirect.Policy{Empty: redirect.EmptyFails}, "", redirect.ErrInvalidLocation},
		{"empty, spec", "#concept-response-location-url step 3", "the empty string parses to the response URL, fragment inherited",
			302, []string{""}, hostB + "/r1#f", redirect.Policy{}, hostB + "/r1#f", nil},
		{"empty, Chromium", "#concept-response-location-url", "Chromium returns a 302 with an empty Location (redirect-empty)",
			302, []string{""}, hostB + "/r1", chromium, "", nil},
		{"bad IPv6", "URL #host-parsing", "'http://[bad' does not parse (redirect-bad-url)",
			302, []string{"http://[bad"}, hostB + "/r1", redirect.Policy{}, "", redirect.ErrInvalidLocation},
		{"empty host", "URL #host-state", "a special URL with an empty host is failure",
			302, []string{"http://"}, hostB + "/r1", redirect.Policy{}, "", redirect.ErrInvalidLocation},
		{"forbidden host code point", "URL #forbidden-host-code-point", "'<' cannot be in a host",
			302, []string{"http://a<b/"}, hostB + "/r1", redirect.Policy{}, "", redirect.ErrInvalidLocation},
		{"data", "#concept-response-location-url step 3", "a data: URL parses; Next rejects it (redirect-data-url)",
			302, []string{"data:text/plain,hi"}, hostB + "/r1", redirect.Policy{}, "data:text/plain,hi", nil},
		{"about:blank", "#concept-response-location-url step 3", "parses; Next rejects it (redirect-about-blank)",
			302, []string{"about:blank"}, hostB + "/r1", redirect.Policy{}, "about:blank", nil},
		{"ftp", "#concept-response-location-url step 3", "parses; Next rejects it (redirect-ftp-url)",
			302, []string{"ftp://127.0.0.2:8001/r2"}, hostB + "/r1", redirect.Policy{}, "ftp://127.0.0.2:8001/r2", nil},
		{"userinfo kept", "URL #authority-state", "credentials are part of the URL; Next judges them (redirect-userinfo-cross)",
			302, []string{"http://u:p@127.0.0.2:8001/r2"}, hostB + "/r1", redirect.Policy{}, "http://u:p@127.0.0.2:8001/r2", nil},
		{"empty userinfo dropped", "URL #url-serializing", "'@' with empty username and password serializes without it (redirect-userinfo-empty)",
			302, []string{"http://@127.0.0.2:8001/r2"}, hostB + "/r1", redirect.Policy{}, hostB + "/r2", nil},
		{"host normalized", "URL #concept-host-parser", "hosts are lower-cased, IPv4 forms read, default port dropped",
			302, []string{"HTTP://0x7F.1:80/x"}, hostB + "/r1", redirect.Policy{}, "http://127.0.0.1/x", nil},
		{"idna", "URL #concept-domain-to-ascii", "Unicode hosts become punycode",
			302, []string{"https://Bücher.example/"}, hostB + "/r1", redirect.Policy{}, "https://xn--bcher-kva.example/", nil},
		{"inner tab kept", "URL #concept-basic-url-parser", "Firefox keeps a tab inside the value, percent-encoded (div-redirect-location-tab)",
			302, []string{"/r\t2"}, hostB + "/r1", redirect.Policy{KeepInnerTabs: true}, hostB + "/r%092", nil},
		{"space in query", "URL #query-state", "a space is percent-encoded, not kept raw, which would break the request line (div-redirect-location-space)",
			302, []string{"/r2?q=a b"}, hostB + "/r1", redirect.Policy{}, hostB + "/r2?q=a%20b", nil},
		{"space and quotes in path", "URL #path-state", "the path percent-encode set (div-redirect-location-space)",
			302, []string{`/a b"<>`}, hostB + "/r1", redirect.Policy{}, hostB + "/a%20b%22%3C%3E", nil},
		{"non-ASCII in query", "URL #query-state", "UTF-8 percent-encoded",
			302, []string{"/r2?q=\u00fc"}, hostB + "/r1", redirect.Policy{}, hostB + "/r2?q=%C3%BC", nil},
		{"space in host", "URL #concept-host-parser", "still a forbidden host code point after encoding",
			302, []string{"http://a b.example/"}, hostB + "/r1", redirect.Policy{}, "", redirect.ErrInvalidLocation},
		{"empty path", "URL #url-serializing", "a special URL's empty path is '/'",
			302, []string{"https://a.example"}, hostB + "/r1", redirect.Policy{}, "https://a.example/", nil},
		{"backslashes", "URL #relative-slash-state", "'\\\\' is '//' in a special URL: another host",
			302, []string{`\\evil.example\x`}, hostB + "/r1", redirect.Policy{}, "http://evil.example/x", nil},
		{"backslash in query kept", "URL #query-state", "only before the query is '\\' a slash",
			302, []string{`/a\b?c\d`}, hostB + "/r1", redirect.Policy{}, hostB + `/a/b?c\d`, nil},
		{"three slashes", "URL #special-authority-ignore-slashes-state", "extra slashes before the host are skipped",
			302, []string{"///evil.example/x"}, hostB + "/r1", redirect.Policy{}, "http://evil.example/x", nil},
		{"other scheme without slashes", "URL #special-authority-slashes-state", "'https:host' with an http base names the host",
			302, []string{"https:evil.example/x"}, hostB + "/r1", redirect.Policy{}, "https://evil.example/x", nil},
		{"same scheme without slashes", "URL #special-relative-or-authority-state", "'http:path' with an http base is relative",
			302, []string{"http:r2"}, hostB + "/s/r1", redirect.Policy{}, hostB + "/s/r2", nil},
		{"colon in first segment", "URL #no-scheme-state", "'1a:b' starts no scheme: a relative path",
			302, []string{"1a:b"}, hostB + "/s/r1", redirect.Policy{}, hostB + "/s/1a:b", nil},
		{"whitespace removed", "URL #concept-basic-url-parser", "leading C0 and space trimmed, tabs and newlines removed",
			302, []string{" \x01/r\t2 "}, hostB + "/r1", redirect.Policy{}, hostB + "/r2", nil},
		{"only two slashes", "URL #host-state", "'//' names no host: failure, not the response URL again (redirect-location-double-slash-only)",
			302, []string{"//"}, hostB + "/r1", redirect.Policy{}, "", redirect.ErrInvalidLocation},
		{"slashes then a query", "URL #host-state", "an empty host before the query is failure too",
			302, []string{"https:///?q"}, hostB + "/r1", redirect.Policy{}, "", redirect.ErrInvalidLocation},
		{"three slashes and a host", "URL #special-authority-ignore-slashes-state", "slashes are skipped until the host (y-manual-loc-emptyhost follows to host r2)",
			302, []string{"http:///r2"}, hostB + "/r1", redirect.Policy{}, "http://r2/", nil},
		{"percent-encoded dot segments", "URL #double-dot-path-segment", "'%2e%2E' is '..' (redirect-location-pct-dot-segments)",
			302, []string{hostB + "/x/%2e%2E/r2"}, hostB + "/r1", redirect.Policy{}, hostB + "/r2", nil},
		{"percent-encoded single dot", "URL #single-dot-path-segment", "'%2E' is '.', and '.%2e' is '..'",
			302, []string{"a/%2E/b/.%2e/c"}, hostB + "/s/r1", redirect.Policy{}, hostB + "/s/a/c", nil},
		{"encoded dots in the query kept", "URL #query-state", "only path segments are dot segments",
			302, []string{"/a?x=/%2e%2e/"}, hostB + "/r1", redirect.Policy{}, hostB + "/a?x=/%2e%2e/", nil},
		{"UTF-8 path", "URL #path-state", "the value's bytes are UTF-8, percent-encoded (redirect-location-non-ascii-path)",
			302, []string{"/\xc3\xa9"}, hostB + "/r1", redirect.Policy{}, hostB + "/%C3%A9", nil},
		{"Latin-1 path, WebKit", "URL #path-state", "WebKitGTK reads each byte as a code point (redirect-location-non-ascii-path, webkit.json)",
			302, []string{"/\xc3\xa9"}, hostB + "/r1", redirect.Policy{Latin1Location: true}, hostB + "/%C3%83%C2%A9", nil},
		{"lone byte, UTF-8 reading", "URL #path-state", "a byte that is not UTF-8 is percent-encoded as it is (redirect-location-latin1-byte)",
			302, []string{"/r\xe9"}, hostB + "/r1", redirect.Policy{}, hostB + "/r%E9", nil},
		{"lone byte, WebKit", "URL #path-state", "WebKitGTK makes it U+FFFD, then reads that as Latin-1 (redirect-location-latin1-byte, webkit.json)",
			302, []string{"/r\xe9"}, hostB + "/r1", redirect.Policy{Latin1Location: true}, hostB + "/r%C3%AF%C2%BF%C2%BD", nil},
		{"bad percent", "URL #path-state", "deviation: net/url rejects a '%' without two hex digits (package doc)",
			302, []string{"/a%zz"}, hostB + "/r1", redirect.Policy{}, "", redirect.ErrInvalidLocation},
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
