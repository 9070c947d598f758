// Package safelist classifies methods and header fields exactly as the Fetch
// Standard does, byte for byte: which methods and request headers a page may
// use without a CORS preflight, which a page may not set at all, which
// survive a no-cors request, and which response headers page script may read.
//
// All functions are pure, safe for concurrent use, and allocate nothing
// except [UnsafeRequestHeaderNames]'s result. Names are matched
// byte-case-insensitively (0x41-0x5A only); values are bytes, never decoded.
// Invalid input (control bytes, invalid UTF-8, empty names, huge values) is
// never a panic: it is simply not safelisted, or, for the forbidden checks,
// judged by the same byte rules as any other input.
//
// # Deviations
//
// None from the Fetch Standard. Engine differences are not applied here; the
// fetch package applies them per browser profile. Chromium, for example,
// also safelists some client-hint request headers and silently drops a
// page-set User-Agent; Firefox's older releases did not treat Content-Length
// as a CORS-safelisted response-header name.
//
// # Not implemented
//
// The privileged no-CORS request-header name (Range set by media elements)
// matters only to APIs a page cannot call through fetch(), and the
// "request-no-cors" guard's combination of repeated values is left to the
// caller: pass the combined value to [IsNoCORSRequestHeader].
package safelist
