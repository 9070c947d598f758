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
//
// A page of the tour of paged scenarios (tour.go) at an origin other than
// A does the same at its first load, towards every other origin: Firefox
// keeps those records per top-level site too, so a page at B starts cold
// (conformance/NOTES.md).
const (
	// warmHeader is the request header that makes the warm-up call
	// non-simple, so that it needs a preflight.
	warmHeader = "X-Corsfetch-Warm"
	// maxWarmCalls bounds the calls per origin.
	maxWarmCalls = 8
	// warmMaxAge is the warm-up preflight's Access-Control-Max-Age: no more
	// than any engine's cap (WebKit's is 600 s), more than any run lasts.
	warmMaxAge = "600"
)

// warmResult is a warm-up as the page reports it. Its Error (the page's
// "error") shadows the embedded WarmUp's, which the recorder sets itself
// (runner.checkWarm).
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

// warmTargets returns the warm-up targets of a page at the origin named
// page: every other origin, in the order A, P, B, C (for the first page, at
// A: P, B and C), each of which a page at that origin can preflight.
func warmTargets(o conformance.Origins, page string) []warmTarget {
	var ts []warmTarget
	for _, n := range conformance.OriginNames {
		if n != page {
			ts = append(ts, warmTarget{Name: n, URL: o[n] + warmPath, Max: maxWarmCalls})
		}
	}
	return ts
}

// warmRoute answers the warm-up route (warmPath, on every origin under
// conformance.RunnerPrefix, where the scenario server lets the recorder
// serve it) on one origin and counts the preflights it receives from each
// page origin (the preflight's Origin). The preflight allows the page's PUT
// with warmHeader for warmMaxAge seconds; the PUT's body tells how many
// preflights the origin received so far from the PUT's Origin. Any other
// path gets 404.
type warmRoute struct {
	mu         sync.Mutex
	preflights map[string]int // page origin → preflights
}

func (wr *warmRoute) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != warmPath {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h["Date"] = nil
	h["Content-Type"] = nil
	page := r.Header.Get("Origin")
	if page != "" {
		h.Set("Access-Control-Allow-Origin", page)
	}
	switch {
	case r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "":
		wr.mu.Lock()
		if wr.preflights == nil {
			wr.preflights = map[string]int{}
		}
		wr.preflights[page]++
		wr.mu.Unlock()
		h.Set("Access-Control-Allow-Methods", http.MethodPut)
		h.Set("Access-Control-Allow-Headers", warmHeader)
		h.Set("Access-Control-Max-Age", warmMaxAge)
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodPut:
		wr.mu.Lock()
		n := wr.preflights[page]
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
	from := ""
	if r.Page != "" {
		from = " from a page at " + r.Page
	}
	switch {
	case r.Error != "":
		return conformance.WarmUp{}, fmt.Errorf("recorder: warm-up of origin %s%s failed after %d calls: %s", r.Origin, from, r.Calls, r.Error)
	case !r.Settled:
		return conformance.WarmUp{}, fmt.Errorf("recorder: warm-up of origin %s%s did not settle: %d preflights in %d calls, none served from the preflight cache", r.Origin, from, r.Preflights, r.Calls)
	}
	return r.WarmUp, nil
}
