package middleware_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// The page and the API of every test: a single-page application served from
// pageOrigin calls the items API, deployed at apiURL. The browser tests serve
// the API on loopback (httptest), where a Transport without a
// PageAddressSpace makes no Local Network Access check; the audits serve it
// in process as if it answered at apiURL.
const (
	pageOrigin = "https://app.example.com"
	apiURL     = "https://api.example.com/items"
	// otherOrigin is a page the configurations do not allow.
	otherOrigin = "https://evil.example.net"
)

// itemsAPI is the application behind every middleware: GET lists the items
// (with X-Total-Count, which the page reads only if the middleware exposes
// it, and a private cache lifetime of a minute, as list endpoints often
// have), PUT replaces one, DELETE removes one. It counts the requests its
// handlers ran and keeps the last one's method and fields, so that a test
// can tell a request the browser blocked before sending (a refused
// preflight) from one the server ran although the page cannot read the
// answer.
type itemsAPI struct {
	mu    sync.Mutex
	runs  int
	last  http.Header
	lastM string
}

// list answers GET /items.
func (a *itemsAPI) list(w http.ResponseWriter, r *http.Request) {
	a.ran(r)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "private, max-age=60")
	w.Header().Set("X-Total-Count", "2")
	io.WriteString(w, `[{"id":1,"name":"apple"},{"id":2,"name":"pear"}]`)
}

// update answers PUT /items.
func (a *itemsAPI) update(w http.ResponseWriter, r *http.Request) {
	a.ran(r)
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Total-Count", "2")
	w.Write(body)
}

// remove answers DELETE /items.
func (a *itemsAPI) remove(w http.ResponseWriter, r *http.Request) {
	a.ran(r)
	w.WriteHeader(http.StatusNoContent)
}

// ran notes a request a handler ran.
func (a *itemsAPI) ran(r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.runs++
	a.last, a.lastM = r.Header.Clone(), r.Method
}

// served returns the number of requests the handlers ran, and the last
// one's method and header.
func (a *itemsAPI) served() (int, string, http.Header) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.runs, a.lastM, a.last
}

// mux routes /items to the API with net/http's ServeMux (Go 1.22 patterns).
func (a *itemsAPI) mux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /items", a.list)
	m.HandleFunc("PUT /items", a.update)
	m.HandleFunc("DELETE /items", a.remove)
	return m
}

// call is one fetch() a page makes, and what the browser shows for it.
type call struct {
	name string
	// page is the origin of the page that calls; "" means pageOrigin.
	page string
	// browser is the profile of the browser; the zero value is Chrome.
	browser fetch.Profile
	method  string
	// path is the URL's path; "" means /items.
	path string
	// json sends a JSON body (Content-Type: application/json, not
	// CORS-safelisted: a preflight is needed).
	json bool
	// auth sends Authorization: Bearer ... (never safelisted: a preflight).
	auth bool
	// credentials is fetch()'s credentials: "include"; otherwise the
	// default, "same-origin", which sends no cookies to another origin.
	credentials bool

	// The browser's outcome. reason is the fetch.Reason of a blocked fetch
	// ("" when it passes); preflight tells whether the failure was found on
	// the preflight's answer.
	reason    fetch.Reason
	preflight bool
	// status is the status page script reads when the fetch passes.
	status int
	// exposed lists response fields the page reads (beyond the
	// CORS-safelisted ones); hidden lists fields the server sent that the
	// page cannot read.
	exposed, hidden []string
	// handlerRuns tells whether the application's handler ran: a blocked
	// fetch whose request still reached the server changed what it changes.
	handlerRuns bool

	// why says what the browser does and why; anchor is the Fetch Standard
	// section it follows.
	why, anchor string
}

