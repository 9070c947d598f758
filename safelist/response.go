package safelist

import "github.com/corsfetch/corsfetch/internal/headerlist"

// safelistedResponseNames are the names every CORS response exposes.
var safelistedResponseNames = [...]string{
	"Cache-Control", "Content-Language", "Content-Length", "Content-Type",
	"Expires", "Last-Modified", "Pragma",
}

// IsResponseHeaderName reports whether name is one of the names a CORS
// response always exposes to script: Cache-Control, Content-Language,
// Content-Length, Content-Type, Expires, Last-Modified or Pragma, matched
// byte-case-insensitively. Use [IsExposed] for the full rule, which adds the
// names the server lists in Access-Control-Expose-Headers.
//
// [CORS-safelisted response-header name]: https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
func IsResponseHeaderName(name string) bool {
	for _, s := range safelistedResponseNames {
		if headerlist.EqualFold(name, s) {
			return true
		}
	}
	return false
}

// IsExposed reports whether name is a CORS-safelisted response-header name
// given the response's CORS-exposed header-name list: one of the seven names
// of [IsResponseHeaderName], or an item of exposed, byte-case-insensitively,
// that is not a forbidden response-header name. Set-Cookie is never exposed.
// An item "*" matches only a header literally named "*": expanding a wildcard
// to every name, as a request without credentials does, is the caller's step.
//
// [CORS-safelisted response-header name]: https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
func IsExposed(name string, exposed []string) bool {
	if IsResponseHeaderName(name) {
		return true
	}
	if IsForbiddenResponseHeaderName(name) {
		return false
	}
	for _, e := range exposed {
		if headerlist.EqualFold(name, e) {
			return true
		}
	}
	return false
}

// IsForbiddenResponseHeaderName reports whether name is a forbidden
// response-header name, Set-Cookie or Set-Cookie2: never visible to script,
// whatever the server exposes.
//
// [forbidden response-header name]: https://fetch.spec.whatwg.org/#forbidden-response-header-name
func IsForbiddenResponseHeaderName(name string) bool {
	return headerlist.EqualFold(name, "Set-Cookie") || headerlist.EqualFold(name, "Set-Cookie2")
}
