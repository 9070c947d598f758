package fetch

import (
	"strconv"
	"strings"

	"github.com/corsfetch/corsfetch/internal/headerlist"
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

// Error returns the line the console of the engine named by e.Browser
// prints for the failure. The text is not stable; Reason is.
//
// Each engine's templates are transcribed from its own source:
//
//   - "Firefox": the CORS* strings of Gecko's
//     dom/locales/en-US/chrome/security/security.properties, chosen per
//     failure as netwerk/protocol/http/nsCORSListenerProxy.cpp chooses
//     them, with " Status code: N." where that file passes the status
//     (CORSMissingAllowOrigin2 and CORSPreflightDidNotSucceed3). Gecko
//     names neither the preflight nor the redirect in these lines.
//   - "Safari": the error descriptions of WebKit's
//     Source/WebCore/loader/CrossOriginAccessControl.cpp,
//     CrossOriginPreflightResultCache.cpp, CrossOriginPreflightChecker.cpp and
//     DocumentThreadableLoader.cpp and of
//     Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp, followed by the
//     line ThreadableLoader::logError adds: "Fetch API cannot load URL due
//     to access control checks." The two console lines are joined by a
//     space.
//   - anything else ("Chrome", "Spec", "custom", ""): Chromium's console
//     line, "Access to fetch at 'URL' from origin 'O' has been blocked by
//     CORS policy: ..." with the bodies of Blink's cors_error_string.cc.
//
// Failures an engine has no console text for, and failures that are not
// CORS errors (invalid method, network error and the like), are worded
// as Chromium words them, or as "Failed to fetch 'URL': ..." with a
// description of the cause. A status of 0 (no response) is left out
// where an engine would print it.
func (e *Error) Error() string {
	switch e.Browser {
	case "Firefox":
		if s, ok := firefoxMessage(e); ok {
			return s
		}
	case "Safari":
		if s, ok := safariMessage(e); ok {
			return s
		}
	}
	return chromeMessage(e)
}

// chromeMessage returns the line Chromium prints for e: its console message
// for CORS errors, and a description of the cause for the others.
func chromeMessage(e *Error) string {
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

// firefoxMessage returns Gecko's console line for the CORS errors it has
// one for. Every line is the template
//
//	Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: ...).
//
// of security.properties, %1$S being the channel's URL; the string names
// are given per case. Gecko logs nothing of its own for
// ReasonDisallowedByMode and ReasonRedirectContainsCredentials (the
// latter fails with NS_ERROR_DOM_BAD_URI in
// nsCORSListenerProxy::UpdateChannel without a log), so they fall back to
// Chromium's wording.
func firefoxMessage(e *Error) (string, bool) {
	const (
		acao = "CORS header \u2018Access-Control-Allow-Origin\u2019"
		acam = "CORS header \u2018Access-Control-Allow-Methods\u2019"
		acah = "CORS header \u2018Access-Control-Allow-Headers\u2019"
	)
	var reason string
	at := e.URL
	withStatus := false
	switch e.Reason {
	case ReasonCorsDisabledScheme:
		reason = "CORS request not http" // CORSRequestNotHttp
	case ReasonMissingAllowOriginHeader:
		reason = acao + " missing" // CORSMissingAllowOrigin2
		withStatus = true
	case ReasonMultipleAllowOriginValues:
		// CORSMultipleAllowOriginNotAllowed, which Gecko logs for several
		// fields; one field holding a list fails its comparison instead
		// (CORSAllowOriginNotMatchingOrigin), which Value cannot tell apart.
		reason = "Multiple " + acao + " not allowed"
	case ReasonInvalidAllowOriginValue, ReasonAllowOriginMismatch:
		// CORSAllowOriginNotMatchingOrigin, %2$S being the header's value.
		// Gecko does not parse the value, so an invalid one is a mismatch.
		reason = acao + " does not match \u2018" + e.Value + "\u2019"
	case ReasonWildcardOriginNotAllowed:
		// CORSNotSupportingCredentials, the one template that quotes %1$S.
		at = "\u2018" + e.URL + "\u2019"
		reason = "Credential is not supported if the " + acao + " is \u2018*\u2019"
	case ReasonInvalidAllowCredentials:
		reason = "expected \u2018true\u2019 in CORS header \u2018Access-Control-Allow-Credentials\u2019" // CORSMissingAllowCredentials
	case ReasonPreflightInvalidStatus:
		reason = "CORS preflight response did not succeed" // CORSPreflightDidNotSucceed3
		withStatus = true
	case ReasonPreflightDisallowedRedirect:
		reason = "CORS request external redirect not allowed" // CORSExternalRedirectNotAllowed
	case ReasonInvalidAllowMethods:
		reason = "invalid token \u2018" + firstInvalidToken(e.Value) + "\u2019 in " + acam // CORSInvalidAllowMethod
	case ReasonInvalidAllowHeaders:
		reason = "invalid token \u2018" + firstInvalidToken(e.Value) + "\u2019 in " + acah // CORSInvalidAllowHeader
	case ReasonMethodDisallowed:
		reason = "Did not find method in " + acam // CORSMethodNotFound
	case ReasonHeaderDisallowed:
		// CORSMissingAllowHeaderFromPreflight2
		reason = "header \u2018" + e.Value + "\u2019 is not allowed according to header \u2018Access-Control-Allow-Headers\u2019 from CORS preflight response"
	default:
		return "", false
	}
	s := "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at " + at + ". (Reason: " + reason + ")."
	if withStatus && e.Status != 0 {
		s += " Status code: " + strconv.Itoa(e.Status) + "."
	}
	return s, true
}

// firstInvalidToken returns the first item of the comma-separated list v
// that is not an HTTP token, as nsCORSPreflightListener finds it (items
// trimmed of whitespace, empty items skipped), or v itself if there is
// none.
func firstInvalidToken(v string) string {
	for item := range strings.SplitSeq(v, ",") {
		item = strings.Trim(item, " \t\r\n\f")
		if item != "" && !headerlist.IsToken(item) {
			return item
		}
	}
	return v
}

// safariMessage returns WebKit's console lines for the CORS errors it has
// them for: the error description, then the line
// ThreadableLoader::logError adds for it. The other failures keep the
// "Failed to fetch" wording, though WebKit's NetworkLoadChecker and
// DocumentThreadableLoader describe some of them as access-control errors
// too (too many redirects, redirect mode "error", a redirect to a scheme
// other than HTTP(S)).
func safariMessage(e *Error) (string, bool) {
	status := ""
	if e.Status != 0 {
		status = " Status code: " + strconv.Itoa(e.Status)
	}
	accessControl := true
	var d string
	switch e.Reason {
	case ReasonDisallowedByMode:
		// DocumentThreadableLoader, for a same-origin request to another
		// origin; WebKit has no text of its own for the no-cors case, so
		// it gets this one too. Not an access-control error, so the
		// description is not logged on its own line; ThreadableLoader's
		// logError (the version that appends the description) prints
		// "Fetch API cannot load URL. " followed by it.
		d = "Cross origin requests are not allowed when using same-origin fetch mode."
		accessControl = false
	case ReasonCorsDisabledScheme:
		d = "Cross origin requests are only supported for HTTP." // DocumentThreadableLoader
	case ReasonMissingAllowOriginHeader, ReasonMultipleAllowOriginValues,
		ReasonInvalidAllowOriginValue, ReasonAllowOriginMismatch:
		// passesAccessControlCheck (CrossOriginAccessControl.cpp) tells
		// only a value with a comma (several fields are joined with ", ")
		// from any other value that is not the origin, absent included.
		if strings.Contains(e.Value, ",") {
			d = "Access-Control-Allow-Origin cannot contain more than one origin."
		} else {
			d = "Origin " + e.Origin + " is not allowed by Access-Control-Allow-Origin." + status
		}
	case ReasonWildcardOriginNotAllowed:
		d = "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true." // passesAccessControlCheck
	case ReasonInvalidAllowCredentials:
		d = `Credentials flag is true, but Access-Control-Allow-Credentials is not "true".` // passesAccessControlCheck
	case ReasonPreflightInvalidStatus, ReasonPreflightDisallowedRedirect:
		// validatePreflightResponse (CrossOriginAccessControl.cpp); a
		// redirected preflight reaches it through
		// CrossOriginPreflightChecker::redirectReceived with the 3xx.
		d = "Preflight response is not successful." + status
	case ReasonInvalidAllowMethods:
		d = "Header Access-Control-Allow-Methods has an invalid value: " + e.Value // CrossOriginPreflightResultCacheItem::create
	case ReasonInvalidAllowHeaders:
		d = "Header Access-Control-Allow-Headers has an invalid value: " + e.Value // CrossOriginPreflightResultCacheItem::create
	case ReasonMethodDisallowed:
		d = "Method " + e.Value + " is not allowed by Access-Control-Allow-Methods." // validateMethodAndHeaders
	case ReasonHeaderDisallowed:
		d = "Request header field " + e.Value + " is not allowed by Access-Control-Allow-Headers." // validateMethodAndHeaders
	case ReasonRedirectContainsCredentials:
		d = "Cross-origin redirection to " + e.URL + " denied by Cross-Origin Resource Sharing policy: redirection URL " + e.Value + " has credentials" // NetworkLoadChecker::checkRedirection
	default:
		return "", false
	}
	if e.Preflight && e.Status != 0 && (e.Status < 200 || e.Status > 299) && isCORSCheckReason(e.Reason) {
		// WebKit checks the preflight's status before its CORS check
		// (validatePreflightResponse), so a preflight that fails both is
		// reported by its status.
		d = "Preflight response is not successful." + status
	}
	if !accessControl {
		return "Fetch API cannot load " + e.URL + ". " + d, true
	}
	return d + " Fetch API cannot load " + e.URL + " due to access control checks.", true
}

// isCORSCheckReason reports whether r is a failure of the CORS check.
func isCORSCheckReason(r Reason) bool {
	switch r {
	case ReasonMissingAllowOriginHeader, ReasonMultipleAllowOriginValues,
		ReasonInvalidAllowOriginValue, ReasonAllowOriginMismatch,
		ReasonWildcardOriginNotAllowed, ReasonInvalidAllowCredentials:
		return true
	}
	return false
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
