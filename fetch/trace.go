package fetch

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/corsfetch/corsfetch/preflightcache"
)

// EventKind says what an Event reports.
type EventKind uint8

const (
	// EventHeaderDropped: a request header the page set is not sent
	// (Name, Value, Why). Browsers drop these silently.
	EventHeaderDropped EventKind = iota + 1
	// EventPreflightCache: the request needs a CORS preflight and the
	// preflight cache was consulted (Cache; Method and Names are what had
	// to be covered). Bypassed is set when the cache mode made the profile
	// skip the look-up.
	EventPreflightCache
	// EventRequest: a request goes to the network (Preflight, Method, URL,
	// Header as sent, cookies included).
	EventRequest
	// EventResponse: its response arrived (Preflight, URL, Status, Header
	// as received, before any filtering).
	EventResponse
	// EventPreflightStored: a preflight result was stored in the cache
	// (MaxAge after the profile's default and cap; Value is the
	// Access-Control-Max-Age as received, "" when absent; Methods and
	// Names are the methods and header names stored).
	EventPreflightStored
	// EventRedirect: a redirect is followed to URL (Status of the
	// redirect response, Method of the next request).
	EventRedirect
	// EventPreflightShared: with Transport.CoalescePreflights, the request
	// used the result of an identical preflight another request had in
	// flight instead of sending its own (Err is that preflight's failure,
	// nil when it succeeded).
	EventPreflightShared
	// EventDone: the fetch is over: Type and Status of what the page sees,
	// or Err.
	EventDone
	// EventLocalNetwork: the Local Network Access check ran for a request
	// about to be sent, or on the connection it reached (Preflight, URL;
	// Server, where the server is; Err, the failure, nil when the request
	// may go). Only with Transport.PageAddressSpace set.
	EventLocalNetwork
)

// String returns the kind's name, such as "request".
func (k EventKind) String() string {
	switch k {
	case EventHeaderDropped:
		return "header-dropped"
	case EventPreflightCache:
		return "preflight-cache"
	case EventRequest:
		return "request"
	case EventResponse:
		return "response"
	case EventPreflightStored:
		return "preflight-stored"
	case EventRedirect:
		return "redirect"
	case EventPreflightShared:
		return "preflight-shared"
	case EventDone:
		return "done"
	case EventLocalNetwork:
		return "local-network"
	}
	return "EventKind(invalid)"
}

// Event is one step of a fetch, reported to a trace hook. It is the
// browser's network panel, not the page's view: it shows unfiltered
// responses and preflights, which page script never sees. Header and URL
// values are the Transport's own, lent to the hook for the duration of the
// call: the hook must not modify them, and copies what it keeps.
type Event struct {
	Kind      EventKind
	Preflight bool // the event concerns the CORS preflight
	URL       *url.URL
	Method    string
	Header    http.Header
	Status    int
	// Cache is the look-up's result for EventPreflightCache.
	Cache preflightcache.Outcome
	// Bypassed is set for EventPreflightCache when the request's cache
	// mode made the browser skip the preflight cache.
	Bypassed bool
	// Names are header names: those that had to be covered
	// (EventPreflightCache) or that were stored (EventPreflightStored).
	Names []string
	// Methods are the methods stored (EventPreflightStored).
	Methods []string
	// MaxAge is the stored result's lifetime (EventPreflightStored).
	MaxAge time.Duration
	// Name, Value and Why describe a dropped header; Value is also the
	// received Access-Control-Max-Age of EventPreflightStored.
	Name, Value, Why string
	// Type is the response type the page sees (EventDone).
	Type ResponseType
	// FromCache is set for EventResponse when the HTTP cache answered
	// (Transport.HTTPCache): nothing was sent.
	FromCache bool
	// Server is where the server is (EventLocalNetwork).
	Server ServerSpace
	// Err is the failure (EventDone, EventLocalNetwork), nil when the
	// fetch succeeded or the request may be sent.
	Err *Error
}

type traceKey struct{}

// WithTrace returns a shallow copy of req whose context carries hook; a
// Transport calls it for every Event of that request, in order, from the
// goroutine running RoundTrip. It is called in addition to Transport.Trace.
func WithTrace(req *http.Request, hook func(Event)) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), traceKey{}, hook))
}

// tracer sends events to the Transport's hook and the request's.
type tracer struct {
	t, r func(Event)
}

func (tr tracer) on() bool { return tr.t != nil || tr.r != nil }

func (tr tracer) emit(e Event) {
	if tr.t != nil {
		tr.t(e)
	}
	if tr.r != nil {
		tr.r(e)
	}
}
