// Package fetch is the browser side of CORS for Go HTTP clients: the
// request options of fetch() (mode, credentials, redirect, cache), the CORS
// check, the filtered responses page script sees, and the errors a browser
// reports when it blocks a fetch.
//
// The Transport that puts these together (preflights, the preflight cache,
// cookies, redirects) is being built on top of them; until it lands this
// package holds the pieces it will use.
//
// # Errors
//
// Every failure is an *Error whose Reason is one of a closed set of
// constants, most named after Chromium's CorsError values. Error() reads
// like Chromium's console line for CORS failures (from Blink's
// cors_error_string.cc); the text is for people and not stable.
//
// # Deviations
//
// The CORS check classifies a failing Access-Control-Allow-Origin the way
// Chromium does (missing, several values, invalid, mismatch, wildcard with
// credentials); the Fetch Standard only says it fails.
package fetch
