package fetch_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// The fuzzed world: the page is at fuzzPage; fuzzSameSite is same site but
// cross origin, fuzzCrossSite and fuzzOther are other sites.
var (
	fuzzPage      = origin.MustParse("http://a.test")
	fuzzURLs      = []string{"http://a.test/r", "http://p.a.test/r", "http://b.test/r", "http://a.test/r#frag"}
	fuzzProfiles  = []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari, fetch.Spec}
	fuzzMethods   = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "patch", "OPTIONS"}
	errFuzzSocket = errors.New("fuzz: connection reset by the fuzzed server")
)

// fuzzStatuses are the statuses the fuzzed server picks from; any other
// byte value gives a status from 200 to 599.
var fuzzStatuses = []int{200, 204, 206, 301, 302, 303, 307, 308, 300, 304, 404, 500}

// fuzzFields are the response header names the fuzzed server picks from,
// each with values worth trying; the input may also give any name or value.
var fuzzFields = []struct {
	name   string
	values []string
}{
	{name: "Access-Control-Allow-Origin", values: []string{"*", "http://a.test", "null", "http://b.test", "http://a.test/", "*, *", ""}},
	{name: "Access-Control-Allow-Credentials", values: []string{"true", "True", "true, true", ""}},
	{name: "Access-Control-Allow-Methods", values: []string{"PUT", "*", "put", "GET, PUT, DELETE, PATCH, OPTIONS", "PUT;", ""}},
	{name: "Access-Control-Allow-Headers", values: []string{"x-custom", "*", "authorization, x-custom, content-type", "x custom", ""}},
	{name: "Access-Control-Expose-Headers", values: []string{"X-Foo", "*", "Set-Cookie", "x-foo, x-secret", "x-foo;", ",,", "Set-Cookie2, *", "*, Set-Cookie"}},
	{name: "Access-Control-Max-Age", values: []string{"0", "-1", "10", "99999999999999999999", "+5", "1.5", ""}},
	{name: "Location", values: []string{"http://a.test/x", "http://b.test/y", "http://c.test/z", "http://p.a.test/q", "/rel", "//b.test/p",
		"ftp://b.test/", "data:,x", "javascript:alert(1)", "about:blank", "http://u:p@b.test/", "", "http://[::1"}},
	{name: "Set-Cookie", values: []string{"a=1", "b=2; Path=/; SameSite=None; Secure", "c=3; Path=/; Partitioned; Secure", "bad"}},
	{name: "Set-Cookie2", values: []string{"d=4"}},
	{name: "Content-Type", values: []string{"text/plain"}},
	{name: "Cache-Control", values: []string{"no-store"}},
	{name: "X-Foo", values: []string{"foo"}},
	{name: "X-Secret", values: []string{"secret"}},
	{name: "*", values: []string{"star"}},
}

// fuzzInput reads fuzz bytes as a sequence of choices; past the end every
// choice is 0.
type fuzzInput struct{ b []byte }

func (in *fuzzInput) next() byte {
	if len(in.b) == 0 {
		return 0
	}
	c := in.b[0]
	in.b = in.b[1:]
	return c
}

// pick returns a number in [0, n).
func (in *fuzzInput) pick(n int) int { return int(in.next()) % n }

// str returns up to 31 arbitrary bytes.
func (in *fuzzInput) str() string {
	n := in.pick(32)
	if n > len(in.b) {
		n = len(in.b)
	}
	s := string(in.b[:n])
	in.b = in.b[n:]
	return s
}

// fuzzResponse is one response of the fuzzed server.
type fuzzResponse struct {
	err    bool // fail the round trip instead
	status int
	header http.Header
	body   string
}

// decodeResponses reads up to eight responses from script.
func decodeResponses(script []byte) []fuzzResponse {
	in := &fuzzInput{script}
	var out []fuzzResponse
	for len(out) < 8 && (len(out) == 0 || len(in.b) > 0) {
		r := fuzzResponse{header: http.Header{}}
		switch s := in.next(); {
		case s == 255:
			r.err = true
		case int(s) < len(fuzzStatuses):
			r.status = fuzzStatuses[s]
		default:
			r.status = 200 + int(s)%400
		}
		for n := in.pick(8); n > 0; n-- {
			var name, value string
			if i := in.pick(len(fuzzFields) + 1); i < len(fuzzFields) {
				name = fuzzFields[i].name
				if j := in.pick(len(fuzzFields[i].values) + 1); j < len(fuzzFields[i].values) {
					value = fuzzFields[i].values[j]
				} else {
					value = in.str()
				}
			} else {
				// Any name: as net/http's client hands it over,
				// canonicalized when it is a token.
				name, value = in.str(), in.str()
				if name == "" {
					continue
				}
			}
			r.header.Add(name, value)
		}
		r.body = in.str()
		out = append(out, r)
	}
	return out
}

