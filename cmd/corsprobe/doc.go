// Command corsprobe calls a URL as page script at a given origin would
// with fetch(), and explains the outcome: what the browser sends (the CORS
// preflight too), what comes back, what script gets or why the browser
// blocks the fetch, and what to change on the server.
//
// Usage:
//
//	corsprobe -origin ORIGIN [flags] URL
//	corsprobe demo [-browser NAME] [-v]
//	corsprobe audit -origin ORIGIN [flags] URL...
//
// The fetch itself is corsfetch's fetch.Transport, held to recordings of
// real browsers: every verdict, reason and console line comes from it.
// corsprobe adds the presentation, the fixes and the warnings.
//
// Flags (they may come before or after the URL):
//
//	-origin ORIGIN    the page's origin, such as https://app.example (required)
//	-X METHOD         the request method (default GET, or POST with -d)
//	-H 'Name: value'  a request header the page sets (repeatable)
//	-d DATA           the body; @FILE reads a file, @- standard input. Sent as
//	                  fetch() sends a string body: Content-Type is
//	                  text/plain;charset=UTF-8 unless -H sets one
//	-mode M           cors (default), no-cors or same-origin
//	-credentials C    same-origin (default), omit or include
//	-redirect R       follow (default), error or manual
//	-browser B        chrome (default; or chromium), firefox, safari (or
//	                  webkit) or spec, in any case
//	-cookie 'N=V; A'  a cookie in the browser's store, for the URL's host, with
//	                  optional Set-Cookie attributes such as SameSite=None,
//	                  Secure, Domain, Path, Partitioned (repeatable)
//	-cookie-file F    cookies in the Netscape format (curl -c, wget, extensions)
//	-page-address-space S
//	                  the page's address space for Local Network Access:
//	                  public, local (or private), loopback, or unknown for
//	                  no check; by default chosen as below
//	-grant P          a permission the user granted the page: local-network,
//	                  loopback-network, or local-network-access for both
//	                  (repeatable, or a comma-separated list)
//	-target-address-space S
//	                  fetch()'s targetAddressSpace option: local, loopback
//	                  or public (Chrome's; Firefox and Safari ignore it)
//	-address-space-overrides LIST
//	                  endpoints whose address space is not their address's,
//	                  in the syntax of Chrome's --ip-address-space-overrides:
//	                  IP:PORT=SPACE (port 0 for any, IPv6 in brackets) or
//	                  PREFIX=SPACE, comma-separated (repeatable)
//	-json             the report as JSON (below)
//	-v                every header of every request and response
//
// Cookies are kept in a cookiestore.Store, as the browser keeps them, with
// their attributes: the profile decides whether they are sent (credentials
// mode, third-party cookie blocking, partitions, SameSite). A cookie
// without SameSite is Lax for Chrome and RFC 6265bis, None for Firefox;
// the Netscape format has no SameSite, so cookies from -cookie-file have
// none. A Partitioned cookie of -cookie is in the partition of the page's
// site, as if the API had set it while embedded in the page. A Cookie set
// with -H is dropped, as a browser drops it.
//
// Exit status: 0 when the browser lets script read the response, 1 when
// it blocks the fetch (fetch() rejects), 2 for a usage error or when the
// network failed (connection refused, timeout).
//
// Colour is used only when standard output is a terminal and NO_COLOR is
// unset or empty.
//
// # Local Network Access
//
// Chrome and Firefox fail a fetch from a page to a server in a less
// public address space (public, then local, then loopback) unless the user
// granted the page a permission: local-network for a server on a private
// network, loopback-network for one on the user's machine. They ask before
// anything is sent, the preflight included; a headless browser never
// answers, and a prompt dismissed or left unanswered counts as a denial. A
// page that is not a secure context is never asked: such a fetch fails
// whatever the permissions. Safari makes no such check.
//
// A page's space is that of the server it came from, which corsprobe
// cannot see from an origin. Without -page-address-space it assumes the
// page public when the page's host is a name (not an address, not
// localhost or *.localhost) other than the URL's host, and the URL's host
// is an address in, or a name resolving to, the local or loopback space:
// the usual case of a deployed page calling a server on the user's machine
// or network, such as a development API or a device. Otherwise the page's
// space is unknown and no check is made, as for the demo's page on
// loopback; where the server is local or loopback, a note says why. An
// override of -address-space-overrides that covers the page's address (or
// 127.0.0.1 and ::1 for localhost) gives the page its space, as Chrome's
// switch does. The report says which space was chosen and why, whether
// the fetch is a local network request and which permission it needs; a
// blocked one comes with the console's line and what the server's owner
// or the page's developer can do. Give -page-address-space unknown to
// probe a server's CORS alone, as if the page came from the server's own
// network, or -grant to probe it as for a user who allowed the request.
// The server's space comes from the profile's table of addresses and the
// overrides, the least public of a name's addresses; through a proxy it is
// unknown, and the fetch is never a local network request. Private Network
// Access, the preflight with Access-Control-Request-Private-Network that
// Chrome sent before, is not simulated: Chrome no longer sends it.
//
// # Warnings
//
// Some setups work but are risky or fragile; corsprobe warns about them
// whatever the verdict:
//
//   - reflected-origin-with-credentials: the server echoes any Origin with
//     Access-Control-Allow-Credentials: true. When a response names the
//     page's origin, corsprobe sends the same request again as a page of the
//     made-up origin scheme://corsprobe-reflection-check.example, without
//     cookies, and reports it under "Reflection check". Only preflights, GET
//     and HEAD are sent for this check; a PUT is checked through its
//     preflight alone and never repeated.
//   - reflected-origin-without-vary: a response echoes the request's Origin
//     without Vary: Origin, so caches can serve it to another origin.
//   - max-age-above-cap: Access-Control-Max-Age above the profile's limit
//     (Chrome 7200 s, Firefox 86400 s, Safari 600 s).
//   - null-origin-allowed: Access-Control-Allow-Origin: null.
//   - cacheable-without-vary-origin: the allowed CORS answer to a GET or
//     HEAD may be reused from the browser's HTTP cache (Cache-Control
//     max-age, Expires, or heuristically with Last-Modified) and lacks
//     Vary: Origin, while the server answers a request without Origin with
//     other CORS headers: a page that loaded the URL first without CORS (an
//     <img>, a no-cors fetch()) has that answer cached, and the browser
//     serves it to the CORS fetch, which fails. To tell, corsprobe sends
//     the same GET or HEAD again without Origin, as a no-cors fetch() of
//     the page, without cookies, and reports it under "Vary check"; only
//     GET and HEAD are sent, and only when the answer is cacheable without
//     Vary: Origin.
//
// # Audit
//
// corsprobe audit -origin ORIGIN [flags] URL... looks for CORS
// misconfigurations at each URL, with the page at ORIGIN as the
// legitimate one, and says what each lets a page do in each browser
// (package audit has the probes, the classes and the severities). Flags:
//
//	-origin ORIGIN    the legitimate page's origin (required)
//	-browser B        audit one profile only (default: Chrome, Chrome with
//	                  third-party cookies allowed, Firefox and Safari)
//	-cookie 'N=V; A'  a user's cookie for each URL's host (repeatable); sent
//	                  with the legitimate origin's requests only
//	-cookie-file F    the user's cookies in the Netscape format
//	-H 'Name: value'  a field sent with every probe (repeatable)
//	-json             the report as JSON, schema corsprobe-audit/v1: an
//	                  object with "findings", each with "class", "severity",
//	                  "url", "title", "detail", "fix", "probe" (request and
//	                  response) and "verdicts" (one per profile: "profile",
//	                  "readable", "credentialed", "cookies_sent", "reason",
//	                  "summary"); "urls" says how many requests each URL got
//	                  and which probes were skipped
//	-fail-on S        exit 1 when a finding is of severity S (info, low,
//	                  medium, high) or above; by default never
//	-unsafe-methods   allow a simple POST from a refused origin, to see
//	                  whether the handler runs it; off, only GET, HEAD and
//	                  OPTIONS are sent
//	-max-requests N   the most requests per URL (default 40)
//	-interval D       the least time between an answer and the next
//	                  request (default 100ms; 0 for none)
//	-server-address-space S
//	                  the servers' address space for the Local Network
//	                  Access finding (default: from their addresses)
//
// Exit status: 0 when no finding reaches -fail-on, 1 when one does, 2 for
// a usage error or a URL that could not be audited.
//
// # The demo
//
// corsprobe demo starts a demo API on loopback (the page is
// http://127.0.0.1:PORT, the API http://127.0.0.2:PORT, another site; where
// 127.0.0.2 cannot be bound the page becomes http://localhost:PORT and the
// API runs on 127.0.0.1) and probes twelve common setups: an open API, an
// allow-list with credentials, a preflight with a long Max-Age and its cache
// hit, a server without preflight support, `*` with credentials, a redirect
// to another origin, a custom header before and after it is exposed, a
// server reflecting any origin, a cacheable answer without Vary: Origin,
// and, from a page at https://app.example, assumed public, the open API on
// loopback, which Local Network Access blocks (allowed under -browser
// safari, which makes no such check). The first eleven make no Local
// Network Access check: page and API are both on loopback. It exits 0 when
// every case ends as the demo expects, blocked ones included.
//
// # Human output
//
// The text output is for people and may change between releases; scripts
// should use -json.
//
// # JSON document
//
// -json writes one JSON object. Its format is named by "schema" and is
// stable within a schema: fields are never removed or renamed and keep
// their meaning; new fields may be added. Every field listed is always
// present; those marked "or null" are null when they do not apply. Header
// objects map canonical header names to arrays of values.
//
//	schema            string: "corsprobe/v1"
//	browser           string: the profile, "Chrome", "Firefox", "Safari" or "Spec"
//	origin            string: the page's origin, serialized
//	request           object: the fetch() call
//	  method, url     string
//	  mode            string: "cors", "no-cors" or "same-origin"
//	  credentials     string: "same-origin", "omit" or "include"
//	  redirect        string: "follow", "error" or "manual"
//	  headers         headers the page set (with -H, and the Content-Type of -d)
//	  body_bytes      number: length of the body
//	  cookies         number: cookies given with -cookie and -cookie-file
//	  target_address_space string: fetch()'s targetAddressSpace
//	                  (-target-address-space), "" when not given
//	steps             array: what the browser did, in order; each step has
//	  kind            string: "exchange", "cache_lookup", "cache_store",
//	                  "redirect" or "dropped_header"; the object of that
//	                  name is set and the four others are null:
//	  exchange        a request sent and its response, unfiltered, or null
//	    preflight     bool: the request is the CORS preflight
//	    request       object: method, url, headers (as sent, cookies included)
//	    response      object or null (no response: network error, or the
//	                  request was not sent): status (number), headers
//	  cache_lookup    a preflight-cache look-up, or null: url, result ("hit",
//	                  "miss" or "stale"), bypassed (bool: the cache mode
//	                  skipped the cache), method ("" for a safelisted
//	                  method) and headers (names to cover)
//	  cache_store     a preflight result stored, or null: url, methods,
//	                  headers, max_age_seconds (after the profile's limit)
//	  redirect        a redirect followed, or null: status, to (URL), method
//	                  (of the next request)
//	  dropped_header  a header the page set that is not sent, or null: name,
//	                  value, why
//	verdict           object
//	  outcome         string: "allowed" (exit 0), "blocked" (exit 1) or
//	                  "error" (network error, exit 2)
//	  response        what script sees, or null unless allowed:
//	    type          string: "basic", "cors", "opaque" or "opaqueredirect"
//	    status        number (0 for opaque and opaqueredirect)
//	    status_text   string
//	    url           string: the final URL ("" for opaque)
//	    redirected    bool
//	    url_list      array of strings: every URL the fetch went through
//	    headers       the headers script can read
//	    hidden_headers array of strings: names the final response had
//	                  that script cannot read
//	    body_bytes    number: length of the body script reads
//	  error           the failure, or null when allowed:
//	    reason        string: a fetch.Reason, such as "WildcardOriginNotAllowed"
//	    preflight     bool: found on the preflight response
//	    value         string: the value at fault (header value, method,
//	                  header name, Location), or ""
//	    url           string: the URL being fetched when it failed
//	    initial_url   string: the first URL when redirected before failing, or ""
//	    console       string: the line the browser's console prints, in the
//	                  wording of the profile's engine (Chrome's under
//	                  Spec, and for a failure Firefox or Safari logs no
//	                  line for)
//	    cause         string: the network error for outcome "error", or ""
//	fixes             array of strings: what to change, usually on the
//	                  server; empty unless blocked
//	warnings          array of objects: code (one of the five above), message
//	notes             array of strings: observations that explain the outcome
//	reflection_check  object or null (not run): origin (the made-up origin),
//	                  requests (number sent), reflected (bool: the server
//	                  allowed the made-up origin), allow_credentials (bool:
//	                  with Access-Control-Allow-Credentials: true), detail
//	vary_check        object or null (not run): cacheable (string: why the
//	                  CORS answer may be reused from the cache, such as
//	                  "Cache-Control: max-age=600"), requests (number sent),
//	                  status (number: of the answer without Origin, 0 for
//	                  none), allow_origin (string: its
//	                  Access-Control-Allow-Origin, "" for none), would_block
//	                  (bool: cached, that answer would block the CORS fetch),
//	                  detail
//	lna               object or null (no Local Network Access check ran: the
//	                  page's space is unknown, or the profile makes none):
//	  page_address_space string: "public", "local" or "loopback"
//	  page_address_space_source string: how it was chosen: "flag"
//	                  (-page-address-space), "override" (an override
//	                  covers the page's address) or "default" (the rule
//	                  above)
//	  page_address_space_reason string: why, such as "app.example is a
//	                  name; 127.0.0.1 is loopback"
//	  secure_context  bool: the page is a secure context (https,
//	                  localhost, a loopback address)
//	  server_url      string: the URL whose server is described: the one
//	                  being fetched when the fetch failed, else the last
//	                  one requested
//	  server_address  string: its address and port, such as
//	                  "127.0.0.1:8080", the least public of a name's
//	                  addresses; "" when not known (a proxy, no address)
//	  server_address_space string: "public", "local", "loopback" or
//	                  "unknown"
//	  local_network_request bool: the server is in a less public space
//	                  than the page (Chrome counts local and loopback as
//	                  one space here, Firefox skips local to loopback), and
//	                  the URL is not the page's own origin over a secure
//	                  URL
//	  permission      string: the permission the request needs,
//	                  "loopback-network" or "local-network"; "" when it is
//	                  no local network request
//	  granted         bool: the page holds that permission (-grant)
package main
