package fetch

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/corsfetch/corsfetch/redirect"
)

// redirect handles a response of main fetch that may be a redirect, as HTTP
// fetch does after the CORS check: it returns the response to give the
// caller (an opaque-redirect response), or nil and nil once the next hop is
// set up in f, or, for a response that is not followed, nil, nil and done
// set. raw's body is consumed unless the response is returned as is.
//
// [HTTP fetch]: https://fetch.spec.whatwg.org/#concept-http-fetch
// [HTTP-redirect fetch]: https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
func (f *fetchState) redirect(raw *http.Response, typ ResponseType) (resp *http.Response, done bool, err *Error) {
	if !redirect.IsStatus(raw.StatusCode) {
		return nil, true, nil
	}
	cur := f.current()
	switch f.opts.Redirect {
	case RedirectError:
		if f.p.Redirect.ErrorModeNeedsLocation && !hasLocation(raw.Header) {
			// Not a redirect for the engine: the 3xx is the response.
			return nil, true, nil
		}
		discard(raw.Body, f.netHTTP)
		return nil, false, f.fail(ReasonRedirectModeError, "")
	case RedirectManual:
		if err := f.manualLocationCheck(raw, cur); err != nil {
			discard(raw.Body, f.netHTTP)
			return nil, false, err
		}
		return filtered(f.req, raw, TypeOpaqueRedirect, false, f.urls, f.netHTTP), false, nil
	}
	loc, lerr := redirect.Location(raw.StatusCode, raw.Header, cur, f.p.Redirect.Location)
	if lerr != nil {
		discard(raw.Body, f.netHTTP)
		return nil, false, f.fail(ReasonInvalidRedirectLocation, getValue(raw.Header, "Location"))
	}
	if loc == nil {
		return nil, true, nil
	}
	hop, nerr := redirect.Next(redirect.Request{
		Origin:       f.t.Origin,
		URLs:         f.urls,
		Method:       f.method,
		HasBody:      f.hasBody,
		NoBodySource: f.hasBody && f.getBody == nil,
		CORSMode:     f.opts.Mode == ModeCORS,
		CORSTainting: f.tainting == taintCORS,
		Count:        f.count,
	}, raw.StatusCode, loc, f.p.Redirect.Location)
	discard(raw.Body, f.netHTTP)
	if nerr != nil {
		f.push(loc)
		defer f.pop()
		switch {
		case errors.Is(nerr, redirect.ErrSchemeNotHTTP):
			return nil, false, f.fail(ReasonRedirectSchemeNotHTTP, loc.Redacted())
		case errors.Is(nerr, redirect.ErrTooManyRedirects):
			return nil, false, f.fail(ReasonTooManyRedirects, "")
		case errors.Is(nerr, redirect.ErrContainsCredentials):
			return nil, false, f.fail(ReasonRedirectContainsCredentials, loc.String())
		case errors.Is(nerr, redirect.ErrBodyNotReplayable):
			return nil, false, f.fail(ReasonBodyNotReplayable, "")
		}
		e := f.fail(ReasonInvalidRedirectLocation, loc.Redacted())
		e.Err = nerr
		return nil, false, e
	}
	f.method = hop.Method
	if hop.DropBody {
		f.hasBody = false
		f.contentLength = 0
		f.getBody = nil
		if f.body != nil {
			f.body.Close()
			f.body = nil
		}
	}
	for _, name := range hop.DropHeaders {
		delete(f.header, name)
	}
	f.count = hop.Count
	f.push(hop.URL)
	f.tainted = redirect.TaintOf(f.t.Origin, f.urls) != redirect.SameOrigin
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventRedirect, URL: hop.URL, Status: raw.StatusCode, Method: hop.Method})
	}
	return nil, false, nil
}

// hasLocation reports whether h has a Location field with a value, which
// Chromium's network stack requires of a redirect (HttpResponseHeaders::
// IsRedirect skips empty values).
func hasLocation(h http.Header) bool {
	for _, v := range h["Location"] {
		if v != "" {
			return true
		}
	}
	return false
}

// manualLocationCheck returns the error of an engine that looks at the
// Location of a redirect in redirect mode manual (see
// Profile.Redirect.Manual), or
// nil when the opaque-redirect response is returned.
func (f *fetchState) manualLocationCheck(raw *http.Response, cur *url.URL) *Error {
	p := f.p
	if p.Redirect.Manual == ManualIgnoresLocation || !hasLocation(raw.Header) {
		return nil
	}
	loc, err := redirect.Location(raw.StatusCode, raw.Header, cur, p.Redirect.Location)
	switch {
	case err != nil && p.Redirect.Manual == ManualParsesLocation:
		e := f.fail(ReasonInvalidRedirectLocation, getValue(raw.Header, "Location"))
		e.Err = err
		return e
	case err == nil && loc != nil && p.Redirect.Manual == ManualRefusesFTP && loc.Scheme == "ftp":
		return f.fail(ReasonRedirectSchemeNotHTTP, loc.Redacted())
	}
	return nil
}
