package fetch_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// TestStatusProxyAuthRequired checks what a 407 from the server itself
// does: Chromium's network stack fails any 407 that did not come from a
// proxy (ERR_UNEXPECTED_PROXY_AUTH), the preflight's included, and sends the
// preflight once; Firefox, WebKit and the standard hand it on like any
// status (check-status-407-*, preflight-status-407).
func TestStatusProxyAuthRequired(t *testing.T) {
	tests := []struct {
		browser   fetch.Profile
		method    string
		opts      fetch.Options
		same      bool // the page is the server's origin
		wantErr   bool
		preflight bool // the failure is the preflight's
		scenario  string
	}{
		{browser: fetch.Chrome, method: "GET", opts: fetch.Options{}, same: false, wantErr: true, preflight: false, scenario: "check-status-407"},
		{browser: fetch.Chrome, method: "GET", opts: fetch.Options{}, same: true, wantErr: true, preflight: false, scenario: "check-status-407-same-origin"},
		{browser: fetch.Chrome, method: "GET", opts: fetch.Options{Mode: fetch.ModeNoCORS}, same: false, wantErr: true, preflight: false, scenario: "check-status-407-no-cors"},
		{browser: fetch.Chrome, method: "PUT", opts: fetch.Options{}, same: false, wantErr: true, preflight: true, scenario: "preflight-status-407"},
		{browser: fetch.Firefox, method: "GET", opts: fetch.Options{}, same: false, wantErr: false, preflight: false, scenario: "check-status-407"},
		{browser: fetch.Safari, method: "GET", opts: fetch.Options{Mode: fetch.ModeNoCORS}, same: false, wantErr: false, preflight: false, scenario: "check-status-407-no-cors"},
		{browser: fetch.Firefox, method: "PUT", opts: fetch.Options{}, same: false, wantErr: true, preflight: true, scenario: "preflight-status-407: not an ok status"},
		{browser: fetch.Spec, method: "GET", opts: fetch.Options{}, same: true, wantErr: false, preflight: false, scenario: "#http-network-fetch: any status"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %v same=%v", tt.browser.Name, tt.method, tt.opts.Mode, tt.same), func(t *testing.T) {
			srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				w.Header().Set("Access-Control-Allow-Methods", "PUT")
				w.WriteHeader(http.StatusProxyAuthRequired)
			})
			pg := page
			if tt.same {
				pg = srv.Origin
			}
			tr := &fetch.Transport{Origin: pg, Browser: tt.browser}
			resp, err := do(t, tr, tt.method, srv.URL+"/r", nil, tt.opts)
			if (err != nil) != tt.wantErr {
				t.Fatalf("%s: error %v, response %v; want error %v (%s)", tt.browser.Name, err, resp != nil, tt.wantErr, tt.scenario)
			}
			if err != nil && err.Preflight != tt.preflight {
				t.Errorf("error %v on the preflight: %v, want %v", err, err.Preflight, tt.preflight)
			}
			if tt.browser.Response.ProxyAuthFails && err != nil && !strings.Contains(err.Error(), "ERR_UNEXPECTED_PROXY_AUTH") {
				t.Errorf("error %q does not name Chromium's net error", err)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("%d requests reached the server; want 1 (%s)", n, tt.scenario)
			}
		})
	}
}

// TestResponseHeadSize checks the profiles' bound on the response head:
// Chromium reads 256 KiB, WebKitGTK 64 KiB of status line and fields (plus
// the empty line), Firefox and the standard no bound of their own
// (expose-header-size-*; the head the test server writes is the status line,
// Content-Length, X-Long and the empty line: 72 bytes plus the value).
func TestResponseHeadSize(t *testing.T) {
	const overhead = len("HTTP/1.1 200 OK\r\n") + len("Content-Length: 2\r\n") + len("X-Long: \r\n") + len("\r\n")
	tests := []struct {
		browser  fetch.Profile
		head     int
		wantErr  bool
		scenario string
	}{
		{browser: fetch.Chrome, head: 256 << 10, wantErr: false, scenario: "expose-header-size-256k-at"},
		{browser: fetch.Chrome, head: 256<<10 + 1, wantErr: true, scenario: "expose-header-size-256k-over"},
		{browser: fetch.Safari, head: 64<<10 + 2, wantErr: false, scenario: "expose-header-size-64k-at"},
		{browser: fetch.Safari, head: 64<<10 + 3, wantErr: true, scenario: "expose-header-size-64k-over"},
		{browser: fetch.Firefox, head: 256<<10 + 100, wantErr: false, scenario: "expose-header-long-value-over-256k"},
		{browser: fetch.Spec, head: 1 << 20, wantErr: false, scenario: "no bound in the standard"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d", tt.browser.Name, tt.head), func(t *testing.T) {
			value := strings.Repeat("a", tt.head-overhead)
			srv := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Date"] = nil
				w.Header()["Content-Type"] = nil
				w.Header().Set("X-Long", value)
				io.WriteString(w, "ok")
			})
			tr := &fetch.Transport{Origin: srv.Origin, Browser: tt.browser}
			resp, err := do(t, tr, "GET", srv.URL+"/r", nil, fetch.Options{})
			if (err != nil) != tt.wantErr {
				t.Fatalf("%s, head of %d bytes: error %v; want error %v (%s)", tt.browser.Name, tt.head, err, tt.wantErr, tt.scenario)
			}
			if err != nil && (err.Reason != fetch.ReasonNetwork || !strings.Contains(err.Error(), "ERR_RESPONSE_HEADERS_TOO_BIG")) {
				t.Errorf("error %v; want a network error naming ERR_RESPONSE_HEADERS_TOO_BIG", err)
			}
			if err == nil && len(resp.Header.Get("X-Long")) != len(value) {
				t.Errorf("X-Long of %d bytes, want %d", len(resp.Header.Get("X-Long")), len(value))
			}
		})
	}
}

