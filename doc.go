// Package corsfetch makes an ordinary Go HTTP client behave like a browser's
// fetch() towards other origins: it classifies methods and headers, sends CORS
// preflights, applies the CORS check and the credentials rules, follows
// redirects the browser's way, and returns only what page script could see.
//
// The module is split the way the Fetch Standard is:
//
//   - origin: origins, same origin and same site;
//   - safelist: the method and header classifications;
//   - preflightcache: the CORS-preflight cache;
//   - redirect: the pure part of HTTP-redirect fetch;
//   - cookiestore: a browser's cookie store (RFC 6265bis), SameSite and
//     partitions kept;
//   - fetch: the http.RoundTripper that puts them together;
//   - conformance: the scenario format, the loopback scenario server and the
//     runner that replays a recording against a client; conformance/corpus
//     holds the scenarios and their recordings from real browsers,
//     conformance/recorder records them, conformance/conformancetest replays
//     them from a test.
//
// # Specification snapshot
//
// The code cites anchors of these documents, last checked at these revisions:
//
//   - Fetch Standard, whatwg/fetch commit 586cd2a44c2a865b37c166dc0740f3fb8bb220d6 (2026-07-02);
//   - URL Standard, whatwg/url commit 6ae84860d12800bcf563668e7cc821360dce6062 (2026-07-02);
//   - HTML Standard, "Origins" and "Sites" (browsers.html section 7.1.1), 2026-07;
//   - MIME Sniffing Standard, "parse a MIME type";
//   - Secure Contexts, "Is origin potentially trustworthy?".
//
// When a snapshot moves, the cited steps are audited again.
package corsfetch
