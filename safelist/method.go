package safelist

import "github.com/corsfetch/corsfetch/internal/headerlist"

// IsMethod reports whether method is a CORS-safelisted method: exactly GET,
// HEAD or POST, compared byte-exactly ("get" is not, until normalized).
//
// [CORS-safelisted method]: https://fetch.spec.whatwg.org/#cors-safelisted-method
func IsMethod(method string) bool {
	return method == "GET" || method == "HEAD" || method == "POST"
}

// IsForbiddenMethod reports whether method is a forbidden method: a
// byte-case-insensitive match for CONNECT, TRACE or TRACK. fetch() throws a
// TypeError for these before anything is sent.
//
// [forbidden method]: https://fetch.spec.whatwg.org/#forbidden-method
func IsForbiddenMethod(method string) bool {
	return headerlist.EqualFold(method, "CONNECT") ||
		headerlist.EqualFold(method, "TRACE") ||
		headerlist.EqualFold(method, "TRACK")
}

// normalizedMethods are the only methods normalization upper-cases.
var normalizedMethods = [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}

// NormalizeMethod returns the normalized method: a byte-case-insensitive
// match for DELETE, GET, HEAD, OPTIONS, POST or PUT becomes upper case, and
// any other method, PATCH included, is returned unchanged, so "patch" stays
// "patch" and must then be allowed byte-exactly by the server. It does not
// allocate.
//
// [normalize]: https://fetch.spec.whatwg.org/#concept-method-normalize
func NormalizeMethod(method string) string {
	for _, m := range normalizedMethods {
		if headerlist.EqualFold(method, m) {
			return m
		}
	}
	return method
}

// IsValidMethod reports whether method is a method at all: a non-empty HTTP
// token. fetch() throws a TypeError for anything else.
//
// [method]: https://fetch.spec.whatwg.org/#concept-method
func IsValidMethod(method string) bool { return headerlist.IsToken(method) }
