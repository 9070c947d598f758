package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// probeRequest is one fetch() call to make.
type probeRequest struct {
	Method  string
	URL     *url.URL
	Header  http.Header
	Body    []byte
	HasBody bool
	Options fetch.Options
	// Cookies is how many cookies the user gave for the browser's jar; it
	// only feeds a note when none was sent.
	Cookies int
}

// prober makes fetch() calls as one page would: one Transport, so one
// preflight cache, shared by all calls.
type prober struct {
	page    origin.Origin
	browser fetch.Profile
	base    http.RoundTripper
	t       *fetch.Transport
	// reflection enables the second probe from a made-up origin.
	reflection bool
	// varyCheck enables the request without Origin that checks a
	// cacheable CORS answer without Vary: Origin.
	varyCheck bool
	// pageSpace is the page's address space and why (useLNA); its zero
	// value makes no Local Network Access check.
	pageSpace pageChoice
}

// userAgent is sent on every request, preflights included, so that server
// logs tell probes apart.
const userAgent = "corsprobe (github.com/corsfetch/corsfetch)"

// newProber returns a prober for the page at page with the profile b and
// the browser's cookies (nil: none); base sends the requests (nil: a new
// http.Transport).
func newProber(page origin.Origin, b fetch.Profile, cookies *cookiestore.Store, base http.RoundTripper) *prober {
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	p := &prober{
		page:       page,
		browser:    b,
		base:       base,
		reflection: true,
		varyCheck:  true,
		t:          &fetch.Transport{Origin: page, Base: base, Browser: b, UserAgent: userAgent},
	}
	if cookies != nil {
		p.t.Jar = cookies // never a nil *Store in the interface
	}
	return p
}

// useLNA sets the Local Network Access settings l on the prober, and the
// page's address space: l's, or that of the default rule for a fetch of u
// (classifier.defaultPage), looking names up with resolver (nil:
// net.DefaultResolver).
func (p *prober) useLNA(ctx context.Context, l lnaSettings, resolver fetch.Resolver, u *url.URL) {
	p.t.Permissions = l.grants
	p.t.AddressSpaceOverrides = l.overrides
	p.t.Resolver = resolver
	if l.set {
		p.pageSpace = pageChoice{space: l.space, source: spaceFromFlag, reason: "given with -page-address-space"}
	} else {
		p.pageSpace = p.classifier().defaultPage(ctx, p.page, u)
	}
	p.t.PageAddressSpace = p.pageSpace.space
}

// classifier returns the classifier of server addresses the prober's
// Transport uses.
func (p *prober) classifier() classifier {
	return classifier{profile: p.browser, overrides: p.t.AddressSpaceOverrides, resolver: p.t.Resolver, base: p.base}
}

