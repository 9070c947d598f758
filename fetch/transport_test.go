package fetch_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/preflightcache"
)

// page is the origin of the page in these tests: same site with servers on
// 127.0.0.1, cross site with servers on 127.0.0.2 and 127.0.0.3.
var page = origin.MustParse("http://127.0.0.1:8000")

// do sends a request through t and returns the response or the *fetch.Error.
func do(t *testing.T, tr *fetch.Transport, method, u string, body io.Reader, o fetch.Options, fields ...string) (*http.Response, *fetch.Error) {
	t.Helper()
	req, err := http.NewRequest("GET", u, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Method = method // unchecked, as fetch() receives it
	for i := 0; i+1 < len(fields); i += 2 {
		req.Header.Add(fields[i], fields[i+1])
	}
	resp, err := tr.RoundTrip(fetch.WithOptions(req, o))
	if err != nil {
		var fe *fetch.Error
		if !errors.As(err, &fe) {
			t.Fatalf("RoundTrip error %v (%T) is not a *fetch.Error", err, err)
		}
		if resp != nil {
			t.Fatal("RoundTrip returned both a response and an error")
		}
		return nil, fe
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, nil
}

// closeTracker is a request body that records whether it was closed.
type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

// TestRejectedBeforeSending covers the failures fetch() reports before any
// request leaves: the server must see nothing, and the body must be closed.
func TestRejectedBeforeSending(t *testing.T) {
	srv := newServer(t, "127.0.0.2", echoOrigin())
	tests := []struct {
		name, anchor, reason string
		origin               origin.Origin
		method, url          string
		body                 bool
		fields               []string
		opts                 fetch.Options
		want                 fetch.Reason
	}{
		{name: "zero origin", anchor: "design: Transport.Origin is required", reason: "a page always has an origin; a zero one is a configuration error named at first use",
			origin: origin.Origin{}, method: "GET", url: srv.URL, body: false, fields: nil, opts: fetch.Options{}, want: fetch.ReasonInvalidOrigin},
		{name: "method not a token", anchor: "#concept-method", reason: "fetch() throws a TypeError for a method that is not a token",
			origin: page, method: "GE T", url: srv.URL, body: false, fields: nil, opts: fetch.Options{}, want: fetch.ReasonInvalidMethod},
		{name: "TRACE", anchor: "#forbidden-method", reason: "forbidden methods throw; nothing is sent (simple-forbidden-method-trace)",
			origin: page, method: "TRACE", url: srv.URL, body: false, fields: nil, opts: fetch.Options{}, want: fetch.ReasonForbiddenMethod},
		{name: "track", anchor: "#forbidden-method", reason: "matched case-insensitively (simple-forbidden-method-track)",
			origin: page, method: "track", url: srv.URL, body: false, fields: nil, opts: fetch.Options{}, want: fetch.ReasonForbiddenMethod},
		{name: "header name not a token", anchor: "#concept-header-name", reason: "Headers.append throws for an invalid name",
			origin: page, method: "GET", url: srv.URL, body: false, fields: []string{"X Bad", "1"}, opts: fetch.Options{}, want: fetch.ReasonInvalidHeader},
		{name: "header value with NUL", anchor: "#concept-header-value", reason: "a header value must not contain 0x00, CR or LF",
			origin: page, method: "GET", url: srv.URL, body: false, fields: []string{"X-A", "a\x00b"}, opts: fetch.Options{}, want: fetch.ReasonInvalidHeader},
		{name: "no-cors PUT", anchor: "#dom-request", reason: "no-cors allows only CORS-safelisted methods (mode-no-cors-put)",
			origin: page, method: "PUT", url: srv.URL, body: false, fields: nil, opts: fetch.Options{Mode: fetch.ModeNoCORS}, want: fetch.ReasonNoCORSMethod},
		{name: "GET with a body", anchor: "#dom-request", reason: "a GET or HEAD request cannot have a body",
			origin: page, method: "GET", url: srv.URL, body: true, fields: nil, opts: fetch.Options{}, want: fetch.ReasonBodyNotAllowed},
		{name: "only-if-cached in cors mode", anchor: "#dom-request", reason: "only-if-cached requires mode same-origin",
			origin: page, method: "GET", url: srv.URL, body: false, fields: nil, opts: fetch.Options{Cache: fetch.CacheOnlyIfCached}, want: fetch.ReasonOnlyIfCached},
		{name: "URL with credentials", anchor: "#dom-request", reason: "the Request constructor throws for a URL with a user name (cred-userinfo-url)",
			origin: page, method: "GET", url: strings.Replace(srv.URL, "http://", "http://u:p@", 1), body: false, fields: nil, opts: fetch.Options{}, want: fetch.ReasonInvalidURL},
		{name: "same-origin mode to another origin", anchor: "#concept-main-fetch", reason: "mode same-origin fails a cross-origin URL without sending (mode-same-origin-to-b)",
			origin: page, method: "GET", url: srv.URL, body: false, fields: nil, opts: fetch.Options{Mode: fetch.ModeSameOrigin}, want: fetch.ReasonDisallowedByMode},
		{name: "same-origin mode to a same-site origin", anchor: "#concept-main-fetch", reason: "same site is not same origin (mode-same-origin-to-p)",
			origin: origin.MustParse("http://127.0.0.2:1"), method: "GET", url: srv.URL, body: false, fields: nil, opts: fetch.Options{Mode: fetch.ModeSameOrigin}, want: fetch.ReasonDisallowedByMode},
		{name: "no-cors with redirect error", anchor: "#concept-main-fetch", reason: "a cross-origin no-cors request must follow redirects (mode-no-cors-redirect-error)",
			origin: page, method: "GET", url: srv.URL, body: false, fields: nil, opts: fetch.Options{Mode: fetch.ModeNoCORS, Redirect: fetch.RedirectError}, want: fetch.ReasonDisallowedByMode},
		{name: "https page to plain http", anchor: "mixed-content #should-block-fetch", reason: "an https page may not fetch an http URL that is not potentially trustworthy",
			origin: origin.MustParse("https://app.example"), method: "GET", url: "http://api.example.invalid/x", body: false, fields: nil, opts: fetch.Options{}, want: fetch.ReasonMixedContent},
		{name: "cors to ftp", anchor: "#concept-main-fetch", reason: "a cross-origin cors request needs an HTTP(S) URL",
			origin: page, method: "GET", url: "ftp://127.0.0.2/x", body: false, fields: nil, opts: fetch.Options{}, want: fetch.ReasonCorsDisabledScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.requests())
			tr := &fetch.Transport{Origin: tt.origin}
			var body *closeTracker
			var r io.Reader
			if tt.body {
				body = &closeTracker{Reader: strings.NewReader("x")}
				r = body
			}
			_, err := do(t, tr, tt.method, tt.url, r, tt.opts, tt.fields...)
			if err == nil || err.Reason != tt.want {
				t.Fatalf("%s: got error %v, want reason %s (%s)", tt.anchor, err, tt.want, tt.reason)
			}
			if n := len(srv.requests()) - before; n != 0 {
				t.Errorf("%s: the server received %d requests; a browser sends none (%s)", tt.anchor, n, tt.reason)
			}
			if body != nil && !body.closed {
				t.Error("the request body was not closed")
			}
		})
	}
}

