package fetch

import "net/http"

// TrustFreshHeaders tells t that its Base behaves as net/http's client
// does: a new header map for every response, bodies whose Close unblocks a
// Read. t then filters response headers in place and drains bodies in the
// caller's goroutine, as it does over an *http.Transport.
// BenchmarkTransportOwn uses it with a canned network that copies its
// header maps and has empty bodies.
func TrustFreshHeaders(t *Transport) {
	t.trustBase = true
}

// GeneralOnly keeps every request of t on the general path, for the tests
// that compare the direct path with it.
func GeneralOnly(t *Transport) {
	t.noDirect = true
}

// RoundTripDirect is t.RoundTrip, reporting whether the direct path took
// req.
func RoundTripDirect(t *Transport, req *http.Request) (*http.Response, bool, error) {
	t.once.Do(t.init)
	if resp, done, err := t.direct(req); done {
		return resp, true, err
	}
	f := t.newFetch(req)
	resp, err := f.finish(f.run())
	return resp, false, err
}