// fuzzExchange is one request the fuzzed server received and what it
// answered.
type fuzzExchange struct {
	preflight bool
	url       *url.URL
	header    http.Header
	resp      fuzzResponse
	body      *trackedBody // nil when the round trip failed
}

// trackedBody is a response body that records whether it was closed.
type trackedBody struct {
	*bytes.Reader
	mu     sync.Mutex
	closed bool
}

func (b *trackedBody) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return nil
}

func (b *trackedBody) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// fuzzServer is an in-process http.RoundTripper answering the i-th request
// with the i-th response of its script, cycling.
type fuzzServer struct {
	script []fuzzResponse
	log    []fuzzExchange
}

func (s *fuzzServer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	r := s.script[len(s.log)%len(s.script)]
	x := fuzzExchange{
		preflight: req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != "",
		url:       req.URL,
		header:    req.Header.Clone(),
		resp:      r,
	}
	if r.err {
		s.log = append(s.log, x)
		return nil, errFuzzSocket
	}
	x.body = &trackedBody{Reader: bytes.NewReader([]byte(r.body))}
	s.log = append(s.log, x)
	return &http.Response{
		Status:     http.StatusText(r.status),
		StatusCode: r.status,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     r.header.Clone(),
		Body:       x.body,
		Request:    req,
	}, nil
}

// fuzzRequest is the page's fetch() call.
type fuzzRequest struct {
	browser   fetch.Profile
	method    string
	url       string
	opts      fetch.Options
	fields    []string
	noGetBody bool // a body that cannot be sent again
	repeat    bool // fetch twice through one Transport
}

func decodeRequest(b []byte) fuzzRequest {
	in := &fuzzInput{b}
	r := fuzzRequest{
		browser: fuzzProfiles[in.pick(len(fuzzProfiles))],
		method:  fuzzMethods[in.pick(len(fuzzMethods))],
		url:     fuzzURLs[in.pick(len(fuzzURLs))],
		opts: fetch.Options{
			Mode:        fetch.Mode(in.pick(3)),
			Credentials: fetch.Credentials(in.pick(3)),
			Redirect:    fetch.Redirect(in.pick(3)),
			Cache:       fetch.CacheMode(in.pick(6)),
		},
	}
	bits := in.next()
	for i, f := range [][2]string{
		{"X-Custom", "1"}, {"Content-Type", "application/json"}, {"Authorization", "Bearer t"},
		{"Cookie", "page=1"}, {"Accept", "text/plain"},
	} {
		if bits&(1<<i) != 0 {
			r.fields = append(r.fields, f[0], f[1])
		}
	}
	r.repeat = bits&(1<<5) != 0
	r.noGetBody = bits&(1<<6) != 0
	if bits&(1<<7) != 0 {
		r.fields = append(r.fields, "X-Any", in.str())
	}
	return r
}