// TestPreflightOnTheWire checks what a CORS preflight carries, as recorded
// from Chromium (NOTES.md, "Preflight request fields") and as
// #cors-preflight-fetch-0 builds it: never the page's headers, cookies,
// Authorization or body.
func TestPreflightOnTheWire(t *testing.T) {
	srv := newServer(t, "127.0.0.1", withPreflight(
		echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "authorization, content-type, x-b, x-a", "Access-Control-Allow-Credentials", "true"),
		echoOrigin("Access-Control-Allow-Credentials", "true")))
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "1"}})
	tr := &fetch.Transport{Origin: page, Jar: jar}
	_, err := do(t, tr, "PUT", srv.URL+"/r", strings.NewReader(`{"a":1}`), fetch.Options{Credentials: fetch.CredentialsInclude},
		"X-B", "2", "X-A", "1", "Content-Type", "application/json", "Authorization", "Bearer t")
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want the preflight and the PUT", len(reqs))
	}
	pre := reqs[0]
	want := map[string]string{
		"Accept":                         "*/*",
		"Access-Control-Request-Method":  "PUT",
		"Access-Control-Request-Headers": "authorization,content-type,x-a,x-b",
		"Origin":                         page.String(),
		"Sec-Fetch-Mode":                 "cors",
		"Sec-Fetch-Site":                 "same-site",
		"Sec-Fetch-Dest":                 "empty",
		"Cookie":                         "",
		"Authorization":                  "",
		"X-A":                            "",
		"Content-Type":                   "",
	}
	if pre.Method != "OPTIONS" || pre.Body != "" {
		t.Errorf("preflight: %s with body %q, want OPTIONS without body", pre.Method, pre.Body)
	}
	for name, v := range want {
		if got := strings.Join(pre.Header[name], ", "); got != v {
			t.Errorf("preflight %s = %q, want %q", name, got, v)
		}
	}
	actual := reqs[1]
	if got := actual.Header.Get("Cookie"); got != "session=1" {
		t.Errorf("actual request Cookie = %q, want session=1 (credentials include)", got)
	}
	if got := actual.Header.Get("Authorization"); got != "Bearer t" {
		t.Errorf("actual request Authorization = %q", got)
	}
	if actual.Body != `{"a":1}` {
		t.Errorf("actual request body = %q", actual.Body)
	}
}

