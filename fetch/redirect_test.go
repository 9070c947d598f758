package fetch_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
)

// redirector answers /hop/N with a 302 to /hop/N-1 and /hop/0 with 200,
// always with ACAO *.
func redirector(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
	if n > 0 {
		w.Header().Set("Location", fmt.Sprintf("/hop/%d", n-1))
		w.WriteHeader(http.StatusFound)
		return
	}
	io.WriteString(w, "end")
}

// TestRedirectLimit checks that 20 redirects are followed and the 21st is a
// network error (#http-redirect-fetch; redirect-20-hops, redirect-21-hops).
func TestRedirectLimit(t *testing.T) {
	srv := newServer(t, "127.0.0.2", redirector)
	tr := &fetch.Transport{Origin: page}
	resp, err := do(t, tr, "GET", srv.URL+"/hop/20", nil, fetch.Options{})
	if err != nil {
		t.Fatalf("20 redirects: %v", err)
	}
	if list := fetch.URLList(resp); len(list) != 21 || resp.Request.URL.Path != "/hop/0" {
		t.Errorf("URL list of %d URLs ending at %s; want 21 ending at /hop/0", len(list), resp.Request.URL)
	}
	if _, err := do(t, tr, "GET", srv.URL+"/hop/21", nil, fetch.Options{}); err == nil || err.Reason != fetch.ReasonTooManyRedirects {
		t.Errorf("21 redirects: got %v, want %s", err, fetch.ReasonTooManyRedirects)
	}
}

// TestRedirectRewrites checks method and body rewriting on each redirect
// status (#http-redirect-fetch step 12; redirect-*-post, redirect-*-put).
func TestRedirectRewrites(t *testing.T) {
	tests := []struct {
		status               int
		method               string
		wantMethod, wantBody string
		wantType             bool // Content-Type still sent
		reason               string
	}{
		{status: 301, method: "POST", wantMethod: "GET", wantBody: "", wantType: false, reason: "301 turns POST into GET without body"},
		{status: 302, method: "POST", wantMethod: "GET", wantBody: "", wantType: false, reason: "302 turns POST into GET without body"},
		{status: 303, method: "POST", wantMethod: "GET", wantBody: "", wantType: false, reason: "303 turns anything but GET and HEAD into GET"},
		{status: 303, method: "PUT", wantMethod: "GET", wantBody: "", wantType: false, reason: "303 rewrites PUT too (redirect-303-put)"},
		{status: 302, method: "PUT", wantMethod: "PUT", wantBody: "data", wantType: true, reason: "301 and 302 keep methods other than POST"},
		{status: 307, method: "POST", wantMethod: "POST", wantBody: "data", wantType: true, reason: "307 keeps method and body, replayed through GetBody"},
		{status: 308, method: "PUT", wantMethod: "PUT", wantBody: "data", wantType: true, reason: "308 keeps method and body"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.method), func(t *testing.T) {
			srv := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/from" {
					w.Header().Set("Location", "/to")
					w.WriteHeader(tt.status)
				}
			})
			tr := &fetch.Transport{Origin: srv.Origin}
			if _, err := do(t, tr, tt.method, srv.URL+"/from", strings.NewReader("data"), fetch.Options{}, "Content-Type", "text/plain"); err != nil {
				t.Fatal(err)
			}
			reqs := srv.requests()
			last := reqs[len(reqs)-1]
			if last.Method != tt.wantMethod || last.Body != tt.wantBody || (last.Header.Get("Content-Type") != "") != tt.wantType {
				t.Errorf("#http-redirect-fetch: second request %s body %q Content-Type %q; want %s %q (%s)",
					last.Method, last.Body, last.Header.Get("Content-Type"), tt.wantMethod, tt.wantBody, tt.reason)
			}
		})
	}
}