// TestResetContentBody checks that a 205's body is dropped, 205 being a null
// body status, except in the Safari profile (check-status-205).
func TestResetContentBody(t *testing.T) {
	for _, b := range []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari, fetch.Spec} {
		srv := newServer(t, "127.0.0.2", answer(http.StatusResetContent, "body of a 205", "Access-Control-Allow-Origin", "*"))
		resp, err := do(t, &fetch.Transport{Origin: page, Browser: b}, "GET", srv.URL+"/r", nil, fetch.Options{})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		want := ""
		if b.Response.ResetContentBody {
			want = "body of a 205"
		}
		if string(body) != want {
			t.Errorf("%s: body %q; want %q (#null-body-status; check-status-205)", b.Name, body, want)
		}
	}
}

// TestFieldNameNotAToken checks that a response field whose name is not a
// token, which net/http passes on, is dropped from the response, the other
// fields kept, as every engine does (expose-name-space,
// expose-name-space-basic).
func TestFieldNameNotAToken(t *testing.T) {
	srv := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		hijack(w, "HTTP/1.1 200 OK\r\nX A: 1\r\nX-B: 2\r\nContent-Length: 2\r\n\r\nok")
	})
	resp, err := do(t, &fetch.Transport{Origin: srv.Origin}, "GET", srv.URL+"/r", nil, fetch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := resp.Header["X A"]; ok || resp.Header.Get("X-B") != "2" {
		t.Errorf("header %v; want X-B without the field named 'X A'", resp.Header)
	}
}

// TestPreflightSiteAfterRedirect checks Sec-Fetch-Site on a preflight sent
// after a redirect from B to the page's origin: the preflight's own URL
// decides (same-origin) in Chromium, Firefox and the standard, the whole URL
// list (cross-site) in WebKit (redirect-302-custom-header-b-to-a).
func TestPreflightSiteAfterRedirect(t *testing.T) {
	for _, tt := range []struct {
		browser fetch.Profile
		want    string
	}{{browser: fetch.Chrome, want: "same-origin"}, {browser: fetch.Firefox, want: "same-origin"}, {browser: fetch.Safari, want: "cross-site"}, {browser: fetch.Spec, want: "same-origin"}} {
		a := newServer(t, "127.0.0.1", withPreflight(echoOrigin("Access-Control-Allow-Headers", "x-w3c"), echoOrigin()))
		b := newServer(t, "127.0.0.2", withPreflight(echoOrigin("Access-Control-Allow-Headers", "x-w3c"), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Location", a.URL+"/r2")
			w.WriteHeader(http.StatusFound)
		}))
		tr := &fetch.Transport{Origin: a.Origin, Browser: tt.browser}
		if _, err := do(t, tr, "GET", b.URL+"/r1", nil, fetch.Options{}, "X-W3c", "1"); err != nil {
			t.Fatal(err)
		}
		reqs := a.requests()
		if len(reqs) != 2 || reqs[0].Method != http.MethodOptions {
			t.Fatalf("%s: requests at A %v; want a preflight and a GET", tt.browser.Name, reqs)
		}
		if got := reqs[0].Header.Get("Sec-Fetch-Site"); got != tt.want {
			t.Errorf("%s: preflight at A after B: Sec-Fetch-Site %q, want %q (redirect-302-custom-header-b-to-a)", tt.browser.Name, got, tt.want)
		}
	}
}