// TestPreflightValidation covers the checks of a preflight response, in
// Chromium's order (#cors-preflight-fetch-0 step 7).
func TestPreflightValidation(t *testing.T) {
	tests := []struct {
		name, anchor, reason string
		browser              fetch.Profile
		pre                  http.HandlerFunc
		fields               []string
		creds                fetch.Credentials
		want                 fetch.Reason // "" for success
	}{
		{name: "no ACAO", anchor: "#concept-cors-check", reason: "the CORS check runs first; Chromium names it before the status",
			browser: fetch.Chrome, pre: answer(404, ""), fields: nil, creds: 0, want: fetch.ReasonMissingAllowOriginHeader},
		{name: "no ACAO, Safari", anchor: "CrossOriginPreflightChecker.cpp", reason: "WebKit checks the status first, so the same 404 is a status failure",
			browser: fetch.Safari, pre: answer(404, ""), fields: nil, creds: 0, want: fetch.ReasonPreflightInvalidStatus},
		{name: "not ok status", anchor: "#ok-status", reason: "a preflight must answer 200-299 (preflight-status-*)",
			browser: fetch.Chrome, pre: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				w.WriteHeader(404)
			}, fields: nil, creds: 0, want: fetch.ReasonPreflightInvalidStatus},
		{name: "redirect", anchor: "#cors-preflight-fetch-0", reason: "a preflight never follows a redirect (preflight-status-*)",
			browser: fetch.Chrome, pre: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				w.Header().Set("Location", "/elsewhere")
				w.WriteHeader(302)
			}, fields: nil, creds: 0, want: fetch.ReasonPreflightDisallowedRedirect},
		{name: "method in lower case", anchor: "#cors-preflight-fetch-0", reason: "Access-Control-Allow-Methods is compared byte for byte (preflight-acam-lower)",
			browser: fetch.Chrome, pre: echoOrigin("Access-Control-Allow-Methods", "put"), fields: nil, creds: 0, want: fetch.ReasonMethodDisallowed},
		{name: "method star", anchor: "#cors-preflight-fetch-0", reason: "`*` allows any method without credentials",
			browser: fetch.Chrome, pre: echoOrigin("Access-Control-Allow-Methods", "*"), fields: nil, creds: 0, want: ""},
		{name: "method star with credentials", anchor: "#cors-preflight-fetch-0", reason: "with credentials `*` is only a name",
			browser: fetch.Chrome, pre: echoOrigin("Access-Control-Allow-Methods", "*", "Access-Control-Allow-Credentials", "true"), fields: nil, creds: fetch.CredentialsInclude, want: fetch.ReasonMethodDisallowed},
		{name: "unparsable methods", anchor: "#extract-header-list-values", reason: "one bad element makes the whole list a failure",
			browser: fetch.Chrome, pre: echoOrigin("Access-Control-Allow-Methods", "PUT, bad method"), fields: nil, creds: 0, want: fetch.ReasonInvalidAllowMethods},
		{name: "header not allowed", anchor: "#cors-preflight-fetch-0", reason: "every CORS-unsafe header name must be listed",
			browser: fetch.Chrome, pre: echoOrigin("Access-Control-Allow-Methods", "PUT"), fields: []string{"X-Custom", "1"}, creds: 0, want: fetch.ReasonHeaderDisallowed},
		{name: "header case-insensitive", anchor: "#cors-preflight-fetch-0", reason: "header names are compared case-insensitively",
			browser: fetch.Chrome, pre: echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-CUSTOM"), fields: []string{"X-Custom", "1"}, creds: 0, want: ""},
		{name: "star covers Authorization in Chrome", anchor: "whatwg/fetch#1919", reason: "Chromium lets `*` cover Authorization (preflight-acah-star-authorization)",
			browser: fetch.Chrome, pre: echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*"), fields: []string{"Authorization", "x"}, creds: 0, want: ""},
		{name: "star does not cover Authorization in the standard", anchor: "#cors-preflight-fetch-0", reason: "Authorization is a CORS non-wildcard request-header name",
			browser: fetch.Spec, pre: echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*"), fields: []string{"Authorization", "x"}, creds: 0, want: fetch.ReasonHeaderDisallowed},
		{name: "unparsable headers", anchor: "#extract-header-list-values", reason: "a header list that does not parse fails the preflight",
			browser: fetch.Chrome, pre: echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-custom;"), fields: []string{"X-Custom", "1"}, creds: 0, want: fetch.ReasonInvalidAllowHeaders},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, "127.0.0.2", withPreflight(tt.pre, echoOrigin("Access-Control-Allow-Credentials", "true")))
			tr := &fetch.Transport{Origin: page, Browser: tt.browser}
			_, err := do(t, tr, "PUT", srv.URL, nil, fetch.Options{Credentials: tt.creds}, tt.fields...)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("%s: %v; want success (%s)", tt.anchor, err, tt.reason)
			case tt.want != "" && (err == nil || err.Reason != tt.want || !err.Preflight):
				t.Fatalf("%s: got %v; want a preflight failure %s (%s)", tt.anchor, err, tt.want, tt.reason)
			}
			if n := len(srv.requests()); tt.want != "" && n != 1 {
				t.Errorf("%d requests; after a failed preflight the actual request is not sent", n)
			}
		})
	}
}