// close releases idle connections of the prober's own transport.
func (p *prober) close() {
	if t, ok := p.base.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// probe makes the fetch() call pr and reports what happened.
func (p *prober) probe(ctx context.Context, pr probeRequest) *Report {
	r := &Report{
		Schema:  schemaVersion,
		Browser: p.browser.Name,
		Origin:  p.page.String(),
		Request: RequestSummary{
			Method:      pr.Method,
			URL:         pr.URL.String(),
			Mode:        pr.Options.Mode.String(),
			Credentials: pr.Options.Credentials.String(),
			Redirect:    pr.Options.Redirect.String(),
			Headers:     nonNil(pr.Header.Clone()),
			BodyBytes:   len(pr.Body),
			Cookies:     pr.Cookies,
		},
		Steps:    []Step{},
		Fixes:    []string{},
		Warnings: []Warning{},
		Notes:    []string{},
	}
	if s := pr.Options.TargetAddressSpace; s != fetch.AddressSpaceUnknown {
		r.Request.TargetAddressSpace = s.String()
	}
	var c collector
	resp, err := p.t.RoundTrip(p.request(ctx, pr, c.on))
	if c.steps != nil {
		r.Steps = c.steps // else [], never null: a fetch may fail before any step
	}
	var fe *fetch.Error
	if err != nil {
		if !errors.As(err, &fe) {
			fe = &fetch.Error{Reason: fetch.ReasonNetwork, URL: pr.URL.String(), Origin: r.Origin, Err: err}
		}
		r.Verdict = verdictOf(fe)
	} else {
		r.Verdict = Verdict{Outcome: outcomeAllowed, Response: visibleOf(resp, r.Steps)}
	}
	r.LNA = p.lnaReport(ctx, r, fe)
	r.Fixes = fixes(r)
	r.Warnings = warnings(r, p.browser)
	if p.reflection && echoedOrigin(r) {
		r.ReflectionCheck = p.reflectionCheck(ctx, pr)
		if rc := r.ReflectionCheck; rc.Reflected && rc.AllowCredentials {
			r.Warnings = append(r.Warnings, Warning{
				Code: warnReflectedWithCredentials,
				Message: "The server echoes any Origin it is sent, together with `Access-Control-Allow-Credentials: true`: " +
					"any web site can read these responses with the user's cookies. " +
					"Check the Origin against an allow-list before echoing it.",
			})
		}
	}
	if p.varyCheck {
		if r.VaryCheck = p.checkVary(ctx, pr, r); r.VaryCheck != nil && r.VaryCheck.WouldBlock {
			r.Warnings = append(r.Warnings, varyWarning(lastExchange(r.Steps, false).Request.URL, r.VaryCheck))
		}
	}
	r.Notes = append(notes(r, p.browser), p.lnaNotes(r)...)
	return r
}

// request builds the *http.Request for pr with its options and trace hook.
func (p *prober) request(ctx context.Context, pr probeRequest, hook func(fetch.Event)) *http.Request {
	var body io.Reader
	if pr.HasBody {
		body = bytes.NewReader(pr.Body)
	}
	// The URL was parsed already and the method checked by the flags; a
	// method that is not a token is the Transport's to report.
	req := &http.Request{
		Method: pr.Method,
		URL:    pr.URL,
		Header: pr.Header.Clone(),
		Host:   pr.URL.Host,
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if body != nil {
		req.Body = io.NopCloser(body)
		req.ContentLength = int64(len(pr.Body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(pr.Body)), nil }
	}
	req = req.WithContext(ctx)
	req = fetch.WithOptions(req, pr.Options)
	return fetch.WithTrace(req, hook)
}

// collector turns trace events into steps.
type collector struct {
	steps []Step
}

func (c *collector) on(e fetch.Event) {
	switch e.Kind {
	case fetch.EventRequest:
		c.steps = append(c.steps, Step{Kind: kindExchange, Exchange: &Exchange{
			Preflight: e.Preflight,
			Request:   SentRequest{Method: e.Method, URL: e.URL.String(), Headers: nonNil(e.Header.Clone())},
		}})
	case fetch.EventResponse:
		for i := len(c.steps) - 1; i >= 0; i-- {
			if x := c.steps[i].Exchange; x != nil && x.Response == nil {
				x.Response = &RawResponse{Status: e.Status, Headers: nonNil(e.Header.Clone())}
				break
			}
		}
	case fetch.EventPreflightCache:
		c.steps = append(c.steps, Step{Kind: kindCacheLookup, CacheLookup: &CacheLookup{
			URL:      e.URL.String(),
			Result:   e.Cache.String(),
			Bypassed: e.Bypassed,
			Method:   e.Method,
			Headers:  nonNilSlice(slices.Clone(e.Names)),
		}})
	case fetch.EventPreflightStored:
		c.steps = append(c.steps, Step{Kind: kindCacheStore, CacheStore: &CacheStore{
			URL:           e.URL.String(),
			Methods:       nonNilSlice(slices.Clone(e.Methods)),
			Headers:       nonNilSlice(slices.Clone(e.Names)),
			MaxAgeSeconds: e.MaxAge.Seconds(),
		}})
	case fetch.EventRedirect:
		c.steps = append(c.steps, Step{Kind: kindRedirect, Redirect: &RedirectStep{
			Status: e.Status, To: e.URL.String(), Method: e.Method,
		}})
	case fetch.EventHeaderDropped:
		c.steps = append(c.steps, Step{Kind: kindDroppedHeader, DroppedHeader: &DroppedHeader{
			Name: e.Name, Value: e.Value, Why: e.Why,
		}})
	}
}

// verdictOf is the verdict of a failed fetch.
func verdictOf(fe *fetch.Error) Verdict {
	out := &FetchError{
		Reason:     string(fe.Reason),
		Preflight:  fe.Preflight,
		Value:      fe.Value,
		URL:        fe.URL,
		InitialURL: fe.InitialURL,
		Console:    fe.Error(),
		consoleOf:  consoleOf(fe),
	}
	if fe.Err != nil {
		out.Cause = fe.Err.Error()
	}
	outcome := outcomeBlocked
	if fe.Reason == fetch.ReasonNetwork {
		outcome = outcomeError
	}
	return Verdict{Outcome: outcome, Error: out}
}

// consoleOf returns the browser whose console words fe.Error() as it is:
// the engine of fe.Console, or Chrome where that engine logs no line of its
// own for the failure and Error() words it as Chromium does.
func consoleOf(fe *fetch.Error) string {
	chromium := *fe
	chromium.Console = fetch.ConsoleChromium
	switch {
	case fe.Error() == chromium.Error():
		return "Chrome"
	case fe.Console == fetch.ConsoleFirefox:
		return "Firefox"
	case fe.Console == fetch.ConsoleWebKit:
		return "Safari"
	}
	return "Chrome"
}

// visibleOf reads resp, the filtered response, and describes it as script
// sees it; steps give the unfiltered headers, to name those hidden.
func visibleOf(resp *http.Response, steps []Step) *VisibleResponse {
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	typ := fetch.TypeOf(resp)
	v := &VisibleResponse{
		Type:          typ.String(),
		Status:        resp.StatusCode,
		StatusText:    statusText(resp.Status),
		Headers:       nonNil(resp.Header.Clone()),
		HiddenHeaders: []string{},
		URLList:       []string{},
		BodyBytes:     n,
	}
	for _, u := range fetch.URLList(resp) {
		v.URLList = append(v.URLList, u.String())
	}
	if typ != fetch.TypeOpaque {
		v.URL = resp.Request.URL.String()
	}
	v.Redirected = len(v.URLList) > 1
	if x := lastExchange(steps, false); x != nil && x.Response != nil {
		for name := range x.Response.Headers {
			if _, ok := resp.Header[name]; !ok {
				v.HiddenHeaders = append(v.HiddenHeaders, name)
			}
		}
		slices.Sort(v.HiddenHeaders)
	}
	return v
}

// statusText returns the reason phrase of an http.Response.Status ("200
// OK" gives "OK").
func statusText(status string) string {
	if _, text, ok := strings.Cut(status, " "); ok {
		return text
	}
	return ""
}

// lastExchange returns the last exchange of steps that is a preflight or
// not, as asked, or nil.
func lastExchange(steps []Step, preflight bool) *Exchange {
	for i := len(steps) - 1; i >= 0; i-- {
		if x := steps[i].Exchange; x != nil && x.Preflight == preflight {
			return x
		}
	}
	return nil
}

// failedExchange returns the exchange whose response made the fetch fail,
// or nil.
func failedExchange(r *Report) *Exchange {
	if r.Verdict.Error == nil {
		return nil
	}
	return lastExchange(r.Steps, r.Verdict.Error.Preflight)
}

// echoedOrigin reports whether a response named the page's origin in
// Access-Control-Allow-Origin: an allow-list, or a server that echoes any
// Origin, which only a second probe from another origin tells apart.
func echoedOrigin(r *Report) bool {
	if r.Origin == "null" {
		return false
	}
	for _, s := range r.Steps {
		if x := s.Exchange; x != nil && x.Response != nil && x.Response.Headers.Get("Access-Control-Allow-Origin") == r.Origin {
			return true
		}
	}
	return false
}

// madeUpHost is the host of the made-up origin of the reflection check;
// .example is reserved (RFC 2606), so no real page can be there.
const madeUpHost = "corsprobe-reflection-check.example"

// errNotSent is what the reflection check's guard answers instead of
// sending a request that could change something on the server.
var errNotSent = errors.New("corsprobe: not sent by the reflection check (the method is not safe)")

// reflectionCheck makes the request of pr again as a page of a made-up
// origin would, without cookies, and reports whether the server allowed
// that origin too. Requests other than preflights, GET and HEAD are not
// sent, so the check changes nothing on the server: for such requests only
// the preflight answers.
func (p *prober) reflectionCheck(ctx context.Context, pr probeRequest) *ReflectionCheck {
	fake := origin.MustParse(p.page.Scheme() + "://" + madeUpHost)
	rc := &ReflectionCheck{Origin: fake.String()}
	guard := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		preflight := req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != ""
		if !preflight && req.Method != http.MethodGet && req.Method != http.MethodHead {
			return nil, errNotSent
		}
		rc.Requests++
		return p.base.RoundTrip(req)
	})
	t := &fetch.Transport{Origin: fake, Base: guard, Browser: p.browser, UserAgent: userAgent}
	var c collector
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if resp, err := t.RoundTrip(p.request(ctx, pr, c.on)); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	for _, s := range c.steps {
		x := s.Exchange
		if x == nil || x.Response == nil || x.Response.Headers.Get("Access-Control-Allow-Origin") != rc.Origin {
			continue
		}
		rc.Reflected = true
		if x.Response.Headers.Get("Access-Control-Allow-Credentials") == "true" {
			rc.AllowCredentials = true
		}
	}
	switch {
	case rc.Requests == 0:
		rc.Detail = "nothing was sent: the request is not safe to repeat and needs no preflight, so reflection was not checked"
	case rc.Reflected && rc.AllowCredentials:
		rc.Detail = "the server allowed " + rc.Origin + " too, with credentials: it echoes any Origin"
	case rc.Reflected:
		rc.Detail = "the server allowed " + rc.Origin + " too: it echoes any Origin, which is as open as `*` (and without credentials as safe)"
	default:
		rc.Detail = "the server did not allow " + rc.Origin + ": it checks the Origin against a list"
	}
	return rc
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

func nonNil(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	return h
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