// run makes each call through a fetch.Transport, a page of its own at the
// call's origin (a lone Transport: no HTTP cache, an empty preflight cache,
// no Local Network Access check), against a fresh server of newHandler, and
// checks what the browser shows.
func run(t *testing.T, newHandler func(api *itemsAPI) http.Handler, calls []call) {
	t.Helper()
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			api := &itemsAPI{}
			srv := httptest.NewServer(newHandler(api))
			defer srv.Close()
			path := c.path
			if path == "" {
				path = "/items"
			}
			resp, err := c.do(t.Context(), srv.URL+path)
			c.check(t, api, resp, err)
		})
	}
}

// do makes the call against url, as page script at the call's origin would.
func (c call) do(ctx context.Context, url string) (*http.Response, error) {
	page := c.page
	if page == "" {
		page = pageOrigin
	}
	client := &http.Client{Transport: &fetch.Transport{Origin: origin.MustParse(page), Browser: c.browser}}
	var body io.Reader = http.NoBody
	if c.json {
		body = strings.NewReader(`{"id":1,"name":"quince"}`)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, url, body)
	if err != nil {
		return nil, err
	}
	if c.json {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.auth {
		req.Header.Set("Authorization", "Bearer token-of-the-user")
	}
	if c.credentials {
		req = fetch.WithOptions(req, fetch.Options{Credentials: fetch.CredentialsInclude})
	}
	return client.Do(req)
}

// check compares what the browser showed with the call's expectations.
func (c call) check(t *testing.T, api *itemsAPI, resp *http.Response, err error) {
	t.Helper()
	t.Logf("why: %s (%s)", c.why, c.anchor)
	runs, method, seen := api.served()
	ran := runs > 0 && method == c.method
	if ran != c.handlerRuns {
		t.Errorf("the handler ran: %v, want %v (%d runs, last %s)", ran, c.handlerRuns, runs, method)
	}
	if ran && c.auth && seen.Get("Authorization") == "" {
		t.Error("the request reached the handler without Authorization")
	}
	if c.reason != "" {
		var fe *fetch.Error
		if !errors.As(err, &fe) {
			if resp != nil {
				resp.Body.Close()
			}
			t.Fatalf("the fetch passed (err %v), want it blocked with %s", err, c.reason)
		}
		if fe.Reason != c.reason || fe.Preflight != c.preflight {
			t.Errorf("blocked with %s (preflight %v), want %s (preflight %v)\nconsole: %v", fe.Reason, fe.Preflight, c.reason, c.preflight, fe)
		}
		t.Logf("console: %v", fe)
		return
	}
	if err != nil {
		t.Fatalf("the fetch failed, want it to pass: %v", err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	if resp.StatusCode != c.status {
		t.Errorf("status %d, want %d", resp.StatusCode, c.status)
	}
	if typ := fetch.TypeOf(resp); typ != fetch.TypeCORS {
		t.Errorf("response type %v, want cors", typ)
	}
	for _, name := range c.exposed {
		if resp.Header.Get(name) == "" {
			t.Errorf("the page cannot read %s (header %v)", name, resp.Header)
		}
	}
	for _, name := range c.hidden {
		if v := resp.Header.Get(name); v != "" {
			t.Errorf("the page reads %s: %q, want it hidden", name, v)
		}
	}
}

// finding is what the audit is expected to report: a class at a severity,
// and why the middleware produces it.
type finding struct {
	class    audit.Class
	severity audit.Severity
	why      string
}

// auditHandler audits h as deployed at apiURL for pageOrigin, with the
// default profiles, and checks that it finds exactly want.
func auditHandler(t *testing.T, h http.Handler, want []finding) *audit.Report {
	t.Helper()
	r, err := audit.RunHandler(t.Context(), h, audit.Config{Origin: origin.MustParse(pageOrigin)}, apiURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range r.URLs {
		if u.Error != "" {
			t.Fatalf("%s not audited: %s", u.URL, u.Error)
		}
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, string(f.Class)+"/"+f.Severity.String())
	}
	var wanted []string
	for _, f := range want {
		wanted = append(wanted, string(f.class)+"/"+f.severity.String())
		t.Logf("%s/%s: %s", f.class, f.severity, f.why)
	}
	slices.Sort(got)
	slices.Sort(wanted)
	if !slices.Equal(got, wanted) {
		var text strings.Builder
		r.WriteText(&text)
		t.Errorf("findings %v, want %v\n%s", got, wanted, text.String())
	}
	return r
}

// noCORSThenCORS replays what a browser does when a page first loads the
// items as a no-cors resource (an <img>, a <script>, fetch() in no-cors
// mode) and then fetch()es them with CORS: both from one page of a
// fetch.Browser of profile p, whose HTTP cache is on as a browser's is. It
// returns the CORS fetch's failure (nil when it passes) and whether its
// answer came from the HTTP cache.
func noCORSThenCORS(t *testing.T, h http.Handler, p fetch.Profile) (fromCache bool, err error) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	page := (&fetch.Browser{Profile: p}).Page(origin.MustParse(pageOrigin))
	client := &http.Client{Transport: page}
	first, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/items", http.NoBody)
	resp, err := client.Do(fetch.WithOptions(first, fetch.Options{Mode: fetch.ModeNoCORS}))
	if err != nil {
		t.Fatalf("the no-cors load failed: %v", err)
	}
	resp.Body.Close()
	second, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/items", http.NoBody)
	second = fetch.WithTrace(second, func(e fetch.Event) {
		if e.Kind == fetch.EventResponse && !e.Preflight {
			fromCache = e.FromCache
		}
	})
	resp, err = client.Do(second)
	if err == nil {
		resp.Body.Close()
	}
	return fromCache, err
}

// preflightLifetime sends a PUT with a JSON body from the page in a browser
// of profile p and returns the Access-Control-Max-Age its preflight got, as
// received, and how long the browser keeps the preflight's result: the value
// capped by the engine (#cors-preflight-cache).
func preflightLifetime(t *testing.T, h http.Handler, p fetch.Profile) (received string, kept time.Duration) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &fetch.Transport{Origin: origin.MustParse(pageOrigin), Browser: p}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.URL+"/items", strings.NewReader(`{"id":1}`))
	req.Header.Set("Content-Type", "application/json")
	stored := false
	req = fetch.WithTrace(req, func(e fetch.Event) {
		if e.Kind == fetch.EventPreflightStored {
			received, kept, stored = e.Value, e.MaxAge, true
		}
	})
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("the PUT failed: %v", err)
	}
	resp.Body.Close()
	if !stored {
		t.Fatal("no preflight result was stored")
	}
	return received, kept
}