// FuzzTransport runs one fetch (or two through one Transport) through a
// Transport whose Base is a fuzzed server: the first input chooses the
// request (profile, method, URL, mode, credentials, redirect and cache
// modes, header fields, a body that cannot be replayed), the second the
// server's responses (status, header fields and their repeats, body; a
// failed round trip), one per request the Transport sends, preflights
// included. Header names are canonical, as net/http's client hands them
// over. It checks what must hold whatever the server does:
//
//   - a failure is an error unwrapping to *fetch.Error, with no response;
//   - the request passed in is not modified (design.md, API contract);
//   - the response's type follows from the URL list and the mode
//     (#concept-main-fetch: tainting only moves away from basic);
//   - its Header holds exactly the fields the filtered response exposes,
//     computed here from the server's raw response
//     (#concept-filtered-response-basic, -cors, -opaque,
//     -opaque-redirect; #concept-main-fetch for the exposed list);
//   - its body is the last raw response's body, and only when the page may
//     read it: every cors-tainted response on the way passed the CORS
//     check (#concept-cors-check, run in #concept-http-fetch);
//   - preflights carry no Cookie or Authorization (#cors-preflight-fetch-0);
//     Cookie only where credentials are included (#credentials);
//     Authorization never after a cross-origin hop (#concept-http-redirect-fetch
//     step 13);
//   - every raw body the caller does not get is closed.
func FuzzTransport(f *testing.F) {
	// Seeds. A request is profile, method, URL, mode, credentials,
	// redirect and cache mode, header bits (indexes into the tables above).
	get := []byte{0, 0, 2, 0, 0, 0, 0, 0}
	f.Add(get, seedResponses(seedResponse(0, "hello", acao, 0, xFoo, 0, xSecret, 0, contentType, 0)))
	f.Add(get, seedResponses(seedResponse(0, "x", acao, 1, aceh, 3, xFoo, 0, xSecret, 0, setCookie, 0)))
	f.Add(get, seedResponses(seedResponse(0, "x", acao, 0, aceh, 1, setCookie, 0, setCookie2, 0, xSecret, 0)))
	f.Add([]byte{0, 0, 2, 0, 2, 0, 0, 0}, // credentials include
		seedResponses(seedResponse(0, "x", acao, 1, acac, 0, aceh, 2, setCookie, 1, xFoo, 0)))
	f.Add([]byte{0, 0, 2, 1, 0, 0, 0, 0}, // no-cors
		seedResponses(seedResponse(0, "secret", acao, 0, xFoo, 0)))
	f.Add([]byte{0, 3, 2, 0, 0, 0, 0, 1}, // PUT with X-Custom: preflighted
		seedResponses(seedResponse(0, "", acao, 1, acam, 0, acah, 0), seedResponse(0, "put", acao, 1)))
	f.Add(get, seedResponses(seedResponse(4, "", acao, 0, location, 2), seedResponse(0, "at c", acao, 0)))
	f.Add(get, seedResponses(seedResponse(4, "", acao, 0, location, 1))) // a redirect loop
	f.Add([]byte{0, 0, 2, 0, 0, 2, 0, 0},                                // redirect manual
		seedResponses(seedResponse(4, "moved", acao, 0, location, 0)))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 4}, // same origin, Authorization
		seedResponses(seedResponse(4, "", location, 1), seedResponse(0, "at b", acao, 0)))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0}, // same origin: basic
		seedResponses(seedResponse(0, "mine", setCookie, 0, setCookie2, 0, xSecret, 0)))
	f.Add([]byte{0, 3, 2, 0, 0, 0, 0, 1}, []byte{255}) // the network fails
	f.Add([]byte{0, 3, 2, 0, 0, 0, 0, 1 | 1<<5},       // twice: the preflight cached
		seedResponses(seedResponse(0, "", acao, 1, acam, 0, acah, 0, maxAge, 2), seedResponse(0, "put", acao, 1)))
	f.Add([]byte{0, 2, 2, 0, 0, 0, 0, 1 << 6}, // POST without GetBody, 307
		seedResponses(seedResponse(6, "", acao, 0, location, 2), seedResponse(0, "at c", acao, 0)))
	f.Fuzz(func(t *testing.T, reqBytes, script []byte) {
		checkFuzzedFetch(t, decodeRequest(reqBytes), decodeResponses(script))
	})
}

// Indexes of fuzzFields, for seeds.
const (
	acao byte = iota
	acac
	acam
	acah
	aceh
	maxAge
	location
	setCookie
	setCookie2
	contentType
	cacheControl
	xFoo
	xSecret
)

// seedResponse encodes a response for decodeResponses: the index of its
// status in fuzzStatuses, its body, and pairs of (field, value) indexes.
func seedResponse(status byte, body string, fields ...byte) []byte {
	b := []byte{status, byte(len(fields) / 2)}
	b = append(b, fields...)
	b = append(b, byte(len(body)))
	return append(b, body...)
}

func seedResponses(rs ...[]byte) []byte { return slices.Concat(rs...) }

// checkFuzzedFetch runs fr against a server answering with script and
// checks the invariants listed on FuzzTransport; when fr.repeat is set, it
// runs it again through the same Transport, whose preflight cache may now
// answer.
func checkFuzzedFetch(t *testing.T, fr fuzzRequest, script []fuzzResponse) {
	srv := &fuzzServer{script: script}
	jar, _ := cookiejar.New(nil)
	for _, u := range fuzzURLs {
		pu, _ := url.Parse(u)
		jar.SetCookies(pu, []*http.Cookie{{Name: "jar", Value: "1", Path: "/"}})
	}
	tr := &fetch.Transport{Origin: fuzzPage, Base: srv, Jar: jar, Browser: fr.browser}
	fuzzedFetchOnce(t, tr, srv, fr)
	if fr.repeat {
		fuzzedFetchOnce(t, tr, srv, fr)
	}
}