// TestCookiesAfterCrossSiteRedirect checks that a request redirected from
// another site back to the page's site carries that site's cookies and
// stores the ones it is sent, in every profile: third-party blocking is
// decided by the request URL's site alone (cred-redirect-cross-site-back-*).
func TestCookiesAfterCrossSiteRedirect(t *testing.T) {
	for _, b := range []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari, fetch.Spec} {
		t.Run(b.Name, func(t *testing.T) {
			var pURL string
			p := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				w.Header().Set("Access-Control-Allow-Credentials", "true")
				if r.URL.Path == "/r2" {
					w.Header().Add("Set-Cookie", "back=1; Path=/")
				}
			})
			pURL = p.URL
			bsrv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				w.Header().Set("Access-Control-Allow-Credentials", "true")
				w.Header().Set("Location", pURL+"/r2")
				w.WriteHeader(http.StatusFound)
			})
			jar, _ := cookiejar.New(nil)
			u, _ := url.Parse(p.URL)
			jar.SetCookies(u, []*http.Cookie{{Name: "site", Value: "1", Path: "/", SameSite: http.SameSiteNoneMode, Secure: true}})
			tr := &fetch.Transport{Origin: page, Browser: b, Jar: jar}
			include := fetch.Options{Credentials: fetch.CredentialsInclude}
			if _, err := do(t, tr, "GET", bsrv.URL+"/r1", nil, include); err != nil {
				t.Fatal(err)
			}
			if got := p.requests()[0].Header.Get("Cookie"); got != "site=1" {
				t.Errorf("%s: Cookie at P after B %q; want the page site's cookie", b.Name, got)
			}
			if got := jar.Cookies(u); len(got) != 2 {
				t.Errorf("%s: Jar holds %v for P; want the cookie P set stored with the other", b.Name, got)
			}
		})
	}
}

// TestGoClientRewritesResponses pins two places where Go's HTTP client
// changes a response before the Transport sees it, and what the Transport
// makes of them (fetch package doc, Not simulated): a Cache-Control that
// net/http adds next to Pragma: no-cache reaches the page, which no engine
// shows (expose-pragma-no-cache-only); a field value with a vertical tab
// fails the fetch as a network error where every engine delivers the
// response (expose-value-control-0b). Either way nothing but the filtered
// response, or a *fetch.Error, reaches the caller.
func TestGoClientRewritesResponses(t *testing.T) {
	srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/pragma":
			hijack(w, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nPragma: no-cache\r\nContent-Length: 2\r\n\r\nok")
		case "/vt":
			hijack(w, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: X-A\r\nX-A: a\vb\r\nContent-Length: 2\r\n\r\nok")
		}
	})
	tr := &fetch.Transport{Origin: page}
	resp, err := do(t, tr, "GET", srv.URL+"/pragma", nil, fetch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control %q: net/http no longer adds it; remove the pragma scenarios from notSimulated", got)
	}
	_, err = do(t, tr, "GET", srv.URL+"/vt", nil, fetch.Options{})
	if err == nil {
		t.Fatal("a vertical tab in a field value: the response came through; remove the control-byte scenarios from notSimulated")
	}
	if err.Reason != fetch.ReasonNetwork || !errors.Is(err, err.Err) || !strings.Contains(err.Err.Error(), "malformed MIME header") {
		t.Errorf("error %v (cause %v); want a network error wrapping net/http's refusal", err, err.Err)
	}
}

// TestConnectionCloseShown checks that a response's Connection: close, which
// net/http deletes from an HTTP/1.1 response, is shown to the page as every
// engine shows it (expose-name-space-basic: connection among the names).
func TestConnectionCloseShown(t *testing.T) {
	srv := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		hijack(w, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
	})
	resp, err := do(t, &fetch.Transport{Origin: srv.Origin}, "GET", srv.URL+"/r", nil, fetch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("Connection"); got != "close" {
		t.Errorf("Connection %q; want close, as the server sent it", got)
	}
}