// checkCacheTrap runs noCORSThenCORS for each configuration in the three
// engines' profiles. trapped says what the browser does: the cached no-cors
// answer is served to the CORS fetch, which fails for the missing
// Access-Control-Allow-Origin (#concept-http-network-or-cache-fetch: a
// stored answer without Vary matches any request; #concept-cors-check);
// or, with Vary: Origin on that answer, the CORS fetch goes to the server
// and passes.
func checkCacheTrap(t *testing.T, configs map[string]func(*itemsAPI) http.Handler, trapped bool) {
	t.Helper()
	for name, h := range configs {
		for _, p := range []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari} {
			t.Run(name+"/"+p.Name, func(t *testing.T) {
				fromCache, err := noCORSThenCORS(t, h(&itemsAPI{}), p)
				var fe *fetch.Error
				switch {
				case trapped && (!errors.As(err, &fe) || fe.Reason != fetch.ReasonMissingAllowOriginHeader || !fromCache):
					t.Errorf("the CORS fetch after a no-cors load: %v (from the cache: %v), want MissingAllowOriginHeader from the cache", err, fromCache)
				case !trapped && (err != nil || fromCache):
					t.Errorf("the CORS fetch after a no-cors load: %v (from the cache: %v), want it sent and passed", err, fromCache)
				}
			})
		}
	}
}
