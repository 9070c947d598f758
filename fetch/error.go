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
	// ReasonInvalidMethod: the method is not an HTTP token
	// (#concept-method). Value holds the method.
	ReasonInvalidMethod Reason = "InvalidMethod"
	// ReasonForbiddenMethod: CONNECT, TRACE or TRACK. Value holds the
	// method.
	ReasonForbiddenMethod Reason = "ForbiddenMethod"
	// ReasonInvalidHeader: a header name that is not a token or a value with
	// 0x00, CR or LF. Value holds the name (as given when it is not a
	// token, canonical otherwise).
	ReasonInvalidHeader Reason = "InvalidHeader"
	// ReasonNoCORSMethod: a no-cors request with a method other than GET,
	// HEAD or POST. Value holds the method.
	ReasonNoCORSMethod Reason = "NoCORSMethod"
	// ReasonInvalidOrigin: Transport.Origin is the zero Origin. Value is
	// empty.
	ReasonInvalidOrigin Reason = "InvalidOrigin"
	// ReasonInvalidURL: the request has no URL, a relative one, or one
	// with a user name or password (fetch() rejects those). Value holds
	// the URL (its password redacted), or is empty when there is none.
	ReasonInvalidURL Reason = "InvalidURL"
	// ReasonBodyNotAllowed: a GET or HEAD request with a body. Value holds
	// the method.
	ReasonBodyNotAllowed Reason = "BodyNotAllowed"
	// ReasonOnlyIfCached: cache mode only-if-cached in a mode other than
	// same-origin. Value is empty.
	ReasonOnlyIfCached Reason = "OnlyIfCached"
)

// Reasons found by main fetch before the network is used.
const (
	// ReasonDisallowedByMode: a same-origin request to another origin, or a
	// no-cors request to another origin with a redirect mode other than
	// follow. Value is empty.
	ReasonDisallowedByMode Reason = "DisallowedByMode"
	// ReasonMixedContent: an https page fetching a URL that is not
	// potentially trustworthy (plain http to a host other than loopback).
	// Value holds the URL, its password redacted.
	ReasonMixedContent Reason = "MixedContent"
	// ReasonCorsDisabledScheme: a cross-origin cors request to a URL whose
	// scheme is not http or https. Value holds the scheme.
	ReasonCorsDisabledScheme Reason = "CorsDisabledScheme"
	// ReasonUnsupportedScheme: any other request to a URL whose scheme is
	// not http or https (data: and blob: URLs are not simulated). Value
	// holds the scheme.
	ReasonUnsupportedScheme Reason = "UnsupportedScheme"
)

// Reasons from the CORS check of a response. With Error.Preflight set they
// were found on the CORS-preflight response. Value holds the
// Access-Control-Allow-Origin value (its fields joined by ", ") for the
// Allow-Origin reasons, the Access-Control-Allow-Credentials value for
// ReasonInvalidAllowCredentials, and is empty for
// ReasonMissingAllowOriginHeader.
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
	// in 200-299. Value holds the status line's code and reason ("404 Not
	// Found"); Status holds the code.
	ReasonPreflightInvalidStatus Reason = "PreflightInvalidStatus"
	// ReasonPreflightDisallowedRedirect: the preflight was answered with a
	// redirect, which preflights never follow. Value is empty.
	ReasonPreflightDisallowedRedirect Reason = "PreflightDisallowedRedirect"
	// ReasonInvalidAllowMethods: Access-Control-Allow-Methods does not
	// parse. Value holds its value.
	ReasonInvalidAllowMethods Reason = "InvalidAllowMethodsPreflightResponse"
	// ReasonInvalidAllowHeaders: Access-Control-Allow-Headers does not
	// parse. Value holds its value.
	ReasonInvalidAllowHeaders Reason = "InvalidAllowHeadersPreflightResponse"
	// ReasonMethodDisallowed: the method is not allowed. Value holds it.
	ReasonMethodDisallowed Reason = "MethodDisallowedByPreflightResponse"
	// ReasonHeaderDisallowed: a request header is not allowed. Value holds
	// its name, lower case.
	ReasonHeaderDisallowed Reason = "HeaderDisallowedByPreflightResponse"
)

