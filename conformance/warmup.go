package conformance

import (
	"fmt"
	"net/http"
)

// The warm-up runs in the browser before the scenarios. For each of the
// cross-origin hosts it repeats one preflighted request until a repetition
// goes out without a preflight, that is until the preflight cache serves it.
//
// Firefox needs it: Gecko throws a cached preflight away when a DNS record of
// its host is newer than the entry (CheckDNSCache in
// netwerk/protocol/http/nsCORSListenerProxy.cpp). The check looks the host up
// once per address family (unspecified, IPv4, IPv6), and for an IP-literal
// host such a look-up creates the record when it is missing. So in a fresh
// Firefox the first two cache look-ups per host each create a record and
// drop the entry: a host needs four calls, three of them preflighted, before
// the cache serves one (or three calls and two preflights when a look-up of
// Firefox's own made one of the records first; see NOTES.md). After
// that the records stay, and entries live their Max-Age. Without the warm-up
// the first scenarios of a run paid for it, depending on the order in which
// scenarios ran. Chromium and WebKit serve the second call from the cache.
// The counts are stored in the recording for reference; they are not
// compared, since Firefox's vary from run to run.
const (
	// warmPath is the warm-up route, on origins P, B and C.
	warmPath = "/runner/warm"
	// warmHeader is the request header that makes the warm-up call
	// non-simple, so that it needs a preflight.
	warmHeader = "X-Corsfetch-Warm"
	// maxWarmCalls bounds the calls per origin.
	maxWarmCalls = 8
	// warmMaxAge is the warm-up preflight's Access-Control-Max-Age: no more
	// than any engine's cap (WebKit's is 600 s), more than any run lasts.
	warmMaxAge = "600"
)

// warmOrigins are the origins the warm-up visits, in order: every origin a
// scenario can preflight.
var warmOrigins = []string{"P", "B", "C"}

// WarmUp is what the warm-up did on one origin.
type WarmUp struct {
	// Origin is the origin's name: P, B or C.
	Origin string `json:"origin"`
	// Calls is the number of identical preflighted calls it took until one
	// was served from the preflight cache, that one included.
	Calls int `json:"calls"`
	// Preflights is the number of preflights the origin received for them.
	Preflights int `json:"preflights"`
}

// String formats w as "B: 3 preflights in 4 calls".
func (w WarmUp) String() string {
	return fmt.Sprintf("%s: %d preflights in %d calls", w.Origin, w.Preflights, w.Calls)
}

// warmResult is a warm-up as the page reports it.
type warmResult struct {
	WarmUp
	Settled bool   `json:"settled"`
	Error   string `json:"error,omitempty"`
}

// warmTarget is an origin to warm up, as the page receives it.
type warmTarget struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	Max  int    `json:"max"`
}

// warmTargets returns the warm-up targets on the origins o.
func warmTargets(o Origins) []warmTarget {
	var ts []warmTarget
	for _, n := range warmOrigins {
		ts = append(ts, warmTarget{Name: n, URL: o[n] + warmPath, Max: maxWarmCalls})
	}
	return ts
}

// serveWarm answers the warm-up route on origin name. The preflight allows
// the page's PUT with warmHeader for warmMaxAge seconds; the PUT's body
// tells how many preflights the origin received so far.
func (s *Server) serveWarm(name string, w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Date"] = nil
	h["Content-Type"] = nil
	if o := r.Header.Get("Origin"); o != "" {
		h.Set("Access-Control-Allow-Origin", o)
	}
	switch {
	case r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "":
		s.mu.Lock()
		s.warm[name]++
		s.mu.Unlock()
		h.Set("Access-Control-Allow-Methods", http.MethodPut)
		h.Set("Access-Control-Allow-Headers", warmHeader)
		h.Set("Access-Control-Max-Age", warmMaxAge)
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodPut:
		s.mu.Lock()
		n := s.warm[name]
		s.mu.Unlock()
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"preflights":%d}`, n)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// check returns the warm-up of r, or an error when it failed or never
// settled.
func (r warmResult) check() (WarmUp, error) {
	switch {
	case r.Error != "":
		return WarmUp{}, fmt.Errorf("conformance: warm-up of origin %s failed after %d calls: %s", r.Origin, r.Calls, r.Error)
	case !r.Settled:
		return WarmUp{}, fmt.Errorf("conformance: warm-up of origin %s did not settle: %d preflights in %d calls, none served from the preflight cache", r.Origin, r.Preflights, r.Calls)
	}
	return r.WarmUp, nil
}
