package fetch

import (
	"strings"
)

// Reason says why a browser would fail a fetch. The set is closed: every
// failure the Transport reports carries one of the constants below, and most
// of them have a Chromium CorsError of the same name. Switch on it; the text
// of [Error.Error] is for people and may change.
type Reason string

// Reasons found before anything is sent, for which fetch() throws a
// TypeError.
const (
	// ReasonInvalidMethod: the method is not an HTTP token.
	// [method]: https://fetch.spec.whatwg.org/#concept-method
	ReasonInvalidMethod Reason = "InvalidMethod"
	// ReasonForbiddenMethod: CONNECT, TRACE or TRACK.
	ReasonForbiddenMethod Reason = "ForbiddenMethod"
	// ReasonInvalidHeader: a header name that is not a token or a value with
	// 0x00, CR or LF. Value holds the name.
	ReasonInvalidHeader Reason = "InvalidHeader"
	// ReasonNoCORSMethod: a no-cors request with a method other than GET,
	// HEAD or POST.
	ReasonNoCORSMethod Reason = "NoCORSMethod"
	// ReasonInvalidOrigin: Transport.Origin is the zero Origin.
	ReasonInvalidOrigin Reason = "InvalidOrigin"
	// ReasonInvalidURL: the request has no URL, a relative one, or one
	// with a user name or password (fetch() rejects those).
	ReasonInvalidURL Reason = "InvalidURL"
	// ReasonBodyNotAllowed: a GET or HEAD request with a body.
	ReasonBodyNotAllowed Reason = "BodyNotAllowed"
	// ReasonOnlyIfCached: cache mode only-if-cached in a mode other than
	// same-origin.
	ReasonOnlyIfCached Reason = "OnlyIfCached"
)

// Reasons found by main fetch before the network is used.
const (
	// ReasonDisallowedByMode: a same-origin request to another origin, or a
	// no-cors request to another origin with a redirect mode other than
	// follow.
	ReasonDisallowedByMode Reason = "DisallowedByMode"
	// ReasonMixedContent: an https page fetching a URL that is not
	// potentially trustworthy (plain http to a host other than loopback).
	ReasonMixedContent Reason = "MixedContent"
	// ReasonCorsDisabledScheme: a cross-origin cors request to a URL whose
	// scheme is not http or https.
	ReasonCorsDisabledScheme Reason = "CorsDisabledScheme"
	// ReasonUnsupportedScheme: any other request to a URL whose scheme is
	// not http or https (data: and blob: URLs are not simulated).
	ReasonUnsupportedScheme Reason = "UnsupportedScheme"
)

// Reasons from the CORS check of a response. With Error.Preflight set they
// were found on the CORS-preflight response.
//
// [CORS check]: https://fetch.spec.whatwg.org/#concept-cors-check
const (
	// ReasonMissingAllowOriginHeader: no Access-Control-Allow-Origin.
	ReasonMissingAllowOriginHeader Reason = "MissingAllowOriginHeader"
	// ReasonMultipleAllowOriginValues: several values (several fields, or
	// one field with a list), which can never match.
	ReasonMultipleAllowOriginValues Reason = "MultipleAllowOriginValues"
	// ReasonInvalidAllowOriginValue: a value that is not an origin, "*" or
	// "null".
	ReasonInvalidAllowOriginValue Reason = "InvalidAllowOriginValue"
	// ReasonAllowOriginMismatch: an origin other than the request's, byte
	// for byte.
	ReasonAllowOriginMismatch Reason = "AllowOriginMismatch"
	// ReasonWildcardOriginNotAllowed: "*" for a request with credentials.
	ReasonWildcardOriginNotAllowed Reason = "WildcardOriginNotAllowed"
	// ReasonInvalidAllowCredentials: a request with credentials and an
	// Access-Control-Allow-Credentials other than exactly "true".
	ReasonInvalidAllowCredentials Reason = "InvalidAllowCredentials"
)