// fuzzedFetchOnce sends fr through tr and checks the outcome against what
// srv received and answered meanwhile.
func fuzzedFetchOnce(t *testing.T, tr *fetch.Transport, srv *fuzzServer, fr fuzzRequest) {
	var body io.Reader
	if fr.method == "POST" || fr.method == "PUT" {
		body = strings.NewReader("data")
	}
	req, err := http.NewRequest("GET", fr.url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Method = fr.method
	if fr.noGetBody {
		req.GetBody = nil
	}
	for i := 0; i+1 < len(fr.fields); i += 2 {
		req.Header.Add(fr.fields[i], fr.fields[i+1])
	}
	sentHeader, sentURL := req.Header.Clone(), req.URL.String()
	start := len(srv.log)
	resp, err := tr.RoundTrip(fetch.WithOptions(req, fr.opts))
	log := srv.log[start:]

	// design.md: "The request passed in is never modified."
	if !headersEqual(req.Header, sentHeader) || req.URL.String() != sentURL || req.Method != fr.method {
		t.Fatalf("the request was modified: %s %s %v, was %s %s %v", req.Method, req.URL, req.Header, fr.method, sentURL, sentHeader)
	}
	checkFuzzedRequests(t, fr, log)
	if err != nil {
		var fe *fetch.Error
		if !errors.As(err, &fe) {
			t.Fatalf("error %v (%T) does not unwrap to *fetch.Error", err, err)
		}
		if resp != nil {
			t.Fatal("both a response and an error")
		}
		if fe.Reason == fetch.ReasonNetwork && !errors.Is(err, errFuzzSocket) && fr.opts.Cache != fetch.CacheOnlyIfCached && !proxyAuthRefused(fr.browser, log) {
			t.Fatalf("network error %v, but the network never failed", err)
		}
		checkBodiesClosed(t, log, nil)
		return
	}
	got, rerr := io.ReadAll(resp.Body)
	if rerr != nil {
		t.Fatalf("reading the body: %v", rerr)
	}
	resp.Body.Close()

	if proxyAuthRefused(fr.browser, log) {
		t.Fatalf("a 407 reached a %s profile, which fails it (check-status-407), yet the fetch succeeded", fr.browser.Name)
	}
	var actual []fuzzExchange // the requests other than preflights
	for _, x := range log {
		if !x.preflight {
			actual = append(actual, x)
		}
	}
	if len(actual) == 0 {
		t.Fatal("a response, but no request reached the server")
	}
	last := actual[len(actual)-1]
	if last.body == nil {
		t.Fatal("a response, but the last round trip failed")
	}
	checkBodiesClosed(t, log, last.body)

	typ := fetch.TypeOf(resp)
	want := expectedType(fr, actual)
	if typ == fetch.TypeOpaqueRedirect {
		// #concept-http-fetch: redirect mode "manual" turns a redirect
		// into an opaque-redirect filtered response.
		if fr.opts.Redirect != fetch.RedirectManual || !isRedirectStatus(last.resp.status) {
			t.Fatalf("opaqueredirect for redirect mode %v and status %d", fr.opts.Redirect, last.resp.status)
		}
	} else if typ != want {
		t.Fatalf("#concept-main-fetch: type %v, want %v for mode %v and URLs %v", typ, want, fr.opts.Mode, urlsOf(actual))
	}
	if typ == fetch.TypeCORS {
		// Every response of the cors-tainted part of the chain passed the
		// CORS check, with the origin serialized as at that hop.
		for i, x := range actual {
			if !crossOriginBefore(actual[:i+1]) {
				continue // still basic tainting at this hop
			}
			reqOrigin := fuzzPage.String()
			if redirectTainted(fuzzPage, urlsOf(actual[:i+1])) {
				reqOrigin = "null"
			}
			if !corsCheckOracle(x.resp.header, reqOrigin, fr.opts.Credentials == fetch.CredentialsInclude) {
				t.Fatalf("#concept-cors-check: hop %d (%s) fails the CORS check for origin %q, yet the fetch succeeded; ACAO %q ACAC %q",
					i, x.url, reqOrigin, x.resp.header.Values("Access-Control-Allow-Origin"), x.resp.header.Values("Access-Control-Allow-Credentials"))
			}
		}
	}

	var wantHeader http.Header
	wantBody, wantStatus := last.resp.body, last.resp.status
	if wantStatus == http.StatusResetContent && !fr.browser.Response.ResetContentBody {
		wantBody = "" // #null-body-status (check-status-205)
	}
	switch typ {
	case fetch.TypeBasic:
		wantHeader = basicOracle(last.resp.header)
	case fetch.TypeCORS:
		wantHeader = corsOracle(last.resp.header, fr.opts.Credentials == fetch.CredentialsInclude)
	default:
		wantHeader, wantBody, wantStatus = http.Header{}, "", 0
		if resp.Status != "" {
			t.Errorf("#concept-filtered-response-opaque: Status %q, want empty", resp.Status)
		}
	}
	if resp.Header == nil {
		t.Fatal("nil Header")
	}
	for name := range resp.Header {
		if strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Set-Cookie2") {
			t.Fatalf("#forbidden-response-header-name: %s exposed in a %v response", name, typ)
		}
	}
	if !headersEqual(resp.Header, wantHeader) {
		t.Fatalf("%v response exposes %v; the filtered response exposes %v (raw %v)", typ, resp.Header, wantHeader, last.resp.header)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("%v response: status %d, want %d", typ, resp.StatusCode, wantStatus)
	}
	if string(got) != wantBody {
		t.Fatalf("%v response: body %q, want %q", typ, got, wantBody)
	}
}

