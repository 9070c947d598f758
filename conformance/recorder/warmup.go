package recorder

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/corsfetch/corsfetch/conformance"
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
// Firefox's own made one of the records first; see conformance/NOTES.md). After
// that the records stay, and entries live their Max-Age. Without the warm-up
// the first scenarios of a run paid for it, depending on the order in which
// scenarios ran. Chromium and WebKit serve the second call from the cache.
// The counts are stored in the recording for reference; they are not
// compared, since Firefox's vary from run to run.
const (
	// warmPath is the warm-up route, on origins P, B and C (under
	// conformance.RunnerPrefix, where the scenario server lets the
	// recorder serve it).
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

// warmResult is a warm-up as the page reports it.
type warmResult struct {
	conformance.WarmUp
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
func warmTargets(o conformance.Origins) []warmTarget {
	var ts []warmTarget
	for _, n := range warmOrigins {
		ts = append(ts, warmTarget{Name: n, URL: o[n] + warmPath, Max: maxWarmCalls})
	}
	return ts
}

// warmRoute answers the warm-up route on one origin and counts the
// preflights it receives. The preflight allows the page's PUT with
// warmHeader for warmMaxAge seconds; the PUT's body tells how many
// preflights the origin received so far. Any other path gets 404.
type warmRoute struct {
	mu         sync.Mutex
	preflights int
}

func (wr *warmRoute) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != warmPath {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h["Date"] = nil
	h["Content-Type"] = nil
	if o := r.Header.Get("Origin"); o != "" {
		h.Set("Access-Control-Allow-Origin", o)
	}
	switch {
	case r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "":
		wr.mu.Lock()
		wr.preflights++
		wr.mu.Unlock()
		h.Set("Access-Control-Allow-Methods", http.MethodPut)
		h.Set("Access-Control-Allow-Headers", warmHeader)
		h.Set("Access-Control-Max-Age", warmMaxAge)
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodPut:
		wr.mu.Lock()
		n := wr.preflights
		wr.mu.Unlock()
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"preflights":%d}`, n)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// check returns the warm-up of r, or an error when it failed or never
// settled.
func (r warmResult) check() (conformance.WarmUp, error) {
	switch {
	case r.Error != "":
		return conformance.WarmUp{}, fmt.Errorf("recorder: warm-up of origin %s failed after %d calls: %s", r.Origin, r.Calls, r.Error)
	case !r.Settled:
		return conformance.WarmUp{}, fmt.Errorf("recorder: warm-up of origin %s did not settle: %d preflights in %d calls, none served from the preflight cache", r.Origin, r.Preflights, r.Calls)
	}
	return r.WarmUp, nil
}
