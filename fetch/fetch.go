package fetch

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/corsfetch/corsfetch/origin"
)

// tainting is a request's response tainting.
//
// [response tainting]: https://fetch.spec.whatwg.org/#concept-request-response-tainting
type tainting uint8

const (
	taintBasic tainting = iota
	taintCORS
	taintOpaque
)

// fetchState is one fetch in progress: the request as the browser holds it
// after the Request constructor, and what main fetch has learned.
type fetchState struct {
	// What the fetch runs with.
	t    *Transport
	p    *Profile
	req  *http.Request
	ctx  context.Context
	opts Options
	tr   tracer
	page string // the page's origin, serialized

	// The request as the Request constructor made it (setup), changed by
	// redirects (redirectTo).
	method string
	header http.Header // the header list: author headers kept, plus Accept
	// headerSent: the map of header went out as the first request's
	// header list (requestHeaders); a later hop builds it again
	// (rebuildHeaderList) without the names redirects dropped.
	headerSent    bool
	dropped       []string      // header names the redirects so far dropped
	rebuilding    bool          // headerList runs again: no trace events
	body          io.ReadCloser // the body not yet sent, or nil
	hasBody       bool          // the request has a body (until a redirect drops it)
	getBody       func() (io.ReadCloser, error)
	contentLength int64
	// conditional: the header list has a conditional field
	// (hasConditionalHeader); set by setup, it never changes across hops.
	// ifFields: the request has a field named If-something, which only
	// then is looked for.
	conditional bool
	ifFields    bool

	// The URL list and what the redirects so far made of the request.
	urls       []*url.URL
	origins    []origin.Origin // origins[i] is the origin of urls[i]
	urlsBuf    [2]*url.URL
	originsBuf [2]origin.Origin
	firstURL   url.URL // urls[0], the request's URL copied
	tainted    bool    // redirect-taint is not same-origin: the origin serializes as "null"
	count      int     // redirects followed

	// What main fetch learned on the way, for later hops.
	tainting tainting // the response tainting, set by mainFetch
	// preflighted: the fetch went through the CORS-with-preflight path,
	// whose failures clear the cache (clearCache).
	preflighted bool
	// originSent: the last request sent carried an Origin header, which
	// Redirect.OriginKeptAfterMethodChange keeps (keepsOrigin).
	originSent bool
	// credentialed: the request of the current hop includes credentials
	// (set by send, for the HTTP cache's key).
	credentialed bool
	// lnaTarget: the address space the Local Network Access check found
	// for the request last checked (localNetworkCheck).
	lnaTarget AddressSpace

	// Storage for what the fetch hands out, so that a fetch of one hop
	// allocates them with the fetchState (the returned response keeps the
	// fetchState alive anyway, through its URL list): the first request
	// sent to the network and its URL (networkRequest), and the returned
	// response with its request's context (filtered); respBuf also holds
	// a response from the HTTP cache before it is filtered
	// (cachedResponse).
	outBuf     http.Request
	outURLBuf  url.URL
	outBufUsed bool
	rc         responseContext
	respBuf    http.Response
	// Whether the request as the page made it needs a preflight, and the
	// header names it would list (set by setup; read by mainFetch, which
	// on the first hop takes them as the unsafe names unless the profile
	// lists repeated names, and on later hops where
	// Preflight.AfterRedirect is not PreflightPerHop).
	initialNeedsPreflight bool
	initialListed         []string
	// Storage for the first header-name list (unsafeNames), so that a
	// request served by a cached preflight does not allocate it (the
	// cache keys' URLs are written on the stack of their look-ups).
	// namesUsed: namesBuf holds a list handed out (to an Event, say),
	// which later hops leave alone.
	namesBuf  [4]string
	namesUsed bool
	// cachedBody is the body of a response from the HTTP cache
	// (cachedResponse, which builds the response in respBuf), so that an
	// HTTP-cache hit does not allocate it.
	cachedBody memBody
}

// current returns the current URL, or the request's URL before the URL
// list exists.
func (f *fetchState) current() *url.URL {
	if len(f.urls) > 0 {
		return f.urls[len(f.urls)-1]
	}
	return f.req.URL
}

// push appends u to the URL list.
func (f *fetchState) push(u *url.URL) {
	f.urls = append(f.urls, u)
	f.origins = append(f.origins, f.t.originOf(u))
}

// pop removes the last URL of the URL list.
func (f *fetchState) pop() {
	f.urls = f.urls[:len(f.urls)-1]
	f.origins = f.origins[:len(f.origins)-1]
}

// currentOrigin returns the origin of the current URL.
func (f *fetchState) currentOrigin() origin.Origin { return f.origins[len(f.origins)-1] }

// fail returns an *Error for the current URL.
func (f *fetchState) fail(r Reason, value string) *Error {
	e := newError(r, value, f.page, f.p, f.current())
	if len(f.urls) > 1 {
		e.InitialURL = f.urls[0].String()
	}
	return e
}

// newError returns an *Error of a page at the serialized origin page under
// the profile p, for a request to u (nil when there is none).
func newError(r Reason, value, page string, p *Profile, u *url.URL) *Error {
	e := &Error{Reason: r, Value: value, Origin: page, Profile: p.Name, Console: p.Console}
	if u != nil {
		e.URL = u.String()
	}
	return e
}

// run performs the fetch.
func (f *fetchState) run() (*http.Response, *Error) {
	if err := f.setup(); err != nil {
		return nil, err
	}
	return f.loop()
}

// loop runs main fetch for the current URL and HTTP fetch on its response,
// hop after hop, until a response that is not followed.
func (f *fetchState) loop() (*http.Response, *Error) {
	for {
		raw, typ, err := f.mainFetch()
		if err != nil {
			return nil, err
		}
		if resp, err := f.httpFetch(raw, typ); resp != nil || err != nil {
			return resp, err
		}
	}
}

// include reports whether the request's credentials mode is include.
func (f *fetchState) include() bool { return f.opts.Credentials == CredentialsInclude }

// serializedOrigin is the byte-serialized request origin: "null" once the
// request is redirect-tainted.
//
// [byte-serializing a request origin]: https://fetch.spec.whatwg.org/#byte-serializing-a-request-origin
func (f *fetchState) serializedOrigin() string {
	if f.tainted {
		return "null"
	}
	return f.page
}