// Reasons from the rest of the CORS-preflight fetch.
//
// [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
const (
	// ReasonPreflightInvalidStatus: the preflight response's status is not
	// in 200-299.
	ReasonPreflightInvalidStatus Reason = "PreflightInvalidStatus"
	// ReasonPreflightDisallowedRedirect: the preflight was answered with a
	// redirect, which preflights never follow.
	ReasonPreflightDisallowedRedirect Reason = "PreflightDisallowedRedirect"
	// ReasonInvalidAllowMethods: Access-Control-Allow-Methods does not parse.
	ReasonInvalidAllowMethods Reason = "InvalidAllowMethodsPreflightResponse"
	// ReasonInvalidAllowHeaders: Access-Control-Allow-Headers does not parse.
	ReasonInvalidAllowHeaders Reason = "InvalidAllowHeadersPreflightResponse"
	// ReasonMethodDisallowed: the method is not allowed. Value holds it.
	ReasonMethodDisallowed Reason = "MethodDisallowedByPreflightResponse"
	// ReasonHeaderDisallowed: a request header is not allowed. Value holds
	// its name.
	ReasonHeaderDisallowed Reason = "HeaderDisallowedByPreflightResponse"
)

// Reasons from redirects.
//
// [HTTP-redirect fetch]: https://fetch.spec.whatwg.org/#http-redirect-fetch
const (
	// ReasonRedirectContainsCredentials: a CORS request redirected to a URL
	// with a user name or password.
	ReasonRedirectContainsCredentials Reason = "RedirectContainsCredentials"
	// ReasonTooManyRedirects: more than 20 redirects.
	ReasonTooManyRedirects Reason = "TooManyRedirects"
	// ReasonRedirectModeError: a redirect with redirect mode "error".
	ReasonRedirectModeError Reason = "RedirectModeError"
	// ReasonInvalidRedirectLocation: a Location that does not parse, or
	// more than one.
	ReasonInvalidRedirectLocation Reason = "InvalidRedirectLocation"
	// ReasonRedirectSchemeNotHTTP: a redirect to a scheme other than http or
	// https.
	ReasonRedirectSchemeNotHTTP Reason = "RedirectSchemeNotHTTP"
	// ReasonBodyNotReplayable: a redirect that keeps the body, for a request
	// whose body cannot be read again (no GetBody).
	ReasonBodyNotReplayable Reason = "BodyNotReplayable"
)

// ReasonNetwork: the network itself failed (connection refused, reset,
// timeout, canceled context). Err holds the cause.
const ReasonNetwork Reason = "Network"

