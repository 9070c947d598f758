package fetch

import (
	"context"
	"net/http"
)

// Mode is a request's mode, as the mode member of fetch()'s RequestInit.
//
// [request mode]: https://fetch.spec.whatwg.org/#concept-request-mode
type Mode uint8

const (
	// ModeCORS is fetch()'s default: a cross-origin request is a CORS
	// request, preflighted when needed and checked on every response.
	ModeCORS Mode = iota
	// ModeNoCORS sends a cross-origin request without CORS and returns an
	// opaque response: status 0, no headers, no body. Only GET, HEAD and
	// POST and only no-CORS-safelisted request headers are allowed.
	ModeNoCORS
	// ModeSameOrigin fails any request whose URL is of another origin.
	ModeSameOrigin
)

// String returns the name fetch() uses: "cors", "no-cors" or "same-origin".
func (m Mode) String() string {
	switch m {
	case ModeCORS:
		return "cors"
	case ModeNoCORS:
		return "no-cors"
	case ModeSameOrigin:
		return "same-origin"
	}
	return "Mode(invalid)"
}

// Credentials is a request's credentials mode: whether cookies (and HTTP
// authentication) are sent and stored.
//
// [credentials mode]: https://fetch.spec.whatwg.org/#concept-request-credentials-mode
type Credentials uint8

const (
	// CredentialsSameOrigin is fetch()'s default: credentials only when the
	// response tainting is basic, that is for same-origin URLs.
	CredentialsSameOrigin Credentials = iota
	// CredentialsOmit never sends or stores credentials.
	CredentialsOmit
	// CredentialsInclude always sends and stores them; a cross-origin
	// response must then name the origin exactly and allow credentials.
	CredentialsInclude
)

// String returns the name fetch() uses: "same-origin", "omit" or "include".
func (c Credentials) String() string {
	switch c {
	case CredentialsSameOrigin:
		return "same-origin"
	case CredentialsOmit:
		return "omit"
	case CredentialsInclude:
		return "include"
	}
	return "Credentials(invalid)"
}

// Redirect is a request's redirect mode.
//
// [redirect mode]: https://fetch.spec.whatwg.org/#concept-request-redirect-mode
type Redirect uint8

const (
	// RedirectFollow is fetch()'s default: redirects are followed, up to 20.
	RedirectFollow Redirect = iota
	// RedirectError makes any redirect a network error.
	RedirectError
	// RedirectManual returns an opaque-redirect response instead of
	// following: status 0, no headers, no body.
	RedirectManual
)

// String returns the name fetch() uses: "follow", "error" or "manual".
func (r Redirect) String() string {
	switch r {
	case RedirectFollow:
		return "follow"
	case RedirectError:
		return "error"
	case RedirectManual:
		return "manual"
	}
	return "Redirect(invalid)"
}

// CacheMode is a request's cache mode. corsfetch keeps no HTTP cache, so the
// modes matter through what they change on the wire (the Cache-Control and
// Pragma request headers) and, in some engines, through the preflight cache.
//
// [cache mode]: https://fetch.spec.whatwg.org/#concept-request-cache-mode
type CacheMode uint8

const (
	CacheDefault      CacheMode = iota // "default"
	CacheNoStore                       // "no-store"
	CacheReload                        // "reload"
	CacheNoCache                       // "no-cache"
	CacheForceCache                    // "force-cache"
	CacheOnlyIfCached                  // "only-if-cached"
)

// String returns the name fetch() uses, such as "no-store".
func (c CacheMode) String() string {
	switch c {
	case CacheDefault:
		return "default"
	case CacheNoStore:
		return "no-store"
	case CacheReload:
		return "reload"
	case CacheNoCache:
		return "no-cache"
	case CacheForceCache:
		return "force-cache"
	case CacheOnlyIfCached:
		return "only-if-cached"
	}
	return "CacheMode(invalid)"
}

// Options are the per-request settings of fetch()'s RequestInit that
// net/http has no field for. The zero value is fetch(url)'s default: cors
// mode, same-origin credentials, follow redirects, default cache.
type Options struct {
	Mode        Mode
	Credentials Credentials
	Redirect    Redirect
	Cache       CacheMode
}

type optionsKey struct{}

// WithOptions returns a shallow copy of req whose context carries o, for a
// Transport to read. req itself is not changed.
func WithOptions(req *http.Request, o Options) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), optionsKey{}, o))
}

// OptionsOf returns the Options attached to req by WithOptions, or the zero
// Options.
func OptionsOf(req *http.Request) Options {
	o, _ := req.Context().Value(optionsKey{}).(Options)
	return o
}