// TestRedirectBodyNotReplayable checks that a redirect keeping a body that
// cannot be read again is a network error that says so (#http-redirect-fetch
// step 11: a body whose source is null).
func TestRedirectBodyNotReplayable(t *testing.T) {
	srv := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/to")
		w.WriteHeader(307)
	})
	req, _ := http.NewRequest("POST", srv.URL+"/from", io.NopCloser(bytes.NewReader([]byte("stream"))))
	_, err := (&fetch.Transport{Origin: srv.Origin}).RoundTrip(req)
	if fe, ok := err.(*fetch.Error); !ok || fe.Reason != fetch.ReasonBodyNotReplayable {
		t.Fatalf("got %v, want %s", err, fetch.ReasonBodyNotReplayable)
	}
}

// TestRedirectTaint checks Origin: null once a hop goes from one cross
// origin to another, and that it never reverts: A->B keeps the page's
// origin, B->C and the C->B after it carry null
// (#concept-request-tainted-origin; redirect-b-to-c-*).
func TestRedirectTaint(t *testing.T) {
	var bURL string
	c := newServer(t, "127.0.0.3", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Location", bURL+"/end")
		w.WriteHeader(302)
	})
	b := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Path == "/start" {
			w.Header().Set("Location", c.URL+"/c")
			w.WriteHeader(302)
		}
	})
	bURL = b.URL
	if _, err := do(t, &fetch.Transport{Origin: page}, "GET", b.URL+"/start", nil, fetch.Options{}); err != nil {
		t.Fatal(err)
	}
	got := []string{b.requests()[0].Header.Get("Origin"), c.requests()[0].Header.Get("Origin"), b.requests()[1].Header.Get("Origin")}
	want := []string{page.String(), "null", "null"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Origin of the requests to B, C, B = %v, want %v", got, want)
	}
}

// TestRedirectModes checks redirect modes error and manual
// (#http-fetch; redirect-mode-*).
func TestRedirectModes(t *testing.T) {
	srv := newServer(t, "127.0.0.2", redirector)
	tr := &fetch.Transport{Origin: page}
	if _, err := do(t, tr, "GET", srv.URL+"/hop/1", nil, fetch.Options{Redirect: fetch.RedirectError}); err == nil || err.Reason != fetch.ReasonRedirectModeError {
		t.Errorf("redirect error: got %v", err)
	}
	resp, err := do(t, tr, "GET", srv.URL+"/hop/1", nil, fetch.Options{Redirect: fetch.RedirectManual})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if fetch.TypeOf(resp) != fetch.TypeOpaqueRedirect || resp.StatusCode != 0 || len(resp.Header) != 0 || len(body) != 0 {
		t.Errorf("manual: %v %d %v %q; want an opaque-redirect response", fetch.TypeOf(resp), resp.StatusCode, resp.Header, body)
	}
	if resp.Request.URL.Path != "/hop/1" {
		t.Errorf("manual: URL %s, want the redirecting request's", resp.Request.URL)
	}
}

// TestClientNeverSeesRedirect checks that an http.Client over a Transport
// gets the final response, whatever its CheckRedirect.
func TestClientNeverSeesRedirect(t *testing.T) {
	srv := newServer(t, "127.0.0.2", redirector)
	c := &http.Client{
		Transport:     &fetch.Transport{Origin: page},
		CheckRedirect: func(*http.Request, []*http.Request) error { return fmt.Errorf("client followed a redirect") },
	}
	resp, err := c.Get(srv.URL + "/hop/3")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || len(fetch.URLList(resp)) != 4 {
		t.Errorf("status %d, %d URLs; want 200 after 3 hops", resp.StatusCode, len(fetch.URLList(resp)))
	}
}