// Reasons from redirects.
//
// [HTTP-redirect fetch]: https://fetch.spec.whatwg.org/#http-redirect-fetch
const (
	// ReasonRedirectContainsCredentials: a CORS request redirected to a URL
	// with a user name or password. Value holds that URL, with them.
	ReasonRedirectContainsCredentials Reason = "RedirectContainsCredentials"
	// ReasonTooManyRedirects: more than 20 redirects. Value is empty.
	ReasonTooManyRedirects Reason = "TooManyRedirects"
	// ReasonRedirectModeError: a redirect with redirect mode "error". Value
	// is empty.
	ReasonRedirectModeError Reason = "RedirectModeError"
	// ReasonInvalidRedirectLocation: a Location that does not parse, or
	// more than one. Value holds the Location fields' value (joined by
	// ", "), or the URL it resolved to when that failed, its password
	// redacted.
	ReasonInvalidRedirectLocation Reason = "InvalidRedirectLocation"
	// ReasonRedirectSchemeNotHTTP: a redirect to a scheme other than http or
	// https. Value holds the location URL, its password redacted.
	ReasonRedirectSchemeNotHTTP Reason = "RedirectSchemeNotHTTP"
	// ReasonBodyNotReplayable: a redirect that keeps the body, for a request
	// whose body cannot be read again (no GetBody). Value is empty.
	ReasonBodyNotReplayable Reason = "BodyNotReplayable"
)

// Reasons from the Local Network Access check, made before a request is
// sent (preflights, every redirect hop) when Transport.PageAddressSpace is
// set. AddressSpace holds the space of the server; Value holds its name,
// or for ReasonInvalidLocalNetworkAccess the space the fetch declared.
//
// [Local Network Access check]: https://wicg.github.io/local-network-access/#local-network-access-check
const (
	// ReasonLocalNetworkAccessDenied: a local network request (to a
	// server in a less public space than the page's) from a secure
	// context, without the permission of the server's space
	// (Transport.Permissions).
	ReasonLocalNetworkAccessDenied Reason = "LocalNetworkAccessPermissionDenied"
	// ReasonInsecureLocalNetwork: a local network request from a page that
	// is not a secure context, which no permission allows.
	ReasonInsecureLocalNetwork Reason = "InsecureLocalNetwork"
	// ReasonInvalidLocalNetworkAccess: the server is not in the space
	// the fetch declared (Options.TargetAddressSpace).
	ReasonInvalidLocalNetworkAccess Reason = "InvalidLocalNetworkAccess"
)

// ReasonNetwork: the network itself failed (connection refused, reset,
// timeout, canceled context), or the browser's network stack refuses the
// response (a 407 or a head too large, as the profile says). Err holds the
// cause; Value is empty.
const ReasonNetwork Reason = "Network"

