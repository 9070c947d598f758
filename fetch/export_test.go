package fetch

// TrustFreshHeaders tells t that its Base behaves as net/http's client
// does: a new header map for every response, bodies whose Close unblocks a
// Read. t then filters response headers in place and drains bodies in the
// caller's goroutine, as it does over an *http.Transport.
// BenchmarkTransportOwn uses it with a canned network that copies its
// header maps and has empty bodies.
func TrustFreshHeaders(t *Transport) {
	t.trustBase = true
}