// checkFuzzedRequests checks what every request the server received
// carried.
func checkFuzzedRequests(t *testing.T, fr fuzzRequest, log []fuzzExchange) {
	var urls []*url.URL
	for _, x := range log {
		if x.preflight {
			// #cors-preflight-fetch-0: the preflight's credentials mode
			// is "omit" and its header list is built afresh.
			if x.header.Get("Cookie") != "" || x.header.Get("Authorization") != "" {
				t.Fatalf("preflight to %s carries Cookie %q, Authorization %q", x.url, x.header.Get("Cookie"), x.header.Get("Authorization"))
			}
			continue
		}
		urls = append(urls, x.url)
		if c := x.header.Get("Cookie"); c != "" {
			// #concept-http-network-or-cache-fetch: includeCredentials
			// is include, or same-origin with basic tainting, which
			// lasts while every URL so far is same origin with the page
			// (and never in no-cors mode once it left the page's origin).
			basic := true
			for _, u := range urls {
				basic = basic && fuzzPage.SameOrigin(origin.FromURL(u))
			}
			ok := fr.opts.Credentials == fetch.CredentialsInclude ||
				fr.opts.Credentials == fetch.CredentialsSameOrigin && basic
			if !ok {
				t.Fatalf("#credentials: request to %s (URLs %v, credentials %v) carries Cookie %q", x.url, urls, fr.opts.Credentials, c)
			}
			if strings.Contains(c, "page=1") {
				t.Fatalf("#forbidden-request-header: the page's own Cookie field was sent: %q", c)
			}
		}
		if a := x.header.Get("Authorization"); a != "" {
			for i := 1; i < len(urls); i++ {
				if !origin.FromURL(urls[i-1]).SameOrigin(origin.FromURL(urls[i])) {
					t.Fatalf("#concept-http-redirect-fetch step 13: Authorization %q sent to %s after the cross-origin hop %s -> %s",
						a, x.url, urls[i-1], urls[i])
				}
			}
		}
	}
}

// checkBodiesClosed checks that every raw response body but keep was
// closed by the Transport.
func checkBodiesClosed(t *testing.T, log []fuzzExchange, keep *trackedBody) {
	for i, x := range log {
		if x.body != nil && x.body != keep && !x.body.isClosed() {
			t.Fatalf("the body of response %d (%s, status %d) was never closed", i, x.url, x.resp.status)
		}
	}
}

// expectedType returns the response type that main fetch's response
// tainting gives for the URLs the request went through
// (#concept-main-fetch, #concept-request-response-tainting).
func expectedType(fr fuzzRequest, actual []fuzzExchange) fetch.ResponseType {
	if !crossOriginBefore(actual) {
		return fetch.TypeBasic
	}
	if fr.opts.Mode == fetch.ModeNoCORS {
		return fetch.TypeOpaque
	}
	return fetch.TypeCORS
}

// crossOriginBefore reports whether any of the URLs is cross origin with
// the page.
func crossOriginBefore(xs []fuzzExchange) bool {
	for _, x := range xs {
		if !fuzzPage.SameOrigin(origin.FromURL(x.url)) {
			return true
		}
	}
	return false
}

