package fetch

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/corsfetch/corsfetch/redirect"
)

// httpFetch does what HTTP fetch does with a response of main fetch after
// the CORS check: it returns the response to hand the caller (filtered: the
// response itself, or an opaque-redirect response under redirect mode
// manual), or a nil response and a nil error when it followed a redirect:
// the next hop is then set up in f, for main fetch to send. raw's body is
// consumed unless it is returned.
//
// [HTTP fetch]: https://fetch.spec.whatwg.org/#concept-http-fetch
func (f *fetchState) httpFetch(raw response, typ ResponseType) (*http.Response, *Error) {
	if !redirect.IsStatus(raw.StatusCode) {
		return f.filtered(raw, typ), nil
	}
	cur := f.current()
	switch f.opts.Redirect {
	case RedirectError:
		if f.p.Redirect.ErrorModeNeedsLocation && !hasLocation(raw.Header) {
			// Not a redirect for the engine: the 3xx is the response.
			return f.filtered(raw, typ), nil
		}
		discard(raw.Body, raw.owned)
		return nil, f.fail(ReasonRedirectModeError, "")
	case RedirectManual:
		if err := f.manualLocationCheck(raw.Response, cur); err != nil {
			discard(raw.Body, raw.owned)
			return nil, err
		}
		return f.filtered(raw, TypeOpaqueRedirect), nil
	}
	loc, err := redirect.Location(raw.StatusCode, raw.Header, cur, f.p.Redirect.Location)
	if err != nil {
		discard(raw.Body, raw.owned)
		return nil, f.fail(ReasonInvalidRedirectLocation, getValue(raw.Header, "Location"))
	}
	if loc == nil {
		return f.filtered(raw, typ), nil
	}
	discard(raw.Body, raw.owned)
	return nil, f.redirectTo(loc, raw.StatusCode)
}

// filtered returns raw, of type typ, filtered for the caller.
func (f *fetchState) filtered(raw response, typ ResponseType) *http.Response {
	return filtered(f.req, raw, typ, f.include() && typ != TypeOpaqueRedirect, f.urls, &f.rc, &f.respBuf)
}

// redirectTo runs HTTP-redirect fetch to loc, the location URL of a
// response with the given status: the checks of the new request, then the
// rewrites that make it (method, body, headers, URL list, taint).
//
// [HTTP-redirect fetch]: https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
func (f *fetchState) redirectTo(loc *url.URL, status int) *Error {
	hop, err := redirect.Next(redirect.Request{
		Origin:       f.t.Origin,
		URLs:         f.urls,
		Method:       f.method,
		HasBody:      f.hasBody,
		NoBodySource: f.hasBody && f.getBody == nil,
		CORSMode:     f.opts.Mode == ModeCORS,
		CORSTainting: f.tainting == taintCORS,
		Count:        f.count,
	}, status, loc, f.p.Redirect.Location)
	if err != nil {
		return f.redirectError(loc, err)
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
	f.dropped = append(f.dropped, hop.DropHeaders...)
	if f.headerSent {
		if err := f.rebuildHeaderList(); err != nil {
			return err
		}
	}
	for _, name := range hop.DropHeaders {
		delete(f.header, name)
	}
	f.count = hop.Count
	f.push(hop.URL)
	f.tainted = redirect.TaintOf(f.t.Origin, f.urls) != redirect.SameOrigin
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventRedirect, URL: hop.URL, Status: status, Method: hop.Method})
	}
	return nil
}

// redirectError returns the *Error of a redirect to loc that redirect.Next
// refused with err, for loc (the URL the failure is reported at).
func (f *fetchState) redirectError(loc *url.URL, err error) *Error {
	f.push(loc)
	defer f.pop()
	switch {
	case errors.Is(err, redirect.ErrSchemeNotHTTP):
		return f.fail(ReasonRedirectSchemeNotHTTP, loc.Redacted())
	case errors.Is(err, redirect.ErrTooManyRedirects):
		return f.fail(ReasonTooManyRedirects, "")
	case errors.Is(err, redirect.ErrContainsCredentials):
		return f.fail(ReasonRedirectContainsCredentials, loc.String())
	case errors.Is(err, redirect.ErrBodyNotReplayable):
		return f.fail(ReasonBodyNotReplayable, "")
	}
	e := f.fail(ReasonInvalidRedirectLocation, loc.Redacted())
	e.Err = err
	return e
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
// Location of a redirect in redirect mode manual (Profile.Redirect.Manual),
// or nil when the opaque-redirect response is returned.
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
