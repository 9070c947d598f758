package fetch_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// TestBrowserPagesShareState checks that the pages of one Browser share the
// preflight cache (two pages of one origin: one preflight), the HTTP cache
// within a top-level site (a second page of the same site is answered from
// it) but not across sites, and the cookie store.
func TestBrowserPagesShareState(t *testing.T) {
	srv := newServer(t, "127.0.0.3", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		switch {
		case r.Method == http.MethodOptions:
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Max-Age", "600")
		case r.URL.Path == "/cached":
			w.Header().Set("Cache-Control", "max-age=600")
		case r.URL.Path == "/set":
			w.Header().Add("Set-Cookie", "chip=1; Path=/; Secure; SameSite=None; Partitioned")
		}
		io.WriteString(w, "ok")
	})
	b := &fetch.Browser{}
	a1 := b.Page(origin.MustParse("http://127.0.0.1:8000"))
	a2 := b.Page(origin.MustParse("http://127.0.0.1:8000"))
	p := b.Page(origin.MustParse("http://127.0.0.1:9000"))
	other := b.Page(origin.MustParse("http://127.0.0.2:8000"))
	include := fetch.Options{Credentials: fetch.CredentialsInclude}

	for _, tr := range []*fetch.Transport{a1, a2} {
		if _, err := do(t, tr, "PUT", srv.URL+"/put", nil, fetch.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.preflights(); n != 1 {
		t.Errorf("two pages of one origin sent %d preflights; want 1, the second from the shared cache", n)
	}

	before := len(srv.requests())
	for _, tr := range []*fetch.Transport{a1, a2, p} {
		if _, err := do(t, tr, "GET", srv.URL+"/cached", nil, fetch.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	// The second page of A is answered by the entry the first stored; the
	// page at P sends another Origin, which the response varies on.
	if got := len(srv.requests()) - before; got != 2 {
		t.Errorf("A, A, P (Vary: Origin): %d requests reached the server; want 2", got)
	}
	before = len(srv.requests())
	if _, err := do(t, other, "GET", srv.URL+"/cached", nil, fetch.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := len(srv.requests()) - before; got != 1 {
		t.Errorf("a page of another site: %d requests; want 1, the cache being partitioned by top-level site", got)
	}

	do(t, a1, "GET", srv.URL+"/set", nil, include)
	do(t, p, "GET", srv.URL+"/get", nil, include)
	do(t, other, "GET", srv.URL+"/get", nil, include)
	reqs := srv.requests()
	if got := reqs[len(reqs)-2].Header.Get("Cookie"); got != "chip=1" {
		t.Errorf("page of the same site: Cookie %q; want the partitioned cookie", got)
	}
	if got := reqs[len(reqs)-1].Header.Get("Cookie"); got != "" {
		t.Errorf("page of another site: Cookie %q; want none", got)
	}
}