func urlsOf(xs []fuzzExchange) []*url.URL {
	out := make([]*url.URL, len(xs))
	for i, x := range xs {
		out[i] = x.url
	}
	return out
}

func isRedirectStatus(s int) bool {
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308
}

// redirectTainted is #concept-request-tainted-origin, step by step: the
// request's redirect-taint is not "same-origin".
func redirectTainted(page origin.Origin, urls []*url.URL) bool {
	tainted := false
	for i := 1; i < len(urls); i++ {
		last, cur := origin.FromURL(urls[i-1]), origin.FromURL(urls[i])
		if !cur.SameSite(last) && !page.SameSite(last) {
			return true
		}
		if !cur.SameOrigin(last) && !page.SameOrigin(last) {
			tainted = true
		}
	}
	return tainted
}

// corsCheckOracle is #concept-cors-check, step by step.
func corsCheckOracle(h http.Header, reqOrigin string, include bool) bool {
	values := h.Values("Access-Control-Allow-Origin")
	if len(values) == 0 { // step 2: null
		return false
	}
	allow := strings.Join(values, ", ") // step 1: get
	if !include && allow == "*" {       // step 3
		return true
	}
	if allow != reqOrigin { // step 4
		return false
	}
	if !include { // step 5
		return true
	}
	return strings.Join(h.Values("Access-Control-Allow-Credentials"), ", ") == "true" // steps 6-8
}

// basicOracle is #concept-filtered-response-basic: every field but the
// forbidden response-header names.
func basicOracle(h http.Header) http.Header {
	out := http.Header{}
	for name, v := range h {
		if !isForbiddenResponseName(name) && isTokenOracle(name) {
			out[name] = v
		}
	}
	return out
}

// proxyAuthRefused reports whether a response in log has status 407 and
// the profile fails every 407 (Profile.Response.ProxyAuthFails).
func proxyAuthRefused(b fetch.Profile, log []fuzzExchange) bool {
	if !b.Response.ProxyAuthFails {
		return false
	}
	for _, x := range log {
		if x.body != nil && x.resp.status == http.StatusProxyAuthRequired {
			return true
		}
	}
	return false
}

// isTokenOracle reports whether s is an HTTP token (RFC 9110 tchar): every
// engine drops a response field whose name is not one
// (expose-name-space).
func isTokenOracle(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// corsOracle is #concept-filtered-response-cors with the CORS-exposed
// header-name list of #concept-main-fetch: the seven safelisted names, plus
// the names of a parseable Access-Control-Expose-Headers (every name for `*`
// without credentials), never Set-Cookie or Set-Cookie2.
func corsOracle(h http.Header, include bool) http.Header {
	exposed, ok := exposeList(h.Values("Access-Control-Expose-Headers"))
	all := ok && !include && slices.Contains(exposed, "*")
	out := http.Header{}
	for name, v := range h {
		if isForbiddenResponseName(name) || !isTokenOracle(name) {
			continue
		}
		visible := all
		switch strings.ToLower(name) {
		case "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma":
			visible = true
		}
		for _, e := range exposed {
			visible = visible || strings.EqualFold(e, name)
		}
		if visible {
			out[name] = v
		}
	}
	return out
}

// exposeList is #extract-header-list-values for Access-Control-Expose-Headers
// (#field-name): each field a comma-separated list of tokens, empty elements
// ignored; any other element makes the whole list a failure.
func exposeList(fields []string) ([]string, bool) {
	if len(fields) == 0 {
		return nil, false
	}
	var out []string
	for _, f := range fields {
		for _, e := range strings.Split(f, ",") {
			e = strings.Trim(e, " \t")
			if e == "" {
				continue
			}
			if !isToken(e) {
				return nil, false
			}
			out = append(out, e)
		}
	}
	return out, true
}

// isToken reports whether s is an RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func isForbiddenResponseName(name string) bool {
	return strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Set-Cookie2")
}

// headersEqual reports whether a and b hold the same fields, names
// compared canonically.
func headersEqual(a, b http.Header) bool {
	canon := func(h http.Header) map[string][]string {
		m := map[string][]string{}
		for k, v := range h {
			k = textproto.CanonicalMIMEHeaderKey(k)
			m[k] = append(m[k], v...)
		}
		return m
	}
	ca, cb := canon(a), canon(b)
	if len(ca) != len(cb) {
		return false
	}
	for k, v := range ca {
		if !slices.Equal(v, cb[k]) {
			return false
		}
	}
	return true
}
