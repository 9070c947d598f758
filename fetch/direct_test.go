package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/preflightcache"
)

// The direct path (fetch/direct.go) must send and return exactly what the
// general path does. TestDirectIsGeneral runs random fetches through two
// Transports alike but for that path, over a network that answers both the
// same way, and compares everything: the requests that reach the network
// (preflights included), the response or the *Error, the type and URL list,
// and the preflight cache's statistics. Each case runs its request three
// times, so that preflights are cached and later requests hit the cache.

// diffPlan is how diffNet answers the requests of one case: by path.
type diffPlan struct {
	status      int    // 0: a network error
	allowOrigin string // "-": no Access-Control-Allow-Origin
	credentials bool   // Access-Control-Allow-Credentials: true
	expose      string // Access-Control-Expose-Headers, when not empty
	location    string // Location, for a redirect status
	bigHead     bool   // a field long enough to pass Chromium's head limit
	close       bool   // Close set, as net/http reports Connection: close
	// failFrom: the responses to requests other than preflights, from
	// the failFrom-th on, have no Access-Control-Allow-Origin, whatever
	// allowOrigin says (a cached preflight, then a failed CORS check);
	// 0 for none.
	failFrom int
	// unsafeOnly: only methods other than GET and HEAD are redirected.
	unsafeOnly bool
	// oddKey adds a field under a key not spelled canonically, and many
	// adds 40 fields, more than the direct path's one walk takes.
	oddKey, many bool
	// corrupt makes the network change the value of the request's
	// X-Custom field in place, as a RoundTripper must not.
	corrupt bool
	// What preflights are answered with.
	pfStatus  int
	pfMethods string
	pfHeaders string
	pfMaxAge  string
}

// diffNet is a network that answers by a plan and records what it receives.
type diffNet struct {
	plan    diffPlan
	mu      sync.Mutex
	log     []string
	actuals int // requests other than preflights answered
}

func (n *diffNet) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	preflight := req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != ""
	n.mu.Lock()
	n.log = append(n.log, fmt.Sprintf("%s %s host=%s len=%d body=%q close=%v te=%q trailer=%v getbody=%v pv=%q proto=%s %v",
		req.Method, req.URL, req.Host, req.ContentLength, body, req.Close, req.TransferEncoding, req.Trailer, req.GetBody != nil,
		req.PathValue("id"), req.Proto, req.Header))
	if !preflight {
		n.actuals++
	}
	actuals := n.actuals
	n.mu.Unlock()
	p := n.plan
	if v := req.Header["X-Custom"]; p.corrupt && !preflight && len(v) > 0 {
		v[0] = "bad\x00" // as a RoundTripper must not
	}
	h := http.Header{"Content-Type": {"text/plain"}, "X-Secret": {"s"}, "Set-Cookie": {"a=b"}, "Cache-Control": {"no-store"}}
	status := p.status
	if preflight {
		status = p.pfStatus
		if p.pfMethods != "" {
			h.Set("Access-Control-Allow-Methods", p.pfMethods)
		}
		if p.pfHeaders != "" {
			h.Set("Access-Control-Allow-Headers", p.pfHeaders)
		}
		if p.pfMaxAge != "" {
			h.Set("Access-Control-Max-Age", p.pfMaxAge)
		}
	} else if strings.HasPrefix(req.URL.Path, "/next") {
		status = http.StatusOK // where a redirect leads
	}
	if status == 0 {
		return nil, errors.New("diffNet: connection refused")
	}
	if p.allowOrigin != "-" && (preflight || p.failFrom == 0 || actuals < p.failFrom) {
		h.Set("Access-Control-Allow-Origin", p.allowOrigin)
	}
	if p.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if p.expose != "" {
		h.Set("Access-Control-Expose-Headers", p.expose)
	}
	if p.unsafeOnly && (req.Method == http.MethodGet || req.Method == http.MethodHead) {
		if status >= 300 && status < 400 {
			status = http.StatusOK
		}
	} else if p.location != "" && !preflight && !strings.HasPrefix(req.URL.Path, "/next") {
		h.Set("Location", p.location)
	}
	if p.bigHead {
		h.Set("X-Big", strings.Repeat("b", 300<<10))
	}
	if p.oddKey {
		h["x-secret"] = []string{"odd"}
		h["access-control-expose-headers"] = []string{"X-Secret"}
	}
	if p.many {
		for i := range 40 {
			h.Set(fmt.Sprint("X-N", i), "v")
		}
	}
	return &http.Response{Status: fmt.Sprint(status, " ", http.StatusText(status)), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Close: p.close, Header: h,
		Body: io.NopCloser(strings.NewReader("body of " + req.URL.Path)), ContentLength: -1, Request: req}, nil
}