// TestRedirectModeAndLocation checks what each profile does with a redirect
// status under redirect modes error and manual, depending on the Location
// field: absent, empty, not a URL, or an ftp: URL. The standard applies the
// mode to any redirect status without looking at the Location (#http-fetch);
// Chromium and WebKit return a 3xx without one as the response in error
// mode, Chromium fails a Location that is not a URL even in manual mode, and
// WebKitGTK fails an ftp: one there.
func TestRedirectModeAndLocation(t *testing.T) {
	const (
		plain  = "response" // the 3xx itself, status 302
		opaque = "opaqueredirect"
	)
	fail := func(r fetch.Reason) string { return "error " + string(r) }
	tests := []struct {
		name     string
		browser  fetch.Profile
		mode     fetch.Redirect
		location []string // Location fields; nil: none
		want     string
		scenario string
	}{
		{name: "chrome manual no location", browser: fetch.Chrome, mode: fetch.RedirectManual, location: nil, want: opaque, scenario: "redirect-manual-no-location-302"},
		{name: "chrome manual empty", browser: fetch.Chrome, mode: fetch.RedirectManual, location: []string{""}, want: opaque, scenario: "redirect-manual-empty-location"},
		{name: "chrome manual invalid", browser: fetch.Chrome, mode: fetch.RedirectManual, location: []string{"http://["}, want: fail(fetch.ReasonInvalidRedirectLocation), scenario: "redirect-manual-location-invalid-bracket"},
		{name: "chrome manual ftp", browser: fetch.Chrome, mode: fetch.RedirectManual, location: []string{"ftp://example.test/"}, want: opaque, scenario: "redirect-manual-location-scheme-ftp"},
		{name: "chrome error no location", browser: fetch.Chrome, mode: fetch.RedirectError, location: nil, want: plain, scenario: "redirect-error-no-location-302"},
		{name: "chrome error empty", browser: fetch.Chrome, mode: fetch.RedirectError, location: []string{""}, want: plain, scenario: "redirect-error-empty-location"},
		{name: "chrome error invalid", browser: fetch.Chrome, mode: fetch.RedirectError, location: []string{"http://["}, want: fail(fetch.ReasonRedirectModeError), scenario: "redirect-error-location-invalid-bracket"},
		{name: "chrome follow no location", browser: fetch.Chrome, mode: fetch.RedirectFollow, location: nil, want: plain, scenario: "redirect-no-location"},
		{name: "firefox manual no location", browser: fetch.Firefox, mode: fetch.RedirectManual, location: nil, want: opaque, scenario: "redirect-manual-no-location-302"},
		{name: "firefox manual invalid", browser: fetch.Firefox, mode: fetch.RedirectManual, location: []string{"http://["}, want: opaque, scenario: "redirect-manual-location-invalid-bracket"},
		{name: "firefox error no location", browser: fetch.Firefox, mode: fetch.RedirectError, location: nil, want: fail(fetch.ReasonRedirectModeError), scenario: "redirect-error-no-location-302"},
		{name: "firefox error empty", browser: fetch.Firefox, mode: fetch.RedirectError, location: []string{""}, want: fail(fetch.ReasonRedirectModeError), scenario: "redirect-error-empty-location"},
		{name: "safari manual no location", browser: fetch.Safari, mode: fetch.RedirectManual, location: nil, want: opaque, scenario: "redirect-manual-no-location-302"},
		{name: "safari manual invalid", browser: fetch.Safari, mode: fetch.RedirectManual, location: []string{"http://["}, want: opaque, scenario: "redirect-manual-location-invalid-bracket"},
		{name: "safari manual ftp", browser: fetch.Safari, mode: fetch.RedirectManual, location: []string{"ftp://example.test/"}, want: fail(fetch.ReasonRedirectSchemeNotHTTP), scenario: "redirect-manual-location-scheme-ftp"},
		{name: "safari manual data", browser: fetch.Safari, mode: fetch.RedirectManual, location: []string{"data:,x"}, want: opaque, scenario: "redirect-manual-location-scheme-data"},
		{name: "safari error no location", browser: fetch.Safari, mode: fetch.RedirectError, location: nil, want: plain, scenario: "redirect-error-no-location-302"},
		{name: "spec manual invalid", browser: fetch.Spec, mode: fetch.RedirectManual, location: []string{"http://["}, want: opaque, scenario: "#http-fetch: manual never parses the Location"},
		{name: "spec error no location", browser: fetch.Spec, mode: fetch.RedirectError, location: nil, want: fail(fetch.ReasonRedirectModeError), scenario: "#http-fetch: error applies to any redirect status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				w.Header()["Location"] = tt.location
				w.WriteHeader(http.StatusFound)
				io.WriteString(w, "body")
			})
			tr := &fetch.Transport{Origin: page, Browser: tt.browser}
			resp, err := do(t, tr, "GET", srv.URL+"/r", nil, fetch.Options{Redirect: tt.mode})
			got := ""
			switch {
			case err != nil:
				got = fail(err.Reason)
			case fetch.TypeOf(resp) == fetch.TypeOpaqueRedirect:
				got = opaque
			case resp.StatusCode == http.StatusFound:
				got = plain
			default:
				got = fmt.Sprintf("status %d", resp.StatusCode)
			}
			if got != tt.want {
				t.Errorf("%s: %s; want %s (%s)", tt.browser.Name, got, tt.want, tt.scenario)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("%d requests; the redirect must not be followed", n)
			}
		})
	}
}