// TestFilteredResponses checks what the caller receives for each response
// type (#concept-filtered-response).
func TestFilteredResponses(t *testing.T) {
	fields := []string{"Set-Cookie", "a=1", "X-Secret", "s", "X-Shown", "v", "Content-Type", "text/plain", "Access-Control-Expose-Headers", "X-Shown"}
	same := newServer(t, "127.0.0.1", answer(200, "same", fields...))
	cross := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		answer(200, "cross", fields...)(w, r)
	})
	tests := []struct {
		name, anchor, reason string
		page                 origin.Origin
		url                  string
		mode                 fetch.Mode
		typ                  fetch.ResponseType
		status               int
		headers              []string
		body                 string
	}{
		{name: "basic", anchor: "#concept-filtered-response-basic", reason: "same origin: everything but Set-Cookie",
			page: same.Origin, url: same.URL, mode: fetch.ModeCORS, typ: fetch.TypeBasic, status: 200,
			headers: []string{"Access-Control-Expose-Headers", "Content-Length", "Content-Type", "Date", "X-Secret", "X-Shown"}, body: "same"},
		{name: "cors", anchor: "#concept-filtered-response-cors", reason: "cross origin: safelisted and exposed names only (expose-*)",
			page: page, url: cross.URL, mode: fetch.ModeCORS, typ: fetch.TypeCORS, status: 200,
			headers: []string{"Content-Length", "Content-Type", "X-Shown"}, body: "cross"},
		{name: "opaque", anchor: "#concept-filtered-response-opaque", reason: "no-cors cross origin: status 0, no header, no body (mode-no-cors-get)",
			page: page, url: cross.URL, mode: fetch.ModeNoCORS, typ: fetch.TypeOpaque, status: 0, headers: []string{}, body: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := do(t, &fetch.Transport{Origin: tt.page}, "GET", tt.url, nil, fetch.Options{Mode: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			names := []string{}
			for k := range resp.Header {
				names = append(names, k)
			}
			if resp.Header == nil {
				t.Error("Header is nil; it must be an empty non-nil map")
			}
			got := struct {
				Type    fetch.ResponseType
				Status  int
				Headers []string
				Body    string
			}{fetch.TypeOf(resp), resp.StatusCode, sorted(names), string(body)}
			want := got
			want.Type, want.Status, want.Headers, want.Body = tt.typ, tt.status, tt.headers, tt.body
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: %s (-want +got):\n%s", tt.anchor, tt.reason, diff)
			}
			if tt.typ == fetch.TypeOpaque {
				if resp.Status != "" || fetch.URLList(resp) != nil {
					t.Errorf("opaque: Status %q, URLList %v; want empty", resp.Status, fetch.URLList(resp))
				}
				if resp.Request.URL.String() != tt.url {
					t.Errorf("opaque: Request.URL %s, want the URL asked for", resp.Request.URL)
				}
			}
		})
	}
}

// sharedHeaderBase answers every request with the same header map, which a
// RoundTripper may do: the Transport must filter its own copy.
type sharedHeaderBase struct{ h http.Header }