// diffCase is one random case: a Transport's settings, a request and a plan.
type diffCase struct {
	profile        fetch.Profile
	page           string
	userAgent      string
	acceptLanguage string
	referrerPolicy string
	method         string
	url            string
	header         http.Header
	body           string
	opts           *fetch.Options
	cancelled      bool // the request's context is done
	// warm, when set, is a request made first, once, to the same URL.
	warm      *diffCase
	trusted   bool // the network counts as net/http's (fetch.TrustFreshHeaders)
	ticking   bool // Transport.Now moves a second at every call
	pathValue bool // the request carries a path value (as a server's request does)
	plan      diffPlan
}

func (c diffCase) request() *http.Request {
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, c.url, body)
	if err != nil {
		panic(err)
	}
	req.Method = c.method // NewRequest maps "" to GET
	if c.pathValue {
		req.SetPathValue("id", "42")
	}
	for k, v := range c.header {
		req.Header[k] = append([]string(nil), v...)
	}
	if c.opts != nil {
		req = fetch.WithOptions(req, *c.opts)
	}
	if c.cancelled {
		ctx, cancel := context.WithCancel(req.Context())
		cancel()
		req = req.WithContext(ctx)
	}
	return req
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func randomDiffCase(r *rand.Rand) diffCase {
	c := diffCase{
		profile:        pick(r, fetch.Profiles()...),
		page:           pick(r, "http://app.example", "https://app.example", "http://127.0.0.1:8000"),
		userAgent:      pick(r, "", "diff/1"),
		acceptLanguage: pick(r, "", "en-US,en;q=0.9"),
		referrerPolicy: pick(r, "", "", "no-referrer", "unsafe-url", "same-origin", "strict-origin"),
		method:         pick(r, "GET", "GET", "", "HEAD", "POST", "POST", "PUT", "PUT", "DELETE", "PATCH", "OPTIONS", "get", "put", "FOO", "CONNECT"),
		url: pick(r, "http://api.example/r", "https://api.example/r?q=1", "https://api.example/r#frag", "http://app.example/same",
			"https://app.example/same", "https://sub.app.example/r", "http://127.0.0.1:9000/r", "http://localhost:9000/r",
			"http://user@api.example/r", "ftp://api.example/r", "https://api.example/"+strings.Repeat("p", 200)),
		header: http.Header{},
	}
	fields := [][2]string{
		{"Content-Type", "application/json"}, {"Content-Type", "text/plain"}, {"Content-Type", "text/plain; charset=utf-8"},
		{"Accept", "application/json"}, {"Accept", "*/*"}, {"Accept-Language", "fr"}, {"Content-Language", "de"},
		{"X-Custom", "1"}, {"X-Other", "v"}, {"Authorization", "Bearer t"}, {"Range", "bytes=0-10"},
		{"If-None-Match", `"e"`}, {"If-Modified-Since", "Mon, 30 Nov 2026 00:00:00 GMT"}, {"User-Agent", "page/1"},
		{"Cookie", "a=b"}, {"Origin", "http://evil.example"}, {"Sec-Fetch-Mode", "navigate"}, {"X-Http-Method-Override", "TRACE"},
		{"Save-Data", "on"}, {"Dpr", "2"}, {"Accept", strings.Repeat("a", 700)}, {"Accept-Language", strings.Repeat("b", 400)},
		{"X-Space", " padded "}, {"X-Bad", "a\x00b"}, {"x-lower", "1"}, {"X-Empty", ""}, {"X-Non-Ascii", "é"},
		{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "text/\x7f"},
		{"Range", "bytes=00-10"}, {"Range", "Bytes=0-10"}, {"Range", "bytes=0-99999999999999999999"},
	}
	for range r.IntN(4) {
		f := pick(r, fields...)
		if r.IntN(8) == 0 {
			c.header[f[0]] = append(c.header[f[0]], f[1]) // a repeated name now and then
		} else {
			c.header[f[0]] = []string{f[1]}
		}
	}
	if r.IntN(12) == 0 {
		c.header["X-Nil"] = nil
	}
	if r.IntN(3) == 0 || c.method == "POST" || c.method == "PUT" {
		c.body = pick(r, "", `{"a":1}`)
	}
	if r.IntN(8) == 0 {
		c.opts = &fetch.Options{Mode: pick(r, fetch.ModeCORS, fetch.ModeNoCORS), Credentials: pick(r, fetch.CredentialsSameOrigin, fetch.CredentialsInclude)}
	}
	pageOrigin := c.page
	c.plan = diffPlan{
		status:      pick(r, 200, 200, 200, 204, 205, 404, 407, 301, 302, 303, 307, 308, 0),
		allowOrigin: pick(r, "*", "*", pageOrigin, pageOrigin, "-", "http://other.example", "null", pageOrigin+"/"),
		credentials: r.IntN(4) == 0,
		expose:      pick(r, "", "", "X-Secret", "*", "x-secret, Set-Cookie", ",,bad"),
		bigHead:     r.IntN(20) == 0,
		close:       r.IntN(6) == 0,
		pfStatus:    pick(r, 200, 204, 204, 500, 0),
		pfMethods:   pick(r, "", "PUT, DELETE, PATCH", "*", "FOO"),
		pfHeaders:   pick(r, "", "content-type, x-custom, authorization", "*", "X-Other"),
		pfMaxAge:    pick(r, "", "600", "0", "-1", "3"),
		oddKey:      r.IntN(10) == 0,
		many:        r.IntN(10) == 0,
	}
	c.trusted = r.IntN(2) == 0
	c.ticking = r.IntN(8) == 0
	c.pathValue = r.IntN(4) == 0
	c.plan.corrupt = r.IntN(20) == 0
	if r.IntN(2) == 0 {
		// Half the cases are what the direct path is for, so that it
		// takes many: another origin, a common method, fields it takes,
		// a server that allows them and lets its preflights be cached.
		c.url = pick(r, "http://api.example/r", "https://api.example/r?q=1", "https://api.example/r#frag", "https://sub.app.example/r", "http://127.0.0.1:9000/r")
		c.method = pick(r, "GET", "", "HEAD", "POST", "PUT", "DELETE", "PATCH")
		if c.method == "GET" || c.method == "HEAD" || c.method == "" {
			c.body = ""
		}
		c.opts = nil
		c.header = http.Header{}
		for range r.IntN(3) {
			f := pick(r, fields[:10]...)
			c.header[f[0]] = []string{f[1]}
		}
		c.plan.status = pick(r, 200, 200, 204, 205, 404, 302, 303, 307, 0)
		c.plan.allowOrigin = pick(r, "*", pageOrigin, "-")
		c.plan.bigHead = false
		c.plan.pfStatus, c.plan.pfMethods, c.plan.pfHeaders, c.plan.pfMaxAge = 204, "PUT, DELETE, PATCH", "content-type, x-custom, authorization, x-other", "600"
		c.plan.failFrom = pick(r, 0, 0, 0, 2, 3, 4)
		c.plan.unsafeOnly = r.IntN(3) == 0
		c.cancelled = r.IntN(20) == 0
	}
	if c.plan.status >= 301 && c.plan.status <= 308 {
		c.plan.location = pick(r, "/next", "https://api.example/next", "http://other.example/next", "http://app.example/next",
			"ftp://x/next", "http://user@api.example/next", "", c.url, "/next", "/next")
	}
	return c
}