// TestOriginAfterMethodChange checks the Origin header of the request after
// a same-origin redirect turned a POST into a GET: WebKit keeps the header
// it sent, Chromium, Firefox and the standard decide again and send none
// (#append-a-request-origin-header; redirect-origin-post-*-same-origin), and
// every profile decides again after a hop to another origin
// (redirect-origin-no-cors-post-303-b-to-c).
func TestOriginAfterMethodChange(t *testing.T) {
	tests := []struct {
		browser    fetch.Profile
		status     int
		crossHop   bool
		wantOrigin bool
		scenario   string
	}{
		{browser: fetch.Chrome, status: 302, crossHop: false, wantOrigin: false, scenario: "redirect-origin-post-302-same-origin"},
		{browser: fetch.Firefox, status: 303, crossHop: false, wantOrigin: false, scenario: "redirect-origin-post-303-same-origin"},
		{browser: fetch.Spec, status: 301, crossHop: false, wantOrigin: false, scenario: "#append-a-request-origin-header"},
		{browser: fetch.Safari, status: 302, crossHop: false, wantOrigin: true, scenario: "redirect-origin-post-302-same-origin"},
		{browser: fetch.Safari, status: 303, crossHop: false, wantOrigin: true, scenario: "redirect-origin-post-303-same-origin"},
		{browser: fetch.Safari, status: 303, crossHop: true, wantOrigin: false, scenario: "redirect-origin-no-cors-post-303-b-to-c"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d cross=%v", tt.browser.Name, tt.status, tt.crossHop), func(t *testing.T) {
			other := newServer(t, "127.0.0.3", answer(200, "end"))
			srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/r1" {
					to := "/r2"
					if tt.crossHop {
						to = other.URL + "/r2"
					}
					w.Header().Set("Location", to)
					w.WriteHeader(tt.status)
				}
			})
			// A same-origin POST where the page is the server's origin; a
			// no-cors POST for the cross-origin hop, whose opaque tainting
			// sends Origin only for the method.
			pg, o := srv.Origin, fetch.Options{}
			if tt.crossHop {
				pg, o = page, fetch.Options{Mode: fetch.ModeNoCORS}
			}
			tr := &fetch.Transport{Origin: pg, Browser: tt.browser}
			if _, err := do(t, tr, "POST", srv.URL+"/r1", strings.NewReader("x"), o, "Content-Type", "text/plain"); err != nil {
				t.Fatal(err)
			}
			reqs := append(srv.requests(), other.requests()...)
			if len(reqs) != 2 || reqs[1].Method != "GET" {
				t.Fatalf("requests %v; want the POST and then a GET", reqs)
			}
			if got := reqs[0].Header.Get("Origin"); got != pg.String() {
				t.Errorf("the POST carried Origin %q, want %q", got, pg)
			}
			if got := reqs[1].Header.Get("Origin") != ""; got != tt.wantOrigin {
				t.Errorf("%s: the GET after the redirect carries Origin: %v, want %v (%s)", tt.browser.Name, got, tt.wantOrigin, tt.scenario)
			}
		})
	}
}