func (b sharedHeaderBase) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: b.h, Body: http.NoBody, Request: req}, nil
}

// TestBaseHeaderMapsUntouched checks that filtering a response
// (#concept-filtered-response-cors, -basic) never changes the header map a
// Base returned: a Base other than net/http's may hand the same map to
// every response, and a later response must still see every field.
func TestBaseHeaderMapsUntouched(t *testing.T) {
	shared := http.Header{
		"Access-Control-Allow-Origin": {"*"},
		"Set-Cookie":                  {"a=1"},
		"X-Secret":                    {"s"},
		"Content-Type":                {"text/plain"},
	}
	want := shared.Clone()
	for _, tc := range []struct {
		desc string
		page origin.Origin
		typ  fetch.ResponseType
		seen []string
	}{
		{desc: "cors", page: page, typ: fetch.TypeCORS, seen: []string{"Content-Type"}},
		{desc: "basic", page: origin.MustParse("http://api.example"), typ: fetch.TypeBasic, seen: []string{"Access-Control-Allow-Origin", "Content-Type", "X-Secret"}},
	} {
		tr := &fetch.Transport{Origin: tc.page, Base: sharedHeaderBase{shared}}
		for i := range 2 {
			resp, err := do(t, tr, "GET", "http://api.example/r", nil, fetch.Options{})
			if err != nil {
				t.Fatalf("%s, request %d: %v (the first response must not have changed the shared map)", tc.desc, i+1, err)
			}
			names := []string{}
			for k := range resp.Header {
				names = append(names, k)
			}
			if fetch.TypeOf(resp) != tc.typ || !cmp.Equal(sorted(names), tc.seen) {
				t.Errorf("%s, request %d: %v with %v; want %v with %v", tc.desc, i+1, fetch.TypeOf(resp), sorted(names), tc.typ, tc.seen)
			}
		}
		if diff := cmp.Diff(want, shared); diff != "" {
			t.Errorf("%s: Base's header map changed (-before +after):\n%s", tc.desc, diff)
		}
	}
}

// TestHeaderSpellings checks the header list made of a request whose
// header map has one name in several spellings, which Headers append
// (#concept-headers-append) keeps in the order of the calls and a Go map
// does not have: the canonical spelling's values first, then the others'
// in key order, the same on every request whatever the map's order; the
// profiles that combine repeated fields combine that list. The caller's
// slices are neither modified nor extended in their spare capacity.
func TestHeaderSpellings(t *testing.T) {
	for _, tc := range []struct {
		browser fetch.Profile
		want    []string
	}{
		{fetch.Chrome, []string{"1, 3, 2"}},
		{fetch.Firefox, []string{"1", "3", "2"}},
		{fetch.Safari, []string{"1, 3, 2"}},
		{fetch.Spec, []string{"1", "3", "2"}},
	} {
		var sent http.Header
		tr := &fetch.Transport{Origin: origin.MustParse("http://api.example"), Base: recordingBase{&sent}, Browser: tc.browser}
		backing := make([]string, 1, 4)
		backing[0] = "1"
		for i := range 20 {
			req, _ := http.NewRequest(http.MethodGet, "http://api.example/r", nil)
			req.Header = http.Header{"X-B": backing, "x-b": {"2"}, "X-b": {"3"}}
			if _, err := tr.RoundTrip(req); err != nil {
				t.Fatalf("%s: %v", tc.browser.Name, err)
			}
			if !cmp.Equal(sent["X-B"], tc.want) {
				t.Fatalf("%s, request %d: X-B %q; want %q (canonical spelling first, then the others in key order)", tc.browser.Name, i+1, sent["X-B"], tc.want)
			}
		}
		if got := backing[:cap(backing)]; !cmp.Equal(got, []string{"1", "", "", ""}) {
			t.Errorf("%s: the caller's slice became %q in its capacity; want it untouched", tc.browser.Name, got)
		}
	}
}

// TestPreflightCacheEventNames checks that a preflight-cache event names
// no header the same way, an empty list, whether the request had no field
// of its own or only safelisted ones, under every profile.
func TestPreflightCacheEventNames(t *testing.T) {
	for _, b := range fetch.Profiles() {
		var seen [][]string
		tr := &fetch.Transport{Origin: page, Base: cannedBase{}, Browser: b, Trace: func(e fetch.Event) {
			if e.Kind == fetch.EventPreflightCache {
				seen = append(seen, e.Names)
			}
		}}
		for _, fields := range [][]string{nil, {"Content-Type", "text/plain"}} {
			req, _ := http.NewRequest(http.MethodPut, "http://api.example/r", nil)
			for i := 0; i < len(fields); i += 2 {
				req.Header.Set(fields[i], fields[i+1])
			}
			tr.RoundTrip(req) // the outcome does not matter here
		}
		if len(seen) != 2 || len(seen[0]) != 0 || (seen[0] == nil) != (seen[1] == nil) {
			t.Errorf("%s: names %#v; want two empty lists alike", b.Name, seen)
		}
	}
}