// Error is a fetch that a browser would fail: fetch() rejects with a
// TypeError and the console explains why. RoundTrip returns it (possibly
// wrapped by http.Client in a *url.Error); use errors.As to get it.
type Error struct {
	Reason    Reason
	Preflight bool   // found on the CORS-preflight response
	Value     string // the value at fault; each Reason says what it holds
	URL       string // the URL being fetched when the fetch failed
	// InitialURL is the first URL of the fetch when it was redirected
	// before failing, and "" otherwise.
	InitialURL string
	// Origin is the page's origin, serialized.
	Origin string
	// Profile is the Name of the profile that failed the fetch ("Chrome",
	// "Firefox", "Safari", "Spec", or a custom one's).
	Profile string
	// Console is the engine whose console wording Error() uses: the
	// profile's Console.
	Console Console
	// Status is the HTTP status of the response that failed the CORS
	// check or the preflight, or that the network stack refused, and 0
	// when there was none.
	Status int
	// AddressSpace is the address space of the server, for the Local
	// Network Access reasons, and AddressSpaceUnknown otherwise.
	AddressSpace AddressSpace
	// Err is the underlying error for ReasonNetwork (and for
	// ReasonInvalidRedirectLocation, the parse failure; for a Local
	// Network Access reason found on the connection rather than before
	// sending, the address it reached), and nil otherwise.
	Err error
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// Error returns the line the console of e.Console prints for the failure.
// The text is not stable; Reason is.
//
// Each engine's wording is transcribed from its own source, one table per
// engine keyed by Reason:
//
//   - ConsoleChromium (chromiumConsole): "Access to fetch at 'URL' from
//     origin 'O' has been blocked by CORS policy: ..." with the bodies of
//     Blink's cors_error_string.cc for CORS errors.
//   - ConsoleFirefox (firefoxConsole): the CORS* strings of Gecko's
//     dom/locales/en-US/chrome/security/security.properties, chosen per
//     failure as netwerk/protocol/http/nsCORSListenerProxy.cpp chooses
//     them, with " Status code: N." where that file passes the status
//     (CORSMissingAllowOrigin2 and CORSPreflightDidNotSucceed3). Gecko
//     names neither the preflight nor the redirect in these lines.
//   - ConsoleWebKit (webkitConsole): the error descriptions of WebKit's
//     Source/WebCore/loader/CrossOriginAccessControl.cpp,
//     CrossOriginPreflightResultCache.cpp, CrossOriginPreflightChecker.cpp and
//     DocumentThreadableLoader.cpp and of
//     Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp, followed by the
//     line ThreadableLoader::logError adds: "Fetch API cannot load URL due
//     to access control checks." The two console lines are joined by a
//     space.
//
// Failures an engine has no console text for, and failures that are not
// CORS errors (invalid method, network error and the like), are worded as
// Chromium words them, or as "Failed to fetch 'URL': ..." with a
// description of the cause. A status of 0 (no response) is left out where
// an engine would print it.
func (e *Error) Error() string {
	switch e.Console {
	case ConsoleFirefox:
		if line, ok := firefoxConsole[e.Reason]; ok {
			return firefoxLine(e, line)
		}
	case ConsoleWebKit:
		if line, ok := webkitConsole[e.Reason]; ok {
			return webkitLine(e, line)
		}
	}
	return chromiumLine(e)
}

// chromiumEntry is Chromium's text for a Reason: the body of its CORS
// console message, or (cors false) a description of a failure that is not a
// CORS error.
type chromiumEntry struct {
	cors bool
	text func(e *Error) string
}

// chromiumConsole is Chromium's wording of every Reason (Blink's
// cors_error_string.cc for the CORS errors).
var chromiumConsole = map[Reason]chromiumEntry{
	ReasonDisallowedByMode:   {true, fixed("Cross origin requests are not allowed by request mode.")},
	ReasonCorsDisabledScheme: {true, fixed("Cross origin requests are only supported for protocol schemes: http, https.")},
	ReasonMissingAllowOriginHeader: {true, fixed(
		"No 'Access-Control-Allow-Origin' header is present on the requested resource.")},
	ReasonMultipleAllowOriginValues: {true, func(e *Error) string {
		return "The 'Access-Control-Allow-Origin' header contains multiple values '" + e.Value + "', but only one is allowed." + chromiumFix
	}},
	ReasonInvalidAllowOriginValue: {true, func(e *Error) string {
		return "The 'Access-Control-Allow-Origin' header contains the invalid value '" + e.Value + "'." + chromiumFix
	}},
	ReasonAllowOriginMismatch: {true, func(e *Error) string {
		return "The 'Access-Control-Allow-Origin' header has a value '" + e.Value + "' that is not equal to the supplied origin." + chromiumFix
	}},
	ReasonWildcardOriginNotAllowed: {true, fixed("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")},
	ReasonInvalidAllowCredentials: {true, func(e *Error) string {
		return "The value of the 'Access-Control-Allow-Credentials' header in the response is '" + e.Value + "' which must be 'true' when the request's credentials mode is 'include'."
	}},
	ReasonPreflightInvalidStatus:      {true, fixed("It does not have HTTP ok status.")},
	ReasonPreflightDisallowedRedirect: {true, fixed("Redirect is not allowed for a preflight request.")},
	ReasonInvalidAllowMethods:         {true, fixed("Cannot parse Access-Control-Allow-Methods response header field in preflight response.")},
	ReasonInvalidAllowHeaders:         {true, fixed("Cannot parse Access-Control-Allow-Headers response header field in preflight response.")},
	ReasonMethodDisallowed: {true, func(e *Error) string {
		return "Method " + e.Value + " is not allowed by Access-Control-Allow-Methods in preflight response."
	}},
	ReasonHeaderDisallowed: {true, func(e *Error) string {
		return "Request header field " + e.Value + " is not allowed by Access-Control-Allow-Headers in preflight response."
	}},
	ReasonRedirectContainsCredentials: {true, func(e *Error) string {
		return "Redirect location '" + e.Value + "' contains a username and password, which is disallowed for cross-origin requests."
	}},
	ReasonLocalNetworkAccessDenied: {true, func(e *Error) string {
		return "Permission was denied for this request to access the `" + e.AddressSpace.String() + "` address space."
	}},
	ReasonInsecureLocalNetwork: {true, func(e *Error) string {
		return "The request client is not a secure context and the resource is in more-private address space `" + e.AddressSpace.String() + "`."
	}},
	ReasonInvalidLocalNetworkAccess: {true, func(e *Error) string {
		return "Request had a target IP address space of `" + e.Value + "` yet the resource is in address space `" + e.AddressSpace.String() + "`."
	}},

	ReasonInvalidMethod:   {false, func(e *Error) string { return "'" + e.Value + "' is not a valid HTTP method." }},
	ReasonForbiddenMethod: {false, func(e *Error) string { return "'" + e.Value + "' HTTP method is unsupported." }},
	ReasonInvalidHeader:   {false, func(e *Error) string { return "invalid header field '" + e.Value + "'." }},
	ReasonNoCORSMethod:    {false, func(e *Error) string { return "'" + e.Value + "' is unsupported in no-cors mode." }},
	ReasonInvalidOrigin:   {false, fixed("fetch.Transport.Origin is not set: the page's origin is required.")},
	ReasonInvalidURL: {false, func(e *Error) string {
		if e.Value != "" {
			return "Request cannot be constructed from a URL that includes credentials or is not absolute: '" + e.Value + "'."
		}
		return "the request has no URL."
	}},
	ReasonBodyNotAllowed: {false, func(e *Error) string { return "Request with " + e.Value + " method cannot have body." }},
	ReasonOnlyIfCached:   {false, fixed("'only-if-cached' can be set only with 'same-origin' mode.")},
	ReasonMixedContent: {false, func(e *Error) string {
		return "Mixed Content: the page at origin '" + e.Origin + "' was loaded over HTTPS, but requested an insecure resource. This request has been blocked; the content must be served over HTTPS."
	}},
	ReasonUnsupportedScheme:       {false, func(e *Error) string { return "URL scheme \"" + e.Value + "\" is not supported." }},
	ReasonTooManyRedirects:        {false, fixed("net::ERR_TOO_MANY_REDIRECTS (more than 20 redirects).")},
	ReasonRedirectModeError:       {false, fixed("redirect mode is \"error\" and the response redirected.")},
	ReasonInvalidRedirectLocation: {false, func(e *Error) string { return "invalid redirect Location '" + e.Value + "'." }},
	ReasonRedirectSchemeNotHTTP: {false, func(e *Error) string {
		return "redirect to '" + e.Value + "', which is not an HTTP(S) URL."
	}},
	ReasonBodyNotReplayable: {false, fixed("the redirect keeps the request body, but it cannot be sent again (the request has no GetBody).")},
	ReasonNetwork: {false, func(e *Error) string {
		if e.Err != nil {
			return "network error: " + e.Err.Error()
		}
		return "network error."
	}},
}

// chromiumFix is the advice Chromium appends to some Allow-Origin messages.
const chromiumFix = " Have the server send the header with a valid value."

// fixed returns a text that does not depend on the error.
func fixed(s string) func(*Error) string { return func(*Error) string { return s } }

// chromiumLine returns the line Chromium prints for e: its console message
// for CORS errors, and a description of the cause for the others.
func chromiumLine(e *Error) string {
	entry, known := chromiumConsole[e.Reason]
	var b strings.Builder
	if entry.cors {
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
		b.WriteString(entry.text(e))
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
	if known {
		b.WriteString(entry.text(e))
	} else {
		b.WriteString(string(e.Reason))
	}
	return b.String()
}

// firefoxEntry is Gecko's text for a Reason: the "Reason" part of the
// template
//
//	Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: ...).
//
// of security.properties, %1$S being the channel's URL, quoted for one
// string; with status, the line ends with " Status code: N.".
type firefoxEntry struct {
	reason   func(e *Error) string
	status   bool // the string takes the status
	quoteURL bool // %1$S is quoted
}

// firefoxConsole is Gecko's wording of the CORS errors it logs, the string
// names given per Reason. Gecko logs nothing of its own for
// ReasonDisallowedByMode and ReasonRedirectContainsCredentials (the latter
// fails with NS_ERROR_DOM_BAD_URI in nsCORSListenerProxy::UpdateChannel
// without a log), so they are worded as Chromium words them.
var firefoxConsole = map[Reason]firefoxEntry{
	ReasonCorsDisabledScheme:       {reason: fixed("CORS request not http")},                // CORSRequestNotHttp
	ReasonMissingAllowOriginHeader: {reason: fixed(firefoxACAO + " missing"), status: true}, // CORSMissingAllowOrigin2
	// CORSMultipleAllowOriginNotAllowed, which Gecko logs for several
	// fields; one field holding a list fails its comparison instead
	// (CORSAllowOriginNotMatchingOrigin), which Value cannot tell apart.
	ReasonMultipleAllowOriginValues: {reason: fixed("Multiple " + firefoxACAO + " not allowed")},
	// CORSAllowOriginNotMatchingOrigin, %2$S being the header's value.
	// Gecko does not parse the value, so an invalid one is a mismatch.
	ReasonInvalidAllowOriginValue: {reason: firefoxMismatch},
	ReasonAllowOriginMismatch:     {reason: firefoxMismatch},
	// CORSNotSupportingCredentials, the one template that quotes %1$S.
	ReasonWildcardOriginNotAllowed:    {reason: fixed("Credential is not supported if the " + firefoxACAO + " is \u2018*\u2019"), quoteURL: true},
	ReasonInvalidAllowCredentials:     {reason: fixed("expected \u2018true\u2019 in CORS header \u2018Access-Control-Allow-Credentials\u2019")}, // CORSMissingAllowCredentials
	ReasonPreflightInvalidStatus:      {reason: fixed("CORS preflight response did not succeed"), status: true},                                 // CORSPreflightDidNotSucceed3
	ReasonPreflightDisallowedRedirect: {reason: fixed("CORS request external redirect not allowed")},                                            // CORSExternalRedirectNotAllowed
	ReasonInvalidAllowMethods: {reason: func(e *Error) string { // CORSInvalidAllowMethod
		return "invalid token \u2018" + firstInvalidToken(e.Value) + "\u2019 in " + firefoxACAM
	}},
	ReasonInvalidAllowHeaders: {reason: func(e *Error) string { // CORSInvalidAllowHeader
		return "invalid token \u2018" + firstInvalidToken(e.Value) + "\u2019 in " + firefoxACAH
	}},
	ReasonMethodDisallowed: {reason: fixed("Did not find method in " + firefoxACAM)}, // CORSMethodNotFound
	ReasonHeaderDisallowed: {reason: func(e *Error) string { // CORSMissingAllowHeaderFromPreflight2
		return "header \u2018" + e.Value + "\u2019 is not allowed according to header \u2018Access-Control-Allow-Headers\u2019 from CORS preflight response"
	}},
}

// Header names as Gecko's strings quote them.
const (
	firefoxACAO = "CORS header \u2018Access-Control-Allow-Origin\u2019"
	firefoxACAM = "CORS header \u2018Access-Control-Allow-Methods\u2019"
	firefoxACAH = "CORS header \u2018Access-Control-Allow-Headers\u2019"
)

// firefoxMismatch is CORSAllowOriginNotMatchingOrigin's reason.
func firefoxMismatch(e *Error) string {
	return firefoxACAO + " does not match \u2018" + e.Value + "\u2019"
}

// firefoxLine returns Gecko's console line for e.
func firefoxLine(e *Error, entry firefoxEntry) string {
	at := e.URL
	if entry.quoteURL {
		at = "\u2018" + e.URL + "\u2019"
	}
	s := "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at " + at + ". (Reason: " + entry.reason(e) + ")."
	if entry.status && e.Status != 0 {
		s += " Status code: " + strconv.Itoa(e.Status) + "."
	}
	return s
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

// webkitEntry is WebKit's error description for a Reason; an
// access-control error is logged on its own line, followed by
// ThreadableLoader::logError's.
type webkitEntry struct {
	description   func(e *Error) string
	accessControl bool
}

// webkitConsole is WebKit's wording of the CORS errors it has descriptions
// for. The other failures keep Chromium's wording, though WebKit's
// NetworkLoadChecker and DocumentThreadableLoader describe some of them as
// access-control errors too (too many redirects, redirect mode "error", a
// redirect to a scheme other than HTTP(S)).
var webkitConsole = map[Reason]webkitEntry{
	// DocumentThreadableLoader, for a same-origin request to another
	// origin; WebKit has no text of its own for the no-cors case, so it
	// gets this one too. Not an access-control error: logError (the
	// version that appends the description) prints "Fetch API cannot load
	// URL. " followed by it.
	ReasonDisallowedByMode:   {fixed("Cross origin requests are not allowed when using same-origin fetch mode."), false},
	ReasonCorsDisabledScheme: {fixed("Cross origin requests are only supported for HTTP."), true}, // DocumentThreadableLoader
	// passesAccessControlCheck (CrossOriginAccessControl.cpp) tells only a
	// value with a comma (several fields are joined with ", ") from any
	// other value that is not the origin, absent included.
	ReasonMissingAllowOriginHeader:  {webkitAllowOrigin, true},
	ReasonMultipleAllowOriginValues: {webkitAllowOrigin, true},
	ReasonInvalidAllowOriginValue:   {webkitAllowOrigin, true},
	ReasonAllowOriginMismatch:       {webkitAllowOrigin, true},
	ReasonWildcardOriginNotAllowed:  {fixed("Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."), true}, // passesAccessControlCheck
	ReasonInvalidAllowCredentials:   {fixed(`Credentials flag is true, but Access-Control-Allow-Credentials is not "true".`), true},     // passesAccessControlCheck
	// validatePreflightResponse (CrossOriginAccessControl.cpp); a redirected
	// preflight reaches it through CrossOriginPreflightChecker::
	// redirectReceived with the 3xx.
	ReasonPreflightInvalidStatus:      {webkitPreflightStatus, true},
	ReasonPreflightDisallowedRedirect: {webkitPreflightStatus, true},
	ReasonInvalidAllowMethods: {func(e *Error) string { // CrossOriginPreflightResultCacheItem::create
		return "Header Access-Control-Allow-Methods has an invalid value: " + e.Value
	}, true},
	ReasonInvalidAllowHeaders: {func(e *Error) string { // CrossOriginPreflightResultCacheItem::create
		return "Header Access-Control-Allow-Headers has an invalid value: " + e.Value
	}, true},
	ReasonMethodDisallowed: {func(e *Error) string { // validateMethodAndHeaders
		return "Method " + e.Value + " is not allowed by Access-Control-Allow-Methods."
	}, true},
	ReasonHeaderDisallowed: {func(e *Error) string { // validateMethodAndHeaders
		return "Request header field " + e.Value + " is not allowed by Access-Control-Allow-Headers."
	}, true},
	ReasonRedirectContainsCredentials: {func(e *Error) string { // NetworkLoadChecker::checkRedirection
		return "Cross-origin redirection to " + e.URL + " denied by Cross-Origin Resource Sharing policy: redirection URL " + e.Value + " has credentials"
	}, true},
}

// webkitStatus is the " Status code: N" WebKit appends, or "".
func webkitStatus(e *Error) string {
	if e.Status == 0 {
		return ""
	}
	return " Status code: " + strconv.Itoa(e.Status)
}

// webkitAllowOrigin is passesAccessControlCheck's description of an
// Access-Control-Allow-Origin that fails.
func webkitAllowOrigin(e *Error) string {
	if strings.Contains(e.Value, ",") {
		return "Access-Control-Allow-Origin cannot contain more than one origin."
	}
	return "Origin " + e.Origin + " is not allowed by Access-Control-Allow-Origin." + webkitStatus(e)
}

// webkitPreflightStatus is validatePreflightResponse's description of a
// preflight response that is not ok.
func webkitPreflightStatus(e *Error) string {
	return "Preflight response is not successful." + webkitStatus(e)
}

// webkitLine returns WebKit's console lines for e.
func webkitLine(e *Error, entry webkitEntry) string {
	d := entry.description(e)
	if e.Preflight && e.Status != 0 && (e.Status < 200 || e.Status > 299) && isCORSCheckReason(e.Reason) {
		// WebKit checks the preflight's status before its CORS check
		// (validatePreflightResponse), so a preflight that fails both is
		// reported by its status.
		d = webkitPreflightStatus(e)
	}
	if !entry.accessControl {
		return "Fetch API cannot load " + e.URL + ". " + d
	}
	return d + " Fetch API cannot load " + e.URL + " due to access control checks."
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