// diffOutcome is what one fetch showed: the network's log, the result.
type diffOutcome struct {
	Log     []string
	Status  int
	Header  http.Header
	Body    string
	Type    string
	URLs    []string
	ReqURL  string
	Err     *fetch.Error
	ErrText string
}

func runDiff(t *testing.T, tr *fetch.Transport, net *diffNet, req *http.Request, direct bool) (diffOutcome, bool) {
	t.Helper()
	var resp *http.Response
	var err error
	took := false
	if direct {
		resp, took, err = fetch.RoundTripDirect(tr, req)
	} else {
		resp, err = tr.RoundTrip(req)
	}
	net.mu.Lock()
	out := diffOutcome{Log: net.log}
	net.log = nil
	net.mu.Unlock()
	if err != nil {
		out.ErrText = err.Error()
		if !errors.As(err, &out.Err) {
			t.Fatalf("error %v does not unwrap to *fetch.Error", err)
		}
		return out, took
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	out.Status, out.Header, out.Body, out.Type = resp.StatusCode, resp.Header, string(b), fetch.TypeOf(resp).String()
	for _, u := range fetch.URLList(resp) {
		out.URLs = append(out.URLs, u.String())
	}
	out.ReqURL = resp.Request.URL.String()
	return out, took
}

// fixedDiffCases are cases too rare among the random ones to leave to them.
var fixedDiffCases = []diffCase{{
	// A preflight that allows every name (`*`), cached; then a page that
	// sets User-Agent, which Chrome drops: the direct path must not take
	// the request on the strength of the cache's `*` and send the field.
	profile: fetch.Chrome, page: "http://app.example", method: "PUT", url: "http://api.example/r",
	header: http.Header{"User-Agent": {"page/1"}, "X-Custom": {"1"}},
	warm:   &diffCase{method: "PUT", header: http.Header{"X-Custom": {"1"}}},
	plan:   diffPlan{status: 200, allowOrigin: "*", pfStatus: 204, pfMethods: "PUT", pfHeaders: "*", pfMaxAge: "600"},
}, {
	// The same cached `*`; then a GET with Save-Data, which Chrome
	// safelists: it needs no preflight, so the cache is not asked, and its
	// statistics show it.
	profile: fetch.Chrome, page: "http://app.example", method: "GET", url: "http://api.example/r",
	header: http.Header{"Save-Data": {"on"}},
	warm:   &diffCase{method: "PUT", header: http.Header{"X-Custom": {"1"}}},
	plan:   diffPlan{status: 200, allowOrigin: "*", pfStatus: 204, pfMethods: "PUT", pfHeaders: "*", pfMaxAge: "600"},
}, {
	// A network that changes a header value of the request in place, then
	// redirects: the request cannot be made again, on either path.
	profile: fetch.Chrome, page: "http://app.example", method: "PUT", url: "http://api.example/r",
	header: http.Header{"X-Custom": {"1"}}, body: `{"a":1}`,
	plan: diffPlan{status: http.StatusTemporaryRedirect, allowOrigin: "*", location: "/next", corrupt: true,
		pfStatus: 204, pfMethods: "PUT", pfHeaders: "x-custom", pfMaxAge: "600"},
}, {
	// A path value on the request, and a redirect: the second request is
	// made as the general path makes it.
	profile: fetch.Chrome, page: "http://app.example", method: "GET", url: "http://api.example/r", pathValue: true,
	plan: diffPlan{status: http.StatusFound, allowOrigin: "*", location: "/next"},
}, {
	// A cached preflight, a 303 to the same URL whose GET fails the CORS
	// check the second time: under the standard's clearing, the entry goes
	// because the fetch took the preflight path (#concept-cache-clear),
	// which the hand-over from the direct path must carry.
	profile: fetch.Spec, page: "http://app.example", method: "PUT", url: "http://api.example/r",
	header: http.Header{"Content-Type": {"application/json"}}, body: `{"a":1}`,
	plan: diffPlan{status: http.StatusSeeOther, allowOrigin: "*", location: "http://api.example/r", unsafeOnly: true, failFrom: 4,
		pfStatus: 204, pfMethods: "PUT", pfHeaders: "content-type", pfMaxAge: "600"},
}}

func TestDirectIsGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 26))
	n := 4000
	if testing.Short() {
		n = 800
	}
	taken := map[string]int{}
	for i := range len(fixedDiffCases) + n {
		var c diffCase
		if i < len(fixedDiffCases) {
			c = fixedDiffCases[i]
		} else {
			c = randomDiffCase(r)
		}
		netD, netG := &diffNet{plan: c.plan}, &diffNet{plan: c.plan}
		mk := func(base http.RoundTripper) *fetch.Transport {
			var now func() time.Time
			if c.ticking {
				at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
				now = func() time.Time { at = at.Add(time.Second); return at }
			}
			return &fetch.Transport{Origin: origin.MustParse(c.page), Base: base, Browser: c.profile, Now: now,
				Cache:     preflightcache.New(c.profile.PreflightCache),
				UserAgent: c.userAgent, AcceptLanguage: c.acceptLanguage, ReferrerPolicy: c.referrerPolicy}
		}
		trD, trG := mk(netD), mk(netG)
		fetch.GeneralOnly(trG)
		if c.trusted {
			fetch.TrustFreshHeaders(trD)
			fetch.TrustFreshHeaders(trG)
		}
		if w := c.warm; w != nil {
			w.page, w.url, w.profile = c.page, c.url, c.profile
			d, _ := runDiff(t, trD, netD, w.request(), true)
			g, _ := runDiff(t, trG, netG, w.request(), false)
			if diff := cmp.Diff(g, d, cmp.Comparer(func(a, b error) bool { return fmt.Sprint(a) == fmt.Sprint(b) })); diff != "" {
				t.Fatalf("case %d, warming (%+v): the direct path differs from the general path (-general +direct):\n%s", i, c, diff)
			}
		}
		for round := range 3 {
			d, took := runDiff(t, trD, netD, c.request(), true)
			g, _ := runDiff(t, trG, netG, c.request(), false)
			if diff := cmp.Diff(g, d, cmp.Comparer(func(a, b error) bool { return fmt.Sprint(a) == fmt.Sprint(b) })); diff != "" {
				t.Fatalf("case %d round %d (%+v): the direct path differs from the general path (-general +direct):\n%s", i, round, c, diff)
			}
			if sd, sg := trD.Cache.Stats(), trG.Cache.Stats(); sd != sg {
				t.Fatalf("case %d round %d (%+v): preflight cache statistics %+v, general %+v", i, round, c, sd, sg)
			}
			if took {
				switch {
				case d.Err != nil && d.Err.Reason == fetch.ReasonNetwork:
					taken["network error"]++
				case d.Err != nil:
					taken["blocked"]++
				case len(d.URLs) > 1:
					taken["redirected"]++
				case len(d.Log) == 1 && d.Log[0][:3] != "GET" && d.Log[0][:4] != "HEAD" && d.Log[0][:4] != "POST":
					taken["preflight cached"]++
				default:
					taken["returned"]++
				}
			}
		}
	}
	t.Logf("requests on the direct path, by outcome: %v", taken)
	for _, k := range []string{"network error", "blocked", "redirected", "preflight cached", "returned"} {
		if taken[k] < 10 {
			t.Errorf("only %d requests took the direct path with the outcome %q: the comparison does not cover it", taken[k], k)
		}
	}
}

