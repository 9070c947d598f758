// Package audit finds a server's CORS misconfigurations and says, for each,
// what Chrome, Firefox and Safari let a page do with it: whether an
// attacker's page reads the answer, and whether the request carries the
// user's cookies. It is the library behind corsprobe audit; a test can run
// it against a URL ([Run]) or an http.Handler ([RunHandler]) and fail on a
// regression:
//
//	r, err := audit.RunHandler(ctx, handler, audit.Config{Origin: origin.MustParse("https://app.example.com")},
//		"https://api.example.com/items")
//	if high := r.AtLeast(audit.Medium); len(high) > 0 { t.Errorf(...) }
//
// # What it sends
//
// For each URL, at most Config.MaxRequests requests, each Config.Interval
// after the previous answer: the legitimate origin's GET (with the user's cookies, the
// only probe that carries them); GETs with attacker origins derived from
// the legitimate one (any origin, null, a prefix, a suffix, an unescaped
// dot, a substring, a subdomain, http instead of https, hosts followed by
// special characters, hosting domains anyone can publish on), the
// specific ones only when the server does not reflect every origin; the
// same GET without Origin when the answer lacks Vary: Origin; OPTIONS
// preflights of the requests a single-page application sends (PUT, DELETE,
// PATCH and POST with a JSON body and Authorization); the URL with its
// trailing slash toggled. Only GET, HEAD and OPTIONS, unless
// Config.UnsafeMethods allows a simple POST from a refused origin.
//
// # Browser truth
//
// The verdicts are package fetch's, not a rule of thumb: each answer the
// server gave is replayed to a fresh fetch.Browser per profile (no request
// of an attacker's page reaches the server), holding the user's cookies
// (Config.Cookies; without them three hypothetical session cookies, one per
// SameSite setting), and the page's fetch() either passes or fails with the
// reason and the console line of that browser. So a reflected origin with
// credentials is high only where some browser sends a cookie with the
// attacker's request: Chrome with third-party cookies allowed (still the
// default of most Chrome users) sends a SameSite=None cookie; the recorded
// Chrome profile (third-party cookies blocked), Firefox (partitioned
// cookies) and Safari (no third-party cookies) send none, and the finding
// is then low: a read without the user's cookies, of what the server gives
// anyone. The profiles are [DefaultProfiles]; Safari is the package's
// [Safari], fetch.Safari with Apple's full third-party cookie blocking.
//
// Which special characters an engine takes in a page's host, and sends in
// Origin, is recorded from Chromium, Firefox and WebKitGTK
// (hostchars.json, written by conformance/cmd/hostchars): a server that lets
// such an origin through is exploitable only in the engines that load a
// page from it. With the browser resolving names itself, that is "_" alone
// in all three (their resolvers query no name with another of the
// characters scanners try); the audit probes those, and no others. Through
// an HTTP proxy Chromium and WebKitGTK load pages from hosts with most of
// them (the recording's "proxied" results), which the audit does not
// count.
//
// # Severity
//
//   - High: a page anyone can publish reads what the server gives the user
//     (cookies sent, answer readable) in at least one browser; or a local
//     server answers any origin, which a browser without Local Network
//     Access (WebKit) lets every page read.
//   - Medium: the legitimate page's calls fail (a redirect or an error
//     status before CORS, * with credentials, a cached answer without
//     Vary: Origin served to the page's fetch), an attacker who holds a
//     subdomain or the network reads what the user can, or a simple POST
//     from a refused origin runs the handler.
//   - Low: a read without the user's cookies, a shared-cache risk, a
//     preflight answered without CORS fields, a redirect of another form of
//     the URL.
//   - Info: refusals that may be meant (a method not allowed), a Max-Age
//     beyond an engine's cap, a GET from a refused origin answered, a local
//     server that refuses other origins.
//
// A correct, strict configuration (an allow-list of exact origins, Vary:
// Origin, preflights answered with the methods and headers the page needs)
// gets no finding above info.
//
// # Not simulated
//
//   - What the user's browser holds: the verdicts assume the user is
//     logged in with the cookies given (or the hypothetical ones) and that
//     nothing but the profile's policy decides what goes cross-site
//     (no Storage Access API grant, no enterprise policy, no extension).
//   - Responses that differ by the request's cookies: the attacker
//     origins' probes carry none, so the verdict replays an answer the
//     server gave without them.
//   - Authentication other than cookies (HTTP authentication, TLS client
//     certificates), and the server's own logic beyond its answers: a
//     handler's side effects are seen only through the status, the body's
//     length and Set-Cookie.
//   - The console wording of Local Network Access failures in Firefox and
//     WebKit: Chrome's is used (package fetch, Errors).
package audit