// TestDefaultTransportReplaced checks that a Transport without Base tells
// net/http's responses from others on every request, not once: a test may
// replace http.DefaultTransport after the Transport was first used, and the
// new one may share its header maps.
func TestDefaultTransportReplaced(t *testing.T) {
	srv := newServer(t, "127.0.0.2", answer(200, "ok", "Access-Control-Allow-Origin", "*"))
	tr := &fetch.Transport{Origin: page}
	if _, err := do(t, tr, "GET", srv.URL, nil, fetch.Options{}); err != nil {
		t.Fatal(err)
	}
	shared := http.Header{"Access-Control-Allow-Origin": {"*"}, "X-Secret": {"s"}}
	saved := http.DefaultTransport
	http.DefaultTransport = sharedHeaderBase{shared}
	t.Cleanup(func() { http.DefaultTransport = saved })
	for i := range 2 {
		if _, err := do(t, tr, "GET", "http://api.example/r", nil, fetch.Options{}); err != nil {
			t.Fatalf("request %d over the replaced DefaultTransport: %v", i+1, err)
		}
	}
	if len(shared) != 2 {
		t.Errorf("the replaced DefaultTransport's header map changed to %v", shared)
	}
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// TestCredentials checks when Transport.Jar is read and written
// (#credentials, #concept-http-network-or-cache-fetch), against the
// Chromium recording's credential scenarios.
func TestCredentials(t *testing.T) {
	setCookie := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Add("Set-Cookie", "c=1; Path=/")
		if r.URL.Query().Get("acac") != "" {
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
	}
	tests := []struct {
		name, anchor, reason string
		creds                fetch.Credentials
		sameOrigin           bool
		acac                 bool
		wantErr              bool
		wantStored, wantSent bool
	}{
		{name: "same-origin default", anchor: "#concept-request-credentials-mode", reason: "same-origin URL: cookies stored and sent (cred-same-origin-default)",
			creds: fetch.CredentialsSameOrigin, sameOrigin: true, acac: false, wantErr: false, wantStored: true, wantSent: true},
		{name: "omit same origin", anchor: "#concept-request-credentials-mode", reason: "omit: nothing stored, nothing sent (cred-same-origin-omit-set)",
			creds: fetch.CredentialsOmit, sameOrigin: true, acac: false, wantErr: false, wantStored: false, wantSent: false},
		{name: "same-origin mode to same-site URL", anchor: "#concept-request-credentials-mode", reason: "credentials only for basic tainting (cred-p-set-same-origin)",
			creds: fetch.CredentialsSameOrigin, sameOrigin: false, acac: false, wantErr: false, wantStored: false, wantSent: false},
		{name: "include, check passes", anchor: "#concept-request-credentials-mode", reason: "include: stored and sent (cred-p-set-include-ok)",
			creds: fetch.CredentialsInclude, sameOrigin: false, acac: true, wantErr: false, wantStored: true, wantSent: true},
		{name: "include, check fails", anchor: "#example-cors-with-credentials", reason: "cookies are stored before the CORS check fails (cred-p-set-include-fails-check)",
			creds: fetch.CredentialsInclude, sameOrigin: false, acac: false, wantErr: true, wantStored: true, wantSent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, "127.0.0.1", setCookie)
			pg := page
			if tt.sameOrigin {
				pg = srv.Origin
			}
			jar, _ := cookiejar.New(nil)
			tr := &fetch.Transport{Origin: pg, Jar: jar}
			q := ""
			if tt.acac {
				q = "?acac=1"
			}
			_, err := do(t, tr, "GET", srv.URL+"/set"+q, nil, fetch.Options{Credentials: tt.creds})
			if (err != nil) != tt.wantErr {
				t.Fatalf("first request: error %v, want error %v", err, tt.wantErr)
			}
			u, _ := url.Parse(srv.URL)
			if stored := len(jar.Cookies(u)) > 0; stored != tt.wantStored {
				t.Errorf("%s: cookie stored = %v, want %v (%s)", tt.anchor, stored, tt.wantStored, tt.reason)
			}
			jar.SetCookies(u, []*http.Cookie{{Name: "c", Value: "1", Path: "/"}})
			do(t, tr, "GET", srv.URL+"/get"+q, nil, fetch.Options{Credentials: tt.creds})
			reqs := srv.requests()
			if sent := reqs[len(reqs)-1].Header.Get("Cookie") != ""; sent != tt.wantSent {
				t.Errorf("%s: cookie sent = %v, want %v (%s)", tt.anchor, sent, tt.wantSent, tt.reason)
			}
		})
	}
}

