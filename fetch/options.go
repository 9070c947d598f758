package fetch

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
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

// modeNames are the names fetch() uses, indexed by Mode.
var modeNames = []string{"cors", "no-cors", "same-origin"}

// String returns the name fetch() uses: "cors", "no-cors" or "same-origin".
func (m Mode) String() string { return nameOf("Mode", modeNames, m) }

// MarshalText returns the name fetch() uses, or an error for an invalid
// Mode.
func (m Mode) MarshalText() ([]byte, error) { return marshalName("Mode", modeNames, m) }

// UnmarshalText sets m to the mode fetch() names text: "cors", "no-cors"
// or "same-origin".
func (m *Mode) UnmarshalText(text []byte) error { return unmarshalName("mode", modeNames, text, m) }

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

// credentialsNames are the names fetch() uses, indexed by Credentials.
var credentialsNames = []string{"same-origin", "omit", "include"}

// String returns the name fetch() uses: "same-origin", "omit" or "include".
func (c Credentials) String() string { return nameOf("Credentials", credentialsNames, c) }

// MarshalText returns the name fetch() uses, or an error for an invalid
// Credentials.
func (c Credentials) MarshalText() ([]byte, error) {
	return marshalName("Credentials", credentialsNames, c)
}

// UnmarshalText sets c to the credentials mode fetch() names text:
// "same-origin", "omit" or "include".
func (c *Credentials) UnmarshalText(text []byte) error {
	return unmarshalName("credentials mode", credentialsNames, text, c)
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

// redirectNames are the names fetch() uses, indexed by Redirect.
var redirectNames = []string{"follow", "error", "manual"}

// String returns the name fetch() uses: "follow", "error" or "manual".
func (r Redirect) String() string { return nameOf("Redirect", redirectNames, r) }

// MarshalText returns the name fetch() uses, or an error for an invalid
// Redirect.
func (r Redirect) MarshalText() ([]byte, error) { return marshalName("Redirect", redirectNames, r) }

// UnmarshalText sets r to the redirect mode fetch() names text: "follow",
// "error" or "manual".
func (r *Redirect) UnmarshalText(text []byte) error {
	return unmarshalName("redirect mode", redirectNames, text, r)
}

// CacheMode is a request's cache mode: what it changes on the wire (the
// Cache-Control and Pragma request headers), in the HTTP cache when the
// Transport keeps one (Transport.HTTPCache), and, in some engines, in the
// use of the preflight cache.
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

// cacheModeNames are the names fetch() uses, indexed by CacheMode.
var cacheModeNames = []string{"default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"}

// String returns the name fetch() uses, such as "no-store".
func (c CacheMode) String() string { return nameOf("CacheMode", cacheModeNames, c) }

// MarshalText returns the name fetch() uses, or an error for an invalid
// CacheMode.
func (c CacheMode) MarshalText() ([]byte, error) { return marshalName("CacheMode", cacheModeNames, c) }

// UnmarshalText sets c to the cache mode fetch() names text: "default",
// "no-store", "reload", "no-cache", "force-cache" or "only-if-cached".
func (c *CacheMode) UnmarshalText(text []byte) error {
	return unmarshalName("cache mode", cacheModeNames, text, c)
}

// Options are the per-request settings of fetch()'s RequestInit that
// net/http has no field for. The zero value is fetch(url)'s default: cors
// mode, same-origin credentials, follow redirects, default cache.
type Options struct {
	Mode        Mode
	Credentials Credentials
	Redirect    Redirect
	Cache       CacheMode

	// TargetAddressSpace is fetch()'s targetAddressSpace: the address
	// space the page expects the server in. When set (and the profile's
	// engine knows the option), a server in another space fails the
	// fetch (ReasonInvalidLocalNetworkAccess), a Local Network Access
	// check being made (Transport.PageAddressSpace set).
	TargetAddressSpace AddressSpace
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

// nameOf returns names[v], or "Type(invalid)" when v has none.
func nameOf[T ~uint8](typ string, names []string, v T) string {
	if int(v) < len(names) {
		return names[v]
	}
	return typ + "(invalid)"
}

// marshalName returns names[v] as text, or an error when v has none.
func marshalName[T ~uint8](typ string, names []string, v T) ([]byte, error) {
	if int(v) < len(names) {
		return []byte(names[v]), nil
	}
	return nil, fmt.Errorf("fetch: invalid %s %d", typ, uint8(v))
}

// unmarshalName sets *v to the index of text in names, exactly as fetch()
// spells it, or returns an error naming what was expected.
func unmarshalName[T ~uint8](what string, names []string, text []byte, v *T) error {
	i := slices.Index(names, string(text))
	if i < 0 {
		return fmt.Errorf("fetch: %s %q: want %s", what, text, strings.Join(quoted(names), ", "))
	}
	*v = T(i)
	return nil
}

// quoted returns each name in double quotes.
func quoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}
