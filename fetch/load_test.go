package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
)

// loadScenario is one kind of request of TestLoad and what the browser
// makes of it.
type loadScenario struct {
	name, anchor string
	method       string
	path         func(a, b *server) string
	fields       []string
	body         string
	opts         fetch.Options
	want         fetch.Reason // "" for success
	typ          fetch.ResponseType
	wantBody     string
	urls         int // length of the URL list of a success (0: not checked)
}

// TestLoad sends a thousand concurrent requests of mixed kinds through one
// Transport (run it with -race): simple, preflighted, blocked, no-cors,
// redirected, credentialed and same-origin ones. Every one must end as the
// browser's would; then no goroutine may be left, and the connections must
// have been reused, those of blocked and opaque responses included: their
// bodies are drained, not abandoned.
func TestLoad(t *testing.T) {
	before := runtime.NumGoroutine()
	blockedBody := strings.Repeat("x", 4096)
	var c *server
	a := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "same")
	})
	b := newServer(t, "127.0.0.2", withPreflight(
		echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-n", "Access-Control-Max-Age", "0"),
		func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/blocked":
				io.WriteString(w, blockedBody)
			case "/redirect":
				w.Header().Set("Access-Control-Allow-Origin", "*")
				http.Redirect(w, r, c.URL+"/end", http.StatusFound)
			case "/cred":
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				w.Header().Set("Access-Control-Allow-Credentials", "true")
				w.Header().Add("Set-Cookie", "b=1; Path=/; SameSite=None; Secure; Partitioned")
				io.WriteString(w, "cred")
			default:
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
				io.WriteString(w, strings.TrimPrefix(r.URL.Path, "/"))
			}
		}))
	c = newServer(t, "127.0.0.3", answer(200, "end", "Access-Control-Allow-Origin", "*"))

	scenarios := []loadScenario{
		{name: "simple", anchor: "#concept-cors-check (simple-get)", method: "GET", path: func(a, b *server) string { return b.URL + "/simple" },
			fields: nil, body: "", opts: fetch.Options{}, want: "", typ: fetch.TypeCORS, wantBody: "simple", urls: 1},
		{name: "preflighted", anchor: "#cors-preflight-fetch-0 (preflight-status-200); Max-Age 0: one preflight each (cache-max-age-0)", method: "PUT",
			path: func(a, b *server) string { return b.URL + "/put" }, fields: []string{"X-N", "1"}, body: "data", opts: fetch.Options{}, want: "", typ: fetch.TypeCORS, wantBody: "put", urls: 1},
		{name: "blocked", anchor: "#concept-cors-check step 2 (check-no-acao)", method: "GET", path: func(a, b *server) string { return b.URL + "/blocked" },
			fields: nil, body: "", opts: fetch.Options{}, want: fetch.ReasonMissingAllowOriginHeader, typ: 0, wantBody: "", urls: 0},
		{name: "no-cors", anchor: "#concept-filtered-response-opaque (mode-no-cors-get-no-acao)", method: "GET", path: func(a, b *server) string { return b.URL + "/blocked" },
			fields: nil, body: "", opts: fetch.Options{Mode: fetch.ModeNoCORS}, want: "", typ: fetch.TypeOpaque, wantBody: "", urls: 0},
		{name: "redirected", anchor: "#concept-http-redirect-fetch (redirect-b-to-c-acao-star)", method: "GET", path: func(a, b *server) string { return b.URL + "/redirect" },
			fields: nil, body: "", opts: fetch.Options{}, want: "", typ: fetch.TypeCORS, wantBody: "end", urls: 2},
		{name: "credentialed", anchor: "#concept-cors-check steps 6-7 (cred-p-set-include-ok)", method: "GET", path: func(a, b *server) string { return b.URL + "/cred" },
			fields: nil, body: "", opts: fetch.Options{Credentials: fetch.CredentialsInclude}, want: "", typ: fetch.TypeCORS, wantBody: "cred", urls: 1},
		{name: "same origin", anchor: "#concept-filtered-response-basic (cred-same-origin-default)", method: "GET", path: func(a, b *server) string { return a.URL + "/same" },
			fields: nil, body: "", opts: fetch.Options{}, want: "", typ: fetch.TypeBasic, wantBody: "same", urls: 1},
	}

	jar, _ := cookiejar.New(nil)
	au, _ := url.Parse(a.URL)
	jar.SetCookies(au, []*http.Cookie{{Name: "s", Value: "1", Path: "/"}})
	const maxConns = 8
	base := &http.Transport{MaxConnsPerHost: maxConns, MaxIdleConnsPerHost: maxConns}
	tr := &fetch.Transport{Origin: a.Origin, Base: base, Jar: jar}
	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		sc := scenarios[i%len(scenarios)]
		wg.Go(func() {
			if err := runLoadScenario(tr, sc, a, b); err != nil {
				errs <- fmt.Errorf("request %d (%s): %w", i, sc.name, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	for _, r := range a.requests() {
		if r.Header.Get("Cookie") != "s=1" {
			t.Errorf("#credentials: a same-origin request carried Cookie %q, want s=1 (cred-same-origin-default)", r.Header.Get("Cookie"))
			break
		}
	}
	// Every connection is reused: a blocked or opaque response whose body
	// were abandoned instead of drained would cost one each (some 290).
	// net/http never opens more than maxConns to a host at a time; allow
	// as many again for connections the server or the race detector's
	// slowness may have cost.
	conns := a.connections() + b.connections() + c.connections()
	if limit := 2 * 3 * maxConns; conns > limit {
		t.Errorf("%d connections accepted for %d requests; want at most %d: connections are not reused", conns, n, limit)
	}
	t.Logf("%d connections for %d requests", conns, n)

	base.CloseIdleConnections()
	a.Close()
	b.Close()
	c.Close()
	waitGoroutines(t, before)
}

// runLoadScenario sends one request of sc and checks its outcome.
func runLoadScenario(tr *fetch.Transport, sc loadScenario, a, b *server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var body io.Reader
	if sc.body != "" {
		body = strings.NewReader(sc.body)
	}
	req, err := http.NewRequestWithContext(ctx, sc.method, sc.path(a, b), body)
	if err != nil {
		return err
	}
	for i := 0; i+1 < len(sc.fields); i += 2 {
		req.Header.Set(sc.fields[i], sc.fields[i+1])
	}
	resp, err := tr.RoundTrip(fetch.WithOptions(req, sc.opts))
	if err != nil {
		var fe *fetch.Error
		switch {
		case !errors.As(err, &fe):
			return fmt.Errorf("error %v is not a *fetch.Error", err)
		case fe.Reason != sc.want:
			return fmt.Errorf("%s: %v; want reason %q", sc.anchor, err, sc.want)
		}
		return nil
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("reading the body: %v", err)
	}
	switch {
	case sc.want != "":
		return fmt.Errorf("%s: success; want reason %q", sc.anchor, sc.want)
	case fetch.TypeOf(resp) != sc.typ || string(got) != sc.wantBody:
		return fmt.Errorf("%s: %v response with body %q; want %v with %q", sc.anchor, fetch.TypeOf(resp), got, sc.typ, sc.wantBody)
	case sc.urls > 0 && len(fetch.URLList(resp)) != sc.urls:
		return fmt.Errorf("%s: URL list %v; want %d URLs", sc.anchor, fetch.URLList(resp), sc.urls)
	case resp.Header.Get("Set-Cookie") != "":
		return fmt.Errorf("#forbidden-response-header-name: Set-Cookie exposed")
	}
	return nil
}