// TestThirdPartyCookies checks the Chrome profile's cookie policy for
// cross-site requests: unpartitioned cookies are neither stored nor sent,
// Partitioned ones come back (cred-b-set-include, cred-b-partitioned).
func TestThirdPartyCookies(t *testing.T) {
	srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		if r.URL.Path == "/set" {
			w.Header().Add("Set-Cookie", "plain=1; Path=/; SameSite=None; Secure")
			w.Header().Add("Set-Cookie", "part=1; Path=/; SameSite=None; Secure; Partitioned")
		}
	})
	jar, _ := cookiejar.New(nil)
	tr := &fetch.Transport{Origin: page, Jar: jar}
	include := fetch.Options{Credentials: fetch.CredentialsInclude}
	do(t, tr, "GET", srv.URL+"/set", nil, include)
	do(t, tr, "GET", srv.URL+"/get", nil, include)
	reqs := srv.requests()
	if got := reqs[1].Header.Get("Cookie"); got != "part=1" {
		t.Errorf("Cookie = %q; want only the partitioned cookie", got)
	}
	u, _ := url.Parse(srv.URL)
	if c := jar.Cookies(u); len(c) != 0 {
		t.Errorf("Jar holds %v; cross-site cookies stay out of it", c)
	}
}

// TestThirdPartyNotStored checks the Safari profile's cookie policy,
// WebKitGTK's: a cross-site response stores no cookie (cred-b-set-include),
// but cookies set first-party, SameSite=None or without SameSite, go with
// a cross-site request (page-cookie-first-party-then-third-party).
func TestThirdPartyNotStored(t *testing.T) {
	srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		switch r.URL.Path {
		case "/set":
			w.Header().Add("Set-Cookie", "nu=1; Path=/; SameSite=None")
			w.Header().Add("Set-Cookie", "d=1; Path=/")
		case "/set-third":
			w.Header().Add("Set-Cookie", "third=1; Path=/; SameSite=None")
		}
	})
	b := &fetch.Browser{Profile: fetch.Safari}
	own := b.Page(srv.Origin)
	cross := b.Page(page)
	include := fetch.Options{Credentials: fetch.CredentialsInclude}
	do(t, own, "GET", srv.URL+"/set", nil, include)
	do(t, cross, "GET", srv.URL+"/set-third", nil, include)
	do(t, cross, "GET", srv.URL+"/get", nil, include)
	reqs := srv.requests()
	if got := reqs[2].Header.Get("Cookie"); got != "nu=1; d=1" {
		t.Errorf("cross-site Cookie = %q; want the first-party cookies nu=1; d=1", got)
	}
	if n := b.CookieStore().Len(); n != 2 {
		t.Errorf("%d cookies stored; want 2, the cross-site response's cookie refused", n)
	}
}

