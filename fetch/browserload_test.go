package fetch_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// TestBrowserLoad runs forty pages of one Browser, of ten origins on six
// sites, concurrently (run it with -race), in three rounds separated so
// that each can be checked exactly:
//
//  1. every page sets a Partitioned cookie naming its site, PUTs (a
//     preflight cached for ten minutes) and GETs a response stored with
//     Vary: Origin whose body names the origin it was made for;
//  2. the same again: no preflight is sent (every origin's grant is in the
//     shared preflight cache, #concept-cache-match) and no cached GET of a
//     page whose site has one origin reaches the server (its answer is in
//     its site's partition; the five origins of one site take turns in
//     one entry, a cache keeping one response per URL whatever it varies
//     on, as the engines' caches do);
//  3. every page reads its cookies back: it sees its own site's partition
//     and never another's (CHIPS: the partition is the top-level site).
//
// No page ever receives an answer made for another origin, and no
// goroutine is left.
func TestBrowserLoad(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		o := r.Header.Get("Origin")
		w.Header().Set("Access-Control-Allow-Origin", o)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		switch {
		case r.Method == http.MethodOptions:
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Max-Age", "600")
		case r.URL.Path == "/set":
			site := origin.MustParse(o).Site()
			w.Header().Add("Set-Cookie", "site="+cookieSafe(site)+"; Path=/; Secure; SameSite=None; Partitioned")
		case r.URL.Path == "/cached":
			w.Header().Set("Cache-Control", "max-age=600")
			io.WriteString(w, o)
		case r.URL.Path == "/get":
			io.WriteString(w, r.Header.Get("Cookie"))
		}
	})
	var origins []origin.Origin
	for port := 8000; port < 8005; port++ { // five origins of one site
		origins = append(origins, origin.MustParse(fmt.Sprintf("http://127.0.0.1:%d", port)))
	}
	for host := 4; host < 9; host++ { // five more sites
		origins = append(origins, origin.MustParse(fmt.Sprintf("http://127.0.0.%d:8000", host)))
	}
	base := &http.Transport{MaxIdleConnsPerHost: 8}
	b := &fetch.Browser{Base: base}
	pages := make([]*fetch.Transport, 40)
	for i := range pages {
		pages[i] = b.Page(origins[i%len(origins)])
	}
	include := fetch.Options{Credentials: fetch.CredentialsInclude}

	round := func(steps func(tr *fetch.Transport) error) {
		var wg sync.WaitGroup
		for i, tr := range pages {
			wg.Go(func() {
				if err := steps(tr); err != nil {
					t.Errorf("page %d (%s): %v", i, tr.Origin, err)
				}
			})
		}
		wg.Wait()
	}
	setPutGet := func(tr *fetch.Transport) error {
		if _, err := browserGet(tr, "GET", srv.URL+"/set", include); err != nil {
			return err
		}
		if _, err := browserGet(tr, "PUT", srv.URL+"/put", fetch.Options{}); err != nil {
			return err
		}
		body, err := browserGet(tr, "GET", srv.URL+"/cached", fetch.Options{})
		if err == nil && body != tr.Origin.String() {
			err = fmt.Errorf("/cached answered %q, the answer made for another origin (RFC 9111 #section-4.1)", body)
		}
		return err
	}
	round(setPutGet)
	preflights, cached := srv.preflights(), len(srv.requests())
	round(setPutGet)
	if got := srv.preflights() - preflights; got != 0 {
		t.Errorf("round 2 sent %d preflights; want 0, every origin's grant being cached", got)
	}
	for _, r := range srv.requests()[cached:] {
		if r.Path == "/cached" && !strings.HasPrefix(r.Header.Get("Origin"), "http://127.0.0.1:") {
			t.Errorf("round 2: a GET of /cached from %s reached the server; want it answered by the cache", r.Header.Get("Origin"))
		}
	}
	round(func(tr *fetch.Transport) error {
		body, err := browserGet(tr, "GET", srv.URL+"/get", include)
		if want := "site=" + cookieSafe(tr.Origin.Site()); err == nil && body != want {
			err = fmt.Errorf("Cookie %q; want %q, the cookie of its own site's partition", body, want)
		}
		return err
	})
	base.CloseIdleConnections()
	srv.Close()
	waitGoroutines(t, before)
}

// browserGet sends a request without a body through tr and returns the
// response body.
func browserGet(tr *fetch.Transport, method, u string, o fetch.Options) (string, error) {
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := tr.RoundTrip(fetch.WithOptions(req, o))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

// cookieSafe returns s with the bytes a cookie value may not hold replaced.
func cookieSafe(s string) string {
	return strings.NewReplacer(":", "_", "/", "_").Replace(s)
}

// TestBrowserHostileBounds checks that a hostile server cannot grow a
// Browser's state past its bounds: 400 cookies a response on one site keep
// the Chrome profile's store at Chromium's 180 per site (kDomainMaxCookies;
// cookiestore.Limits), answers varying on a header the page changes every
// time keep one entry per URL, and a body over the HTTP cache's 1 MiB limit
// reaches the page whole but is not stored.
func TestBrowserHostileBounds(t *testing.T) {
	big := strings.Repeat("x", 1<<20+1)
	n := 0
	srv := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Cache-Control", "max-age=600")
		switch r.URL.Path {
		case "/cookies":
			for i := range 400 {
				n++
				w.Header().Add("Set-Cookie", fmt.Sprintf("c%d=%s; Path=/", n, strings.Repeat("v", 20+i%10)))
			}
		case "/vary":
			w.Header().Set("Vary", "Content-Language")
		case "/big":
			io.WriteString(w, big)
		}
	})
	b := &fetch.Browser{}
	tr := b.Page(page) // same site as srv: first-party cookies
	include := fetch.Options{Credentials: fetch.CredentialsInclude}
	for range 5 {
		if _, err := browserGet(tr, "GET", srv.URL+"/cookies", include); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.CookieStore().Len(); got > 180 {
		t.Errorf("%d cookies stored for one site; Chromium keeps at most 180", got)
	}
	for i := range 50 {
		if _, err := do(t, tr, "GET", srv.URL+"/vary", nil, fetch.Options{}, "Content-Language", fmt.Sprint("x", i)); err != nil {
			t.Fatal(err)
		}
	}
	before := len(srv.requests())
	if _, err := do(t, tr, "GET", srv.URL+"/vary", nil, fetch.Options{}, "Content-Language", "x0"); err != nil {
		t.Fatal(err)
	}
	if len(srv.requests()) == before {
		t.Error("the first of 50 variants was still stored: the cache keeps one response per URL")
	}
	for range 2 {
		body, err := browserGet(tr, "GET", srv.URL+"/big", fetch.Options{})
		if err != nil || len(body) != len(big) {
			t.Fatalf("a %d-byte body: got %d bytes, %v", len(big), len(body), err)
		}
	}
	if got := countPath(srv, "/big"); got != 2 {
		t.Errorf("the body over 1 MiB reached the server %d times in 2 fetches; want 2, none stored", got)
	}
}

// countPath returns the number of requests srv received for path.
func countPath(srv *server, path string) int {
	c := 0
	for _, r := range srv.requests() {
		if r.Path == path {
			c++
		}
	}
	return c
}