// TestSameSiteAfterCrossSiteRedirect checks the Firefox profile's SameSite
// rule for redirect chains with a cookiestore.Store as Jar: after B redirects
// to the page's site, the SameSite=Lax and Strict cookies stay behind and the
// None and unset ones go, where the Chrome profile sends all four
// (cred-redirect-cross-site-back-b-to-p). With another http.CookieJar the
// rule cannot be applied and every cookie goes (fetch package doc, Not
// simulated).
func TestSameSiteAfterCrossSiteRedirect(t *testing.T) {
	tests := []struct {
		browser fetch.Profile
		store   bool
		want    string
	}{
		{browser: fetch.Firefox, store: true, want: "cn=v; cu=v"},
		{browser: fetch.Chrome, store: true, want: "cl=v; cn=v; cs=v; cu=v"},
		{browser: fetch.Firefox, store: false, want: "cl=v; cn=v; cs=v; cu=v"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s store=%v", tt.browser.Name, tt.store), func(t *testing.T) {
			var pURL string
			p := newServer(t, "127.0.0.1", echoOrigin("Access-Control-Allow-Credentials", "true"))
			pURL = p.URL
			b := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				w.Header().Set("Access-Control-Allow-Credentials", "true")
				w.Header().Set("Location", pURL+"/r2")
				w.WriteHeader(http.StatusFound)
			})
			var jar http.CookieJar = cookiestore.New(nil)
			if !tt.store {
				jar, _ = cookiejar.New(nil)
			}
			u, _ := url.Parse(p.URL + "/")
			jar.SetCookies(u, []*http.Cookie{
				{Name: "cn", Value: "v", Path: "/", SameSite: http.SameSiteNoneMode, Secure: true},
				{Name: "cl", Value: "v", Path: "/", SameSite: http.SameSiteLaxMode},
				{Name: "cs", Value: "v", Path: "/", SameSite: http.SameSiteStrictMode},
				{Name: "cu", Value: "v", Path: "/"},
			})
			tr := &fetch.Transport{Origin: page, Browser: tt.browser, Jar: jar}
			if _, err := do(t, tr, "GET", b.URL+"/r1", nil, fetch.Options{Credentials: fetch.CredentialsInclude}); err != nil {
				t.Fatal(err)
			}
			got := strings.Split(p.requests()[0].Header.Get("Cookie"), "; ")
			slices.Sort(got)
			if strings.Join(got, "; ") != tt.want {
				t.Errorf("%s: Cookie at P after B %q; want %q", tt.browser.Name, got, tt.want)
			}
		})
	}
}

// TestSpecSameSiteCrossSite checks that with a cookiestore.Store the Spec
// profile, which allows third-party cookies, still keeps SameSite cookies
// from a cross-site request, and sends the SameSite=None one
// (RFC 6265bis section 5.8.3, "same-site" requests).
func TestSpecSameSiteCrossSite(t *testing.T) {
	b := newServer(t, "127.0.0.2", echoOrigin("Access-Control-Allow-Credentials", "true"))
	store := cookiestore.New(nil)
	u, _ := url.Parse(b.URL + "/")
	store.SetCookies(u, []*http.Cookie{
		{Name: "none", Value: "1", Path: "/", SameSite: http.SameSiteNoneMode, Secure: true},
		{Name: "lax", Value: "1", Path: "/", SameSite: http.SameSiteLaxMode},
		{Name: "unset", Value: "1", Path: "/"},
	})
	tr := &fetch.Transport{Origin: page, Browser: fetch.Spec, Jar: store}
	if _, err := do(t, tr, "GET", b.URL+"/r", nil, fetch.Options{Credentials: fetch.CredentialsInclude}); err != nil {
		t.Fatal(err)
	}
	if got := b.requests()[0].Header.Get("Cookie"); got != "none=1" {
		t.Errorf("Cookie %q in a cross-site request; want only the SameSite=None cookie", got)
	}
}

// TestPartitionSharedByPages checks that two pages of one site sharing a
// cookiestore.Store share their Partitioned cookies, as browsers key the
// partition by the top-level site (CHIPS), while a page of another site does
// not see them (cred-b-partitioned).
func TestPartitionSharedByPages(t *testing.T) {
	b := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		if r.URL.Path == "/set" {
			w.Header().Add("Set-Cookie", "chip=1; Path=/; Secure; SameSite=None; Partitioned")
		}
	})
	store := cookiestore.New(nil)
	include := fetch.Options{Credentials: fetch.CredentialsInclude}
	one := &fetch.Transport{Origin: origin.MustParse("http://127.0.0.1:8000"), Jar: store}
	two := &fetch.Transport{Origin: origin.MustParse("http://127.0.0.1:9000"), Jar: store}
	other := &fetch.Transport{Origin: origin.MustParse("http://127.0.0.3:8000"), Jar: store}
	for _, step := range []struct {
		tr   *fetch.Transport
		path string
	}{{tr: one, path: "/set"}, {tr: two, path: "/get"}, {tr: other, path: "/get"}} {
		if _, err := do(t, step.tr, "GET", b.URL+step.path, nil, include); err != nil {
			t.Fatal(err)
		}
	}
	reqs := b.requests()
	if got := reqs[1].Header.Get("Cookie"); got != "chip=1" {
		t.Errorf("second page of the site: Cookie %q; want the partitioned cookie the first page's request got", got)
	}
	if got := reqs[2].Header.Get("Cookie"); got != "" {
		t.Errorf("page of another site: Cookie %q; want none (another partition)", got)
	}
}
