package conformance

import (
	"context"
	"encoding"
	"errors"
	"strings"

	"github.com/corsfetch/corsfetch/fetch"
)

// Call is one fetch() call, resolved for a run: the URL is concrete and every
// init member has its effective value. A [Client] performs it.
type Call struct {
	// URL is the absolute URL passed to fetch(), on the running server.
	URL string
	// Method is init.method as given, without case normalization; "GET" when
	// the scenario gives none.
	Method string
	// Header is init.headers in order, repeats kept, exactly as the scenario
	// gives them: forbidden names are not removed, and the Content-Type that
	// fetch() adds for a string body is not added (see FetchHeader).
	Header []Field
	// Body is init.body, a string; nil when there is none.
	Body *string
	// Options are init.mode, init.credentials, init.redirect and init.cache,
	// with fetch()'s default for each member the scenario does not give
	// (the zero fetch.Options); their String methods give fetch()'s names.
	Options fetch.Options
	// TargetAddressSpace is init.targetAddressSpace as the scenario gives
	// it ("local", "loopback", "public", "unknown" or "private"); empty
	// when it gives none (Local Network Access: the request's target IP
	// address space is then unset). The IP address spaces of the origins
	// are the scenario's (Scenario.LNA).
	TargetAddressSpace string
}

// FetchHeader returns c.Header plus, when c has a body and no Content-Type,
// the "Content-Type: text/plain;charset=UTF-8" field that the Request
// constructor adds for a string body ("extract a body"). An adapter usually
// wants this list.
func (c Call) FetchHeader() []Field {
	h := append([]Field(nil), c.Header...)
	if c.Body == nil {
		return h
	}
	for _, f := range h {
		if strings.EqualFold(f.Name, "Content-Type") {
			return h
		}
	}
	return append(h, Field{Name: "Content-Type", Value: "text/plain;charset=UTF-8"})
}

// Outcome is what page script saw for one call.
type Outcome struct {
	// TypeError is true when fetch() rejected, as a browser does for a
	// network error (a blocked CORS request among others).
	TypeError bool `json:"type_error"`
	// Error is a free-text explanation of the rejection, for diagnostics
	// only; it is never compared.
	Error string `json:"error,omitempty"`
	// Type is Response.type: "basic", "cors", "opaque" or "opaqueredirect".
	Type string `json:"type,omitempty"`
	// Status is Response.status; 0 for opaque and opaqueredirect responses.
	Status int `json:"status"`
	// Headers are the header names script could see, lower-case, sorted,
	// without duplicates.
	Headers []string `json:"headers"`
	// Body is the response body as text.
	Body string `json:"body"`
	// Redirected is Response.redirected.
	Redirected bool `json:"redirected"`
	// URL is Response.url. In a recording it is a template ("{B}/r").
	URL string `json:"url"`
}

// Client performs fetch() calls the way a browser page at one origin would.
// An adapter over fetch.Transport implements it: Call maps to an
// *http.Request with fetch.WithOptions, a returned error to TypeError, and the
// filtered response to the other fields (StatusCode 0 for opaque responses).
type Client interface {
	// Fetch performs call and reports what script would have seen. It
	// must return when ctx is done.
	Fetch(ctx context.Context, call Call) Outcome
}

// NewClient returns a fresh client for one scenario: a page at origin page
// (serialized, e.g. "http://127.0.0.1:41234") in a browser with an empty
// preflight cache, an empty cookie jar and an empty HTTP cache, matching how
// scenarios are isolated in a recording.
//
// engine names the browser whose recording the run is checked against
// ("chromium", "firefox" or "webkit"), and it is the only thing a client
// learns from the recording: an adapter needs it to behave like that browser
// (to choose a fetch.Profile, say), as a page needs a browser to run in.
// Everything else a client does comes from the calls of the scenario.
type NewClient func(page string, engine string) Client

// Session is one browser for one scenario run: its pages share what a
// browser shares between its tabs (cookies, the preflight cache, the HTTP
// cache). It starts empty: no cookie, no cached preflight, no cached
// response, matching how scenarios are isolated in a recording.
type Session interface {
	// Page returns the client of a new load of a page at origin page
	// (serialized, e.g. "http://127.0.0.1:41234"). Replay calls it at
	// every page load of the scenario (see Scenario.Loads), then makes
	// the calls of that load through it.
	Page(page string) Client
}

// LNASession is a Session that can be given a scenario's Local Network
// Access configuration: Replay calls SetLNA before the first page of a
// scenario that has one (Scenario.LNA), with the origins of the server.
// A session that does not implement it replays such scenarios without the
// configuration, and disagrees with recordings where the browser blocked.
type LNASession interface {
	Session
	SetLNA(l *LNA, o Origins)
}

// NewSession returns a fresh session (an empty browser) for one scenario;
// engine names the browser whose recording the run is checked against, as
// for [NewClient].
type NewSession func(engine string) Session

// Sessions opens the session of each scenario run. [NewSession] and
// [NewClient] implement it, so [Replay] takes either.
type Sessions interface {
	// Open returns a fresh session for one scenario, checked against the
	// recording of engine.
	Open(engine string) Session
}

// Open calls f.
func (f NewSession) Open(engine string) Session { return f(engine) }

// Open returns a session whose every page load is a client of its own,
// made by f: pages share nothing. Such a client passes every scenario of one
// page load (a session of one page is the client NewClient makes), but not
// a scenario whose later pages depend on what an earlier page left in the
// browser (a cookie, a cached preflight or response).
func (f NewClient) Open(engine string) Session { return clientSession{newClient: f, engine: engine} }

// clientSession is the session of a NewClient.
type clientSession struct {
	newClient NewClient
	engine    string
}

func (s clientSession) Page(page string) Client { return s.newClient(page, s.engine) }

// Resolve returns the concrete call of c in the scenario with the given id
// on a server with origins o: the URL and header values expanded, the
// method "GET" when c gives none, and fetch()'s defaults for the init
// members c leaves out. It returns an error, with the call resolved all the
// same but for the options, when a member names no value of fetch()'s (as
// fetch() rejects it with a TypeError); a validated scenario has none.
func (c CallSpec) Resolve(o Origins, id string) (Call, error) {
	prefix := Prefix(id)
	call := Call{
		URL:                expandURL(c.URL, o, prefix),
		Method:             c.Method,
		Body:               c.Body,
		TargetAddressSpace: c.TargetAddressSpace,
	}
	if call.Method == "" {
		call.Method = "GET"
	}
	for _, f := range c.Headers {
		v, _ := expandValue(f.Value, o, prefix, nil)
		call.Header = append(call.Header, Field{Name: f.Name, Value: v})
	}
	opts, err := c.options()
	if err == nil {
		call.Options = opts
	}
	return call, err
}

// options parses the init members of c with package fetch's names; a member
// left out keeps fetch()'s default (the zero value).
func (c CallSpec) options() (fetch.Options, error) {
	var o fetch.Options
	var errs []error
	for _, m := range []struct {
		given string
		into  encoding.TextUnmarshaler
	}{
		{given: c.Mode, into: &o.Mode},
		{given: c.Credentials, into: &o.Credentials},
		{given: c.Redirect, into: &o.Redirect},
		{given: c.Cache, into: &o.Cache},
	} {
		if m.given == "" {
			continue
		}
		if err := m.into.UnmarshalText([]byte(m.given)); err != nil {
			errs = append(errs, err)
		}
	}
	return o, errors.Join(errs...)
}