// TestPreflightCacheUse checks that a stored preflight result is reused,
// that Max-Age 0 stores nothing, and that entries expire on the
// Transport's clock (#cors-preflight-cache; cache-max-age-*).
func TestPreflightCacheUse(t *testing.T) {
	tests := []struct {
		name, anchor, reason string
		maxAge               string
		wait                 time.Duration
		wantPreflights       int
	}{
		{name: "default 5 s, at once", anchor: "#cors-preflight-fetch-0", reason: "no Max-Age: 5 s (cache-max-age-absent)", maxAge: "", wait: 0, wantPreflights: 1},
		{name: "default 5 s, after 6 s", anchor: "#cors-preflight-fetch-0", reason: "expired (cache-max-age-absent-expired)", maxAge: "", wait: 6 * time.Second, wantPreflights: 2},
		{name: "0", anchor: "#cors-preflight-fetch-0", reason: "Max-Age 0 is not cached (cache-max-age-0)", maxAge: "0", wait: 0, wantPreflights: 2},
		{name: "-1 in Chrome", anchor: "preflight_result.cc", reason: "a negative Max-Age is not cached in Chromium (cache-max-age-negative)", maxAge: "-1", wait: 0, wantPreflights: 2},
		{name: "10, after 3.5 s", anchor: "#cors-preflight-fetch-0", reason: "still fresh (cache-max-age-10-fresh)", maxAge: "10", wait: 3500 * time.Millisecond, wantPreflights: 1},
		{name: "over the cap", anchor: "preflight_result.cc", reason: "Chromium clamps to 2 h", maxAge: "86400", wait: 2*time.Hour + time.Second, wantPreflights: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := []string{"Access-Control-Allow-Methods", "PUT"}
			if tt.maxAge != "" {
				fields = append(fields, "Access-Control-Max-Age", tt.maxAge)
			}
			srv := newServer(t, "127.0.0.2", withPreflight(echoOrigin(fields...), echoOrigin()))
			now := time.Unix(1e9, 0)
			tr := &fetch.Transport{Origin: page, Now: func() time.Time { return now }}
			for i := 0; i < 2; i++ {
				if _, err := do(t, tr, "PUT", srv.URL, nil, fetch.Options{}); err != nil {
					t.Fatal(err)
				}
				now = now.Add(tt.wait)
			}
			if n := srv.preflights(); n != tt.wantPreflights {
				t.Errorf("%s: %d preflights, want %d (%s)", tt.anchor, n, tt.wantPreflights, tt.reason)
			}
		})
	}
}

// TestTrace checks the events of a preflighted request and of its repeat,
// served from the cache.
func TestTrace(t *testing.T) {
	srv := newServer(t, "127.0.0.2", withPreflight(echoOrigin("Access-Control-Allow-Methods", "PUT"), echoOrigin()))
	var kinds []string
	tr := &fetch.Transport{Origin: page, Trace: func(e fetch.Event) {
		k := e.Kind.String()
		if e.Preflight {
			k += "(preflight)"
		}
		if e.Kind == fetch.EventPreflightCache {
			k += "(" + e.Cache.String() + ")"
		}
		kinds = append(kinds, k)
	}}
	do(t, tr, "PUT", srv.URL, nil, fetch.Options{}, "Cookie", "x=1")
	do(t, tr, "PUT", srv.URL, nil, fetch.Options{})
	want := []string{
		"header-dropped", "preflight-cache(miss)", "request(preflight)", "response(preflight)", "preflight-stored", "request", "response", "done",
		"preflight-cache(hit)", "request", "response", "done",
	}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestContextCancelsPreflight checks that a preflight that never answers is
// bounded by the request's context.
func TestContextCancelsPreflight(t *testing.T) {
	block := make(chan struct{})
	srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) { <-block })
	defer close(block)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "PUT", srv.URL, nil)
	_, err := (&fetch.Transport{Origin: page}).RoundTrip(req)
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Reason != fetch.ReasonNetwork || !fe.Preflight || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v; want a network error of the preflight wrapping context.DeadlineExceeded", err)
	}
}

// rewritingBase sends every request to target by rewriting req.URL in
// place, as test helpers often do, though a RoundTripper should not modify
// its request.
type rewritingBase struct{ target *url.URL }

func (b rewritingBase) RoundTrip(req *http.Request) (*http.Response, error) {
	req.URL.Scheme, req.URL.Host = b.target.Scheme, b.target.Host
	return http.DefaultTransport.RoundTrip(req)
}

// TestBaseRewritingURLs checks that a Base that rewrites req.URL changes
// only where requests go: the response's URL (#concept-response-url) and
// the preflight cache's key stay those of the fetch's URL list.
func TestBaseRewritingURLs(t *testing.T) {
	srv := newServer(t, "127.0.0.2", withPreflight(
		answer(204, "", "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "600"),
		answer(200, "ok", "Access-Control-Allow-Origin", "*")))
	target, _ := url.Parse(srv.URL)
	tr := &fetch.Transport{Origin: page, Base: rewritingBase{target}}
	var events []fetch.Event
	tr.Trace = func(e fetch.Event) {
		if e.Kind == fetch.EventPreflightCache {
			events = append(events, e)
		}
	}
	for i := range 2 {
		resp, err := do(t, tr, "PUT", "http://api.example/r", nil, fetch.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Request.URL.String(); got != "http://api.example/r" {
			t.Errorf("request %d: response URL %s; want the URL asked for", i+1, got)
		}
	}
	if len(events) != 2 || events[1].Cache != preflightcache.Hit {
		t.Errorf("preflight cache look-ups %+v; want the second a hit under the URL asked for", events)
	}
}