// Error is a fetch that a browser would fail: fetch() rejects with a
// TypeError and the console explains why. RoundTrip returns it (possibly
// wrapped by http.Client in a *url.Error); use errors.As to get it.
type Error struct {
	Reason    Reason
	Preflight bool   // found on the CORS-preflight response
	Value     string // the value at fault: a header value, method, header name or Location
	URL       string // the URL being fetched when the fetch failed
	// InitialURL is the first URL of the fetch when it was redirected
	// before failing, and "" otherwise.
	InitialURL string
	// Origin is the page's origin, serialized.
	Origin string
	// Browser is the Name of the profile that failed the fetch ("Chrome",
	// "Firefox", "Safari", "Spec"); Error() words the message as that
	// engine's console does.
	Browser string
	// Status is the HTTP status of the response that failed the CORS
	// check or the preflight, and 0 when there was none.
	Status int
	// Err is the underlying error for ReasonNetwork, and nil otherwise.
	Err error
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// Error returns a line like the one Chromium prints in the console for the
// failure: "Access to fetch at 'URL' from origin 'O' has been blocked by CORS
// policy: ..." for CORS failures, and a description of the cause for the
// others. The text is not stable; Reason is.
func (e *Error) Error() string {
	var b strings.Builder
	if body, ok := corsMessage(e); ok {
		b.WriteString("Access to fetch at '")
		b.WriteString(e.URL)
		b.WriteString("' ")
		if e.InitialURL != "" {
			b.WriteString("(redirected from '")
			b.WriteString(e.InitialURL)
			b.WriteString("') ")
		}
		b.WriteString("from origin '")
		b.WriteString(e.Origin)
		b.WriteString("' has been blocked by CORS policy: ")
		if e.Preflight {
			b.WriteString("Response to preflight request doesn't pass access control check: ")
		}
		b.WriteString(body)
		return b.String()
	}
	b.WriteString("Failed to fetch '")
	b.WriteString(e.URL)
	b.WriteString("'")
	if e.InitialURL != "" {
		b.WriteString(" (redirected from '")
		b.WriteString(e.InitialURL)
		b.WriteString("')")
	}
	b.WriteString(": ")
	if e.Preflight {
		b.WriteString("the CORS preflight failed: ")
	}
	b.WriteString(otherMessage(e))
	return b.String()
}

// corsMessage returns the body of Chromium's console message for the CORS
// errors it has one for (Blink's cors_error_string.cc).
func corsMessage(e *Error) (string, bool) {
	const fix = " Have the server send the header with a valid value."
	switch e.Reason {
	case ReasonDisallowedByMode:
		return "Cross origin requests are not allowed by request mode.", true
	case ReasonCorsDisabledScheme:
		return "Cross origin requests are only supported for protocol schemes: http, https.", true
	case ReasonMissingAllowOriginHeader:
		return "No 'Access-Control-Allow-Origin' header is present on the requested resource.", true
	case ReasonMultipleAllowOriginValues:
		return "The 'Access-Control-Allow-Origin' header contains multiple values '" + e.Value + "', but only one is allowed." + fix, true
	case ReasonInvalidAllowOriginValue:
		return "The 'Access-Control-Allow-Origin' header contains the invalid value '" + e.Value + "'." + fix, true
	case ReasonAllowOriginMismatch:
		return "The 'Access-Control-Allow-Origin' header has a value '" + e.Value + "' that is not equal to the supplied origin." + fix, true
	case ReasonWildcardOriginNotAllowed:
		return "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.", true
	case ReasonInvalidAllowCredentials:
		return "The value of the 'Access-Control-Allow-Credentials' header in the response is '" + e.Value + "' which must be 'true' when the request's credentials mode is 'include'.", true
	case ReasonPreflightInvalidStatus:
		return "It does not have HTTP ok status.", true
	case ReasonPreflightDisallowedRedirect:
		return "Redirect is not allowed for a preflight request.", true
	case ReasonInvalidAllowMethods:
		return "Cannot parse Access-Control-Allow-Methods response header field in preflight response.", true
	case ReasonInvalidAllowHeaders:
		return "Cannot parse Access-Control-Allow-Headers response header field in preflight response.", true
	case ReasonMethodDisallowed:
		return "Method " + e.Value + " is not allowed by Access-Control-Allow-Methods in preflight response.", true
	case ReasonHeaderDisallowed:
		return "Request header field " + e.Value + " is not allowed by Access-Control-Allow-Headers in preflight response.", true
	case ReasonRedirectContainsCredentials:
		return "Redirect location '" + e.Value + "' contains a username and password, which is disallowed for cross-origin requests.", true
	}
	return "", false
}

// otherMessage describes failures Chromium reports as a TypeError or a
// net:: error rather than a CORS console message.
func otherMessage(e *Error) string {
	switch e.Reason {
	case ReasonInvalidMethod:
		return "'" + e.Value + "' is not a valid HTTP method."
	case ReasonForbiddenMethod:
		return "'" + e.Value + "' HTTP method is unsupported."
	case ReasonInvalidHeader:
		return "invalid header field '" + e.Value + "'."
	case ReasonNoCORSMethod:
		return "'" + e.Value + "' is unsupported in no-cors mode."
	case ReasonInvalidOrigin:
		return "fetch.Transport.Origin is not set: the page's origin is required."
	case ReasonInvalidURL:
		if e.Value != "" {
			return "Request cannot be constructed from a URL that includes credentials or is not absolute: '" + e.Value + "'."
		}
		return "the request has no URL."
	case ReasonBodyNotAllowed:
		return "Request with " + e.Value + " method cannot have body."
	case ReasonOnlyIfCached:
		return "'only-if-cached' can be set only with 'same-origin' mode."
	case ReasonMixedContent:
		return "Mixed Content: the page at origin '" + e.Origin + "' was loaded over HTTPS, but requested an insecure resource. This request has been blocked; the content must be served over HTTPS."
	case ReasonUnsupportedScheme:
		return "URL scheme \"" + e.Value + "\" is not supported."
	case ReasonTooManyRedirects:
		return "net::ERR_TOO_MANY_REDIRECTS (more than 20 redirects)."
	case ReasonRedirectModeError:
		return "redirect mode is \"error\" and the response redirected."
	case ReasonInvalidRedirectLocation:
		return "invalid redirect Location '" + e.Value + "'."
	case ReasonRedirectSchemeNotHTTP:
		return "redirect to '" + e.Value + "', which is not an HTTP(S) URL."
	case ReasonBodyNotReplayable:
		return "the redirect keeps the request body, but it cannot be sent again (the request has no GetBody)."
	case ReasonNetwork:
		if e.Err != nil {
			return "network error: " + e.Err.Error()
		}
		return "network error."
	}
	return string(e.Reason)
}
