// Package fetch makes a Go HTTP client behave like a browser's fetch()
// towards other origins. A [Transport] is an [http.RoundTripper] for a page
// at one origin: every request goes through the steps the browser takes
// (#concept-fetch, #concept-main-fetch), and the caller gets only what page
// script could see, or an error that says why the browser would have
// failed the fetch.
//
//	t := &fetch.Transport{Origin: origin.MustParse("https://app.example")}
//	client := &http.Client{Transport: t}
//	req, _ := http.NewRequest("PUT", "https://api.example/items/1", body)
//	req.Header.Set("Content-Type", "application/json")
//	req = fetch.WithOptions(req, fetch.Options{Credentials: fetch.CredentialsInclude})
//	resp, err := client.Do(req) // preflight, CORS check, filtered response
//	var fe *fetch.Error
//	if errors.As(err, &fe) {
//		fmt.Println(fe.Reason, fe) // what the browser console would say
//	}
//
// # What a Transport does
//
//   - Request set-up, as the Request constructor: the method is validated
//     and normalized (forbidden methods fail); header names and values are
//     validated and values trimmed; forbidden request-headers the caller set
//     are not sent (the trace reports each one); in no-cors mode only
//     CORS-safelisted methods are allowed and only no-CORS-safelisted
//     headers kept; Accept defaults to */*.
//   - Main fetch per URL: basic for same origin, network error for
//     same-origin mode, opaque for no-cors, CORS otherwise; mixed content
//     from an https page is blocked.
//   - The CORS preflight when the method is not safelisted or a header
//     name is CORS-unsafe, unless the preflight cache covers the request:
//     OPTIONS with Accept, Access-Control-Request-Method and -Headers,
//     Origin and the Fetch Metadata headers, never cookies, Authorization,
//     the caller's headers or a body; validated in Chromium's order and
//     stored per method and header name with the profile's max-age rules.
//   - The request as the browser sends it: Origin when the browser sends it,
//     Sec-Fetch-Dest/-Mode/-Site to potentially trustworthy URLs, Referer
//     under the page's referrer policy, the cache mode's Cache-Control and
//     Pragma, cookies from Transport.Jar when the credentials mode and URL
//     allow them; Set-Cookie is stored under the same rule, before the CORS
//     check (which is what browsers do).
//   - The CORS check on every cross-origin response, redirects included.
//   - Redirects followed the browser's way (301/302/303/307/308 with a
//     Location, at most 20): method and body rewriting, Authorization
//     dropped on a cross-origin hop, Origin: null once the chain is
//     redirect-tainted, a new preflight for a hop that needs one; redirect
//     modes error and manual (an opaque-redirect response), applied as each
//     engine applies them to a 3xx without a Location. An http.Client over
//     a Transport never sees a 3xx; URLList gives every URL.
//   - The filtered response: basic (every header but Set-Cookie), cors (the
//     CORS-safelisted response headers and the exposed ones), opaque and
//     opaqueredirect (StatusCode 0, empty Status, empty non-nil Header,
//     empty body). The bytes the page may not read are drained (at most
//     64 KiB) and discarded, so connections are reused.
//
// Per-request settings (mode, credentials, redirect, cache) travel in the
// request's context: see [WithOptions]. A trace hook ([Transport.Trace],
// [WithTrace]) reports each step as the browser's network panel would show
// it.
//
// The common request (the first hop of a cors-mode fetch to another
// origin, with the default options, a few header fields, and no preflight
// or one the preflight cache answers) takes a shorter path through the
// Transport, which sends and returns exactly what the full one does; a
// trace hook, a Local Network Access check, an HTTP cache, credentials
// included or a Transport.Now of its own keep every request, or the ones
// they concern, on the full path, a few microseconds longer
// (BENCHMARKS.md).
//
// # Errors
//
// Every failure is an *[Error] whose Reason is one of a closed set of
// constants, most named after Chromium's CorsError values; each documents
// what Error.Value holds for it. Error() reads like the console line of the
// profile's engine (Profile.Console: Chromium's, Firefox's or WebKit's, each
// transcribed from its source); the text is for people and not stable.
//
// # Local Network Access
//
// A page has an IP address space, that of the server it came from:
// public, local (private networks) or loopback. Chrome (since 142) and
// Firefox fail a fetch from a page to a server in a less public space (a
// public page calling a development server on localhost, a router's admin
// page, a desktop agent) unless the user granted the page the
// local-network or loopback-network permission, before any request, the
// preflight included, is sent; in Chrome a page that is not a secure
// context cannot be granted it. WebKitGTK 2.50 makes no such check (the
// Safari profile neither). How the engines differ (a local page calling
// loopback, fetch()'s targetAddressSpace, responses from the HTTP cache)
// is in the table below, each row recorded (the lna-* scenarios, run in
// browsers whose page addresses Chromium's --ip-address-space-overrides
// and Firefox's network.lna.address_space.* preferences made public or
// local). Set [Transport.PageAddressSpace] to turn the check on;
// [Transport.Permissions] are the grants; [Options.TargetAddressSpace] is
// fetch()'s targetAddressSpace. The server's space comes from its address
// (the profile's table: Profile.LocalNetwork), or from
// [Transport.AddressSpaceOverrides], which read Chromium's
// --ip-address-space-overrides syntax.
//
// Test "my public app against my API on localhost" both ways: leave
// PageAddressSpace zero to test the API's CORS as if the page were served
// from the API's own network (no check: how every test against an
// httptest server works); set it to AddressSpacePublic, with
// Origin https://app.example, to see what a user of the deployed app
// meets when the API runs on their machine: the fetch fails with
// ReasonLocalNetworkAccessDenied unless Permissions grants
// LoopbackNetwork, and the error says which permission the browser asks
// for.
//
// # Profiles
//
// Engines differ from each other and from the Fetch Standard. A [Profile]
// holds each difference as a field, grouped by the stage of the fetch it
// governs; [Chrome] (what the zero Profile means), [Firefox], [Safari] and
// [Spec] set them, and Transport.Browser holds the one a Transport uses. Each engine profile is held to a recording
// of the whole conformance corpus in that engine (conformance/corpus:
// Chromium 156, Firefox ESR 153, WebKitGTK 2.50): TestChromiumRecording,
// TestFirefoxRecording and TestWebKitRecording replay them through the
// pages of a [Browser] per scenario and must agree on every scenario.
//
//	Behaviour                                 Chrome            Firefox           Safari (WebKit)   Standard          Scenario
//	repeated request header fields            combined          separate          combined          separate          simple-total-1024-under
//	1024-byte total of safelisted values      yes               no                no                yes               simple-total-1024-over
//	non-ASCII byte in a safelisted value      safelisted        unsafe            safelisted        safelisted        simple-header-06
//	Save-Data, Intervention, Device-Memory,   safelisted, with  unsafe            unsafe            unsafe            simple-header-20,
//	DPR, Downlink, Width, Viewport-Width,     value rules                                                             div-chromium-header-*
//	RTT, ECT
//	User-Agent set by the page                dropped           sent, preflight   sent, preflight   sent, preflight   div-user-agent-allowed
//	repeated name in Access-Control-Req-Hdrs  once              once per field    once              once              simple-repeated-custom-header
//	ACAH * covers Authorization (fresh)       yes               yes               yes               no                preflight-acah-star-authorization
//	cached * covers Authorization             no                no                yes               no                cache-star-header-then-authorization
//	cache modes that bypass the preflight     no-store, reload, no-store, reload  none              none              cache-mode-*
//	                                          no-cache
//	no-cache preflight: Cache-Control         max-age=0         max-age=0         none              none              div-range-wire-04
//	cache mode of a conditional request       no-cache          no-store          no-store          no-store          div-conditional-*
//	tab inside a Location                     removed           kept, %09         removed           removed           div-redirect-location-tab
//	failed fetch clears the preflight cache   preflight fails   any CORS failure  never             preflight path    cache-cleared-by-failed-actual
//	failed header check still caches          no                no                yes               no                div-failed-header-check-then-method
//	Max-Age "abc", "10.5", "+10"              5 s default, 5 s  not cached, not   5 s default, 5 s  5 s default, 5 s  cache-max-age-*
//	                                          default, 10 s     cached, not       default, 10 s     default, 5 s
//	                                                            cached                              default
//	Max-Age "-1"                              not cached        not cached        not cached        5 s default       cache-max-age-negative
//	Max-Age cap                               2 h               24 h              10 min            none              (engine sources)
//	URLs the preflight cache holds            1024              100               no bound          1024              div-cache-101-urls
//	longest URL whose preflight is cached     1023 characters   no bound          no bound          no bound          div-cache-url-1100
//	cached credentialed entry serves omit     yes               no                yes               yes               div-include-then-uncredentialed-600
//	preflight again on every redirect hop     no                yes               yes               no                redirect-303-put
//	preflight Origin after a tainting hop     null              page origin       null              null              redirect-preflight-after-redirect
//	two identical Location fields             followed          followed          joined, followed  network error     redirect-two-fields
//	empty Location                            no redirect       same URL again    network error     same URL again    redirect-empty
//	Sec-Fetch-Site after P->A redirect        same-site         cross-site        (none sent)       same-site         redirect-p-to-a
//	Sec-Fetch-* after a cross-origin redirect sent              sent              not sent          sent              redirect-a-to-b
//	Range "bytes= 0-1" on the wire (a GET     "bytes=0-1"       as set            as set            as set            simple-header-17,
//	that may use the HTTP cache)                                                                                      div-range-wire-*
//	Range "Bytes=0-1", "bytes=+1-2"           unsafe, sent      unsafe            safelisted        unsafe            div-range-unit-case-*,
//	                                          canonical                                                               div-range-value-*
//	largest Range position safelisted         2^63-2            2^64-1            2^64-1            no limit          div-range-number-*
//	only-if-cached, same-origin, not cached   network error     network error     network request   network error     cache-mode-only-if-cached-same-origin
//	redirect mode error, 3xx without a        the 3xx           network error     the 3xx           network error     redirect-error-no-location-*
//	(non-empty) Location
//	redirect mode manual, Location not a URL  network error     opaqueredirect    opaqueredirect    opaqueredirect    redirect-manual-location-invalid-*
//	redirect mode manual, ftp: Location       opaqueredirect    opaqueredirect    network error     opaqueredirect    redirect-manual-location-scheme-ftp
//	Location bytes above 0x7F read as         UTF-8             UTF-8             Latin-1           UTF-8             redirect-location-non-ascii-path,
//	                                                                                                                  redirect-location-latin1-byte
//	Origin on a same-origin hop that made     not sent          not sent          kept              not sent          redirect-origin-post-*-same-origin
//	a POST a GET
//	Sec-Fetch-Site of a preflight after a     its own URL       its own URL       the URL list      its own URL       redirect-302-custom-header-b-to-a
//	redirect
//	status 407 from the server                network error     passed on         passed on         passed on         check-status-407*
//	body of a 205 response                    empty             empty             as sent           empty             check-status-205
//	largest response head read                256 KiB           no bound          64 KiB + 2        no bound          expose-header-size-*
//	third-party (cross-site) cookies          Partitioned only  partitioned jar   sent, not stored  allowed           cred-b-set-include,
//	                                                                                                                  cred-b-partitioned,
//	                                                                                                                  page-cookie-*
//	cookie without SameSite, cross-site       not sent          sent              sent              not sent          div-b-cookie-default
//	SameSite=None without Secure              rejected          rejected          accepted          rejected          cred-unsecure-samesite-none
//	Secure cookie over http://127.0.0.1       stored            stored            rejected          stored            cred-same-origin-default
//	SameSite Lax and Strict cookies after a   sent              withheld          sent              sent              cred-redirect-cross-site-back-*
//	redirect from another site
//	cookie store bounds (per site, in all)    180, 3300         180, 3300         none              none              (engine sources)
//	HTTP cache partitioned by top-level site  yes               yes               no                yes               page-httpcache-partition
//	HTTP cache entries apart for requests     no                yes               no                no                httpcache-credentials-include-then-omit,
//	with and without credentials                                                                                      page-httpcache-same-origin-then-p
//	a POST invalidates the stored GET         yes               no                yes               yes               httpcache-post-invalidates
//	Local Network Access: public page to a    fails before any  fails before any  sent              fails before any  lna-public-loopback-*
//	loopback server, not granted              request           request                             request
//	LNA: local page to a loopback server      sent              sent              no check          needs permission  lna-local-loopback-get-denied
//	LNA: fetch() option targetAddressSpace    must match the    ignored           no check          must match the    lna-tas-*
//	                                          server's space                                        server's space
//	LNA: a public page's response from        fails             served            no check          fails             lna-cached-then-public-page-denied
//	the HTTP cache, stored from loopback
//	LNA: a page that is not a secure          fails             asks like any     no check          fails             (engine sources)
//	context                                                     other
//	LNA: space of 100.64.0.1, 198.18.0.1,     local, public,    local, public,    no check          local, loopback,  (engine sources)
//	fec0::1                                   local             public                              local
//
// All three engines, and so every profile, send the page site's cookies to
// a URL of that site reached through a redirect from another site, and drop
// a response field whose name is not a token (expose-name-space).
//
// The recordings of WebKitGTK stand for Safari, and the Safari profile
// follows them where Apple's Safari is known to differ: Safari sends no
// third-party cookies at all (Intelligent Tracking Prevention;
// ThirdPartyNone), where WebKitGTK sends them and only refuses to store new
// ones (ThirdPartyNotStored); Safari partitions its HTTP cache by top-level
// site, WebKitGTK's libsoup cache is not partitioned
// (HTTPCache.Unpartitioned).
//
// # Not simulated
//
//   - The URL Standard's host parser: net/url keeps a host as written, so
//     the numeric IPv4 forms a browser rewrites (http://2130706433/,
//     0x7f.0.0.1, 127.1, a trailing dot) reach Go's resolver as names and
//     fail as network errors, where a browser fetches 127.0.0.1.
//   - The Local Network Access check on the connection a request is sent
//     on: a RoundTripper cannot be stopped between its connection and its
//     request, so the check runs before sending, on the addresses the host
//     resolves to (the least public of them), and again on the address
//     the connection reached when Base reports it; a server whose address
//     changed between the two (DNS rebinding) receives the request, and
//     the fetch still fails with nothing of the response returned. Where
//     the profile checks a response reused from the HTTP cache (Chrome,
//     Spec), it is checked against the host's addresses now, not those it
//     was stored from.
//   - What Go's HTTP client does to a response head before the Transport
//     sees it. net/http adds Cache-Control: no-cache to a response with
//     Pragma: no-cache and no Cache-Control, and Cache-Control is a
//     safelisted name, so the page sees a field the server never sent
//     (expose-pragma-no-cache-only). net/http refuses a head with a control
//     byte other than tab in a field value, or a byte above 0x7F in a field
//     name, which every engine reads: the fetch fails with ReasonNetwork
//     (expose-value-control-*). Neither can be undone from the parsed
//     response; the fetch still fails closed.
//   - WebKit's opaque-redirect response to a 3xx without a Location carries
//     the body (redirect-manual-no-location-*); the Safari profile keeps the
//     contract that an opaque-redirect response has an empty body.
//   - Parts of the HTTP cache (package httpcache): ranges and 206
//     responses, stale-while-revalidate and stale-if-error, and persistence
//     on disk. A Transport built on its own has no HTTP cache unless
//     Transport.HTTPCache is set, so that every request reaches the network;
//     the pages of a Browser share one.
//   - data:, blob: and file: URLs (ReasonUnsupportedScheme), service
//     workers, navigation requests, CORP, ORB and COEP checks, the Private
//     Network Access preflight (Access-Control-Request-Private-Network,
//     which Chromium no longer sends), HTTP authentication prompts and the
//     authentication cache, TLS client certificates, client hints
//     (Sec-CH-UA*), Priority, Sec-Fetch-Storage-Access, the keepalive quota.
//   - SameSite when cookies are sent, with a Transport.Jar that is not a
//     *cookiestore.Store: an http.CookieJar does not report a cookie's
//     SameSite, so a Lax or Strict cookie is sent in a cross-site request
//     under ThirdPartyAllowed, and after a redirect from another site
//     under the Firefox profile (SameSiteCountsRedirects). With a
//     cookiestore.Store both are applied.
//   - Content decoding: Go's http.Transport asks for gzip and decodes it
//     itself, removing Content-Encoding and Content-Length from the
//     response, where a browser keeps them visible.
//   - The order of calls that built a Headers object: an http.Header is a
//     map. A name written in several spellings (X-A and x-a, which
//     net/http's Set and Add never make) is taken in a fixed order, the
//     canonical spelling's values first, then the others' in key order.
//   - Request bodies are Go readers: the use-CORS-preflight flag of a
//     streaming body is never set, and fetch() adds no Content-Type for the
//     caller (set it as the page's script would have it sent).
//   - The preflight cache's network partition key is the empty string:
//     Transports sharing a Cache share entries across pages of different
//     top-level sites.
//   - Firefox's DNS check of cached preflights: Gecko drops an entry when a
//     DNS record of its host is newer than the entry (CheckDNSCache in
//     nsCORSListenerProxy.cpp). For a named host that happens when its
//     addresses change; for an IP-literal host such as 127.0.0.1 the check
//     itself creates the missing per-family records, so in a fresh Firefox
//     the first two cache look-ups per host each drop the entry (a
//     preflighted request goes out preflighted up to three times before the
//     cache serves it; the warm_up of conformance/corpus/firefox.json). A
//     Transport resolves no names: under the Firefox profile an entry lives
//     its Max-Age, as in a Firefox that has talked to the host before. The
//     recordings are made after such a warm-up (conformance/NOTES.md).
package fetch
