// Package redirect implements the pure part of the Fetch Standard's
// HTTP-redirect fetch: which statuses redirect ([IsStatus]), the response's
// location URL and its failures ([Location]), the checks and rewrites that
// turn one request into the next ([Next]: the scheme check, the 20-redirect
// limit, the credentials-in-URL checks, the method and body rewrite, the
// request-body and Authorization headers to delete) and the request's
// redirect-taint, which turns the serialized request origin into "null"
// ([TaintOf], [SerializeOrigin]).
//
// The package does no I/O and keeps no state: package fetch owns the request,
// sends it, runs the CORS check on the redirect response (#concept-http-fetch
// does that before a redirect is followed), and calls into this package once
// per hop. Each function cites the steps it implements; the numbers are those
// of the Fetch Standard at whatwg/fetch commit 586cd2a (2026-07-02, the
// snapshot the module's doc.go lists), and each citation also quotes a few
// words of the step so that a renumbering shows.
//
// # Policy
//
// The zero [Policy] is the Fetch Standard. Its fields are the points where an
// engine was seen to differ, each documented with the engine's value and the
// evidence (a scenario of conformance/corpus/chromium.json, recorded from
// Chromium 156, or a cited engine source).
//
// # Deviations
//
// Location URLs are parsed by net/url, which follows RFC 3986, not by the
// WHATWG URL parser. [Location] first rewrites the input the way the URL
// parser reads special (http, https, ws, wss, ftp) URLs, so that the result
// names the same host a browser would go to:
//
//   - leading and trailing C0 controls and spaces are trimmed and every tab,
//     CR and LF is removed;
//   - a backslash before the query or fragment is a slash;
//   - any number of slashes may introduce the authority ("///evil.example"
//     and "https:evil.example" name the host evil.example);
//   - "http:path" with an http base is a relative reference, as is a first
//     path segment that contains a colon but does not start a scheme;
//   - a path segment "%2e" (any case) is ".", and ".%2e", "%2e." and
//     "%2e%2e" are "..", removed with the plain ones;
//   - an empty host after the slashes ("//", "https:///?q") is failure,
//     where net/url would read "//" as the base URL itself;
//   - the host is parsed by package origin (IDNA, IPv4 number forms, forbidden
//     code points) and written back in its serialized form, the default port
//     dropped, an empty path written as "/", empty userinfo dropped.
//
// Input that the URL parser accepts but net/url rejects is reported as an
// invalid location rather than followed: a "%" not followed by two hex
// digits, and C0 controls or DEL inside the URL. net/url cannot express an
// empty fragment ("#" with nothing after it), so such a URL has no fragment;
// it still does not inherit the request's fragment.
//
// # Not simulated
//
//   - Redirect mode "manual" for navigations (the navigation-only "next manual
//     redirect steps") and redirect mode "error" and the opaque-redirect
//     filtered response: package fetch decides these before calling [Next].
//   - The HTTP/2 RST_STREAM that #concept-http-fetch encourages for a redirect
//     of a request with a body.
//   - The referrer policy update from the redirect response's
//     Referrer-Policy header (#concept-http-redirect-fetch "set request's
//     referrer policy on redirect"), timing info, and re-extracting the body
//     from its source (package fetch replays it through GetBody).
//   - Everything main fetch does again for the new URL (tainting, preflight,
//     cookies); [TaintOf] gives the redirect-taint it needs.
//
// [HTTP-redirect fetch]: https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
package redirect