// TestDirectClockReads checks that a request the direct path leaves to the
// general path has not read Transport.Now: with a clock that moves a second
// at every reading and preflights cached for 3 seconds, a PUT to /r, a PUT
// to /bad (whose preflight fails) and a PUT to /r again make the same
// requests on both paths, the last one served by the cache.
func TestDirectClockReads(t *testing.T) {
	plan := diffPlan{status: 200, allowOrigin: "*", pfStatus: 204, pfMethods: "PUT", pfHeaders: "content-type", pfMaxAge: "3"}
	var outcomes [2][]diffOutcome
	for i, general := range []bool{false, true} {
		net := &diffNet{plan: plan}
		at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		tr := &fetch.Transport{Origin: origin.MustParse("http://app.example"), Base: net, Browser: fetch.Spec,
			Now: func() time.Time { at = at.Add(time.Second); return at }}
		if general {
			fetch.GeneralOnly(tr)
		}
		for _, path := range []string{"/r", "/bad", "/r"} {
			net.plan.pfStatus = 204
			if path == "/bad" {
				net.plan.pfStatus = 500
			}
			out, _ := runDiff(t, tr, net, ownRequest("preflight-hit", "http://api.example"+path), !general)
			outcomes[i] = append(outcomes[i], out)
		}
	}
	if diff := cmp.Diff(outcomes[1], outcomes[0]); diff != "" {
		t.Errorf("the direct path differs from the general path (-general +direct):\n%s", diff)
	}
	if n := len(outcomes[1][2].Log); n != 1 {
		t.Errorf("the last PUT to /r made %d requests; want 1, its preflight cached", n)
	}
}

// TestDirectCacheStats checks that a request the direct path leaves to the
// general path is looked up in the preflight cache once: a miss counts
// once, and a hit once.
func TestDirectCacheStats(t *testing.T) {
	net := &diffNet{plan: diffPlan{status: 200, allowOrigin: "*", pfStatus: 204, pfMethods: "PUT", pfHeaders: "content-type", pfMaxAge: "600"}}
	tr := &fetch.Transport{Origin: origin.MustParse("http://app.example"), Base: net, Cache: preflightcache.New(preflightcache.Options{})}
	for range 2 {
		req := ownRequest("preflight-hit", "http://api.example/r")
		resp, err := tr.RoundTrip(req.WithContext(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if st := tr.Cache.Stats(); st.Misses != 1 || st.Hits != 1 {
		t.Errorf("preflight cache statistics after a miss and a hit: %+v, want 1 miss and 1 hit", st)
	}
}
