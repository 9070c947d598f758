package recorder

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
)

// The runner's routes, under conformance.RunnerPrefix. Every origin serves
// the page, the warm-up route and the tour's routes; the batch's routes are
// A's.
const (
	pagePath      = "/runner/page"      // the page
	scenariosPath = "/runner/scenarios" // GET, on A: the warm-up targets and the batch's scenarios
	warmPath      = "/runner/warm"      // the warm-up route (warmup.go)
	warmedPath    = "/runner/warmed"    // POST: a warm-up's result
	resultPath    = "/runner/result"    // POST, on A: a batch scenario's outcomes
	nextPath      = "/runner/next"      // POST, on A: the batch is over; where to go next
	loadPath      = "/runner/load"      // GET ?scenario=<id>&load=<n>: a tour page's calls (tour.go)
	loadedPath    = "/runner/loaded"    // POST: a tour page's outcomes; where to go next
	logPath       = "/runner/log"       // POST: a message for the progress writer
)

//go:embed runner.html
var runnerPage string

// pageCall is a call as the runner page receives it.
type pageCall struct {
	URL     string         `json:"url"`
	Init    map[string]any `json:"init"`
	DelayMS int            `json:"delay_ms"`
}

// pageScenario is a scenario as the runner page receives it.
type pageScenario struct {
	ID    string     `json:"id"`
	Calls []pageCall `json:"calls"`
}

// pageResult is what the runner page posts for a scenario.
type pageResult struct {
	ID       string                `json:"id"`
	Outcomes []conformance.Outcome `json:"outcomes"`
}

// pageInit returns the fetch() init object for c, whose resolved form is
// call: only the members c gives, so that fetch() applies its own defaults
// to the others, with header values expanded. Mode, credentials, redirect,
// cache and targetAddressSpace go as written: fetch() itself rejects a
// value it does not know (and an engine without Local Network Access
// ignores targetAddressSpace, a member it does not know).
func pageInit(c conformance.CallSpec, call conformance.Call) map[string]any {
	m := map[string]any{}
	if c.Method != "" {
		m["method"] = c.Method
	}
	if c.Headers != nil {
		pairs := [][2]string{}
		for _, f := range call.Header {
			pairs = append(pairs, [2]string{f.Name, f.Value})
		}
		m["headers"] = pairs
	}
	if c.Body != nil {
		m["body"] = *c.Body
	}
	for k, v := range map[string]string{"mode": c.Mode, "credentials": c.Credentials, "redirect": c.Redirect, "cache": c.Cache, "targetAddressSpace": c.TargetAddressSpace} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// pageScenarios returns the scenarios of the batch, those that are not
// paged, as the page receives them on a server with origins o, long
// scenarios first, so that their waits overlap the rest.
func pageScenarios(o conformance.Origins, scenarios []conformance.Scenario) []pageScenario {
	list := []pageScenario{} // a batch of none is [] for the page, not null
	for _, s := range scenarios {
		if s.Paged() {
			continue
		}
		ps := pageScenario{ID: s.ID}
		for _, c := range s.Calls {
			ps.Calls = append(ps.Calls, resolvePageCall(o, s.ID, c))
		}
		list = append(list, ps)
	}
	sort.SliceStable(list, func(i, j int) bool { return pageDelay(list[i]) > pageDelay(list[j]) })
	return list
}

// resolvePageCall returns c, a call of the scenario with the given id, as
// the page receives it on a server with origins o.
func resolvePageCall(o conformance.Origins, id string, c conformance.CallSpec) pageCall {
	// A member fetch() does not know is passed as written (the error of
	// Resolve): the browser decides.
	call, _ := c.Resolve(o, id)
	return pageCall{URL: call.URL, Init: pageInit(c, call), DelayMS: c.DelayMS}
}

func pageDelay(s pageScenario) int {
	n := 0
	for _, c := range s.Calls {
		n += c.DelayMS
	}
	return n
}

// runner serves the recorder's routes on every origin and collects the
// results: the batch of scenarios that are not paged, which the first page
// (at A) runs side by side, and the tour of the paged ones.
type runner struct {
	scenarios  []pageScenario // the batch
	total      int            // scenarios of the run, batch and tour
	warm       []warmTarget   // the first page's warm-up
	parallel   int
	progress   io.Writer
	warmRoutes map[string]*warmRoute // origin name → its warm-up route
	tour       *tour
	// lna is set in a browser of Local Network Access scenarios, where a
	// warm-up whose fetch() fails is kept in the recording instead of
	// ending the run: the browser may block the page's requests to the
	// origin.
	lna bool

	mu       sync.Mutex
	results  map[string][]conformance.Outcome
	warmed   map[string]warmResult // origin name → the first page's warm-up report
	tourWarm []conformance.WarmUp  // warm-ups of the tour's pages, in order
	// asked: the batch page asked where to go next (nextPath), its last
	// request: a run is over only then, so that no request of its page
	// reaches the runner of the next run on the same server.
	asked  bool
	done   chan struct{} // closed when every scenario has a result and the page asked
	failed chan error    // receives the first error that ends the run
}

// newRunner returns the runner of scenarios on a server with origins o,
// whose batch the first page runs parallel at a time.
func newRunner(o conformance.Origins, scenarios []conformance.Scenario, parallel int, stepTimeout time.Duration, progress io.Writer) *runner {
	rn := &runner{
		scenarios:  pageScenarios(o, scenarios),
		total:      len(scenarios),
		warm:       warmTargets(o, "A"),
		parallel:   parallel,
		progress:   progress,
		warmRoutes: map[string]*warmRoute{},
		results:    map[string][]conformance.Outcome{},
		warmed:     map[string]warmResult{},
		done:       make(chan struct{}),
		failed:     make(chan error, 1),
	}
	for _, name := range conformance.OriginNames {
		rn.warmRoutes[name] = &warmRoute{}
	}
	rn.tour = newTour(o, scenarios, stepTimeout, rn.fail)
	return rn
}

// handler returns the handler of the runner's routes on the origin named
// name.
func (rn *runner) handler(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rn.serve(name, w, r) })
}

func (rn *runner) serve(name string, w http.ResponseWriter, r *http.Request) {
	onA := name == "A"
	switch {
	case r.URL.Path == pagePath:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, runnerPage)
	case r.URL.Path == scenariosPath && onA:
		writeJSON(w, map[string]any{"parallel": rn.parallel, "warm": rn.warm, "scenarios": rn.scenarios})
	case r.URL.Path == warmPath:
		rn.warmRoutes[name].ServeHTTP(w, r)
	case r.URL.Path == warmedPath:
		rn.serveWarmed(name, w, r)
	case r.URL.Path == resultPath && onA:
		rn.serveResult(w, r)
	case r.URL.Path == nextPath && onA && r.Method == http.MethodPost:
		next, err := rn.tour.start()
		writeNext(w, next, err)
		rn.mu.Lock()
		rn.asked = true
		rn.checkDone()
		rn.mu.Unlock()
	case r.URL.Path == loadPath:
		rn.serveLoad(name, w, r)
	case r.URL.Path == loadedPath && r.Method == http.MethodPost:
		rn.serveLoaded(name, w, r)
	case r.URL.Path == logPath:
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		rn.printf("page at %s: %s\n", name, b)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// writeJSON writes v as an uncacheable JSON answer.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

// writeNext answers a page that asks where to go next: {"next": URL}, with
// "" for nowhere; or the error that ended the run, as a 409.
func writeNext(w http.ResponseWriter, next string, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	writeJSON(w, map[string]string{"next": next})
}

// serveLoad gives a page of the tour its warm-up targets and calls.
func (rn *runner) serveLoad(name string, w http.ResponseWriter, r *http.Request) {
	id, index, err := parseLoad(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	warm, calls, err := rn.tour.load(name, id, index)
	if err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	rn.printf("tour: %s, page load %d at %s\n", id, index+1, name)
	if warm == nil {
		warm = []warmTarget{}
	}
	writeJSON(w, map[string]any{"warm": warm, "calls": calls})
}

// loadResult is what a page of the tour posts.
type loadResult struct {
	ID       string                `json:"scenario"`
	Load     int                   `json:"load"`
	Outcomes []conformance.Outcome `json:"outcomes"`
}

// serveLoaded takes the outcomes of a page of the tour and says where to go
// next.
func (rn *runner) serveLoaded(name string, w http.ResponseWriter, r *http.Request) {
	var res loadResult
	if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	next, outs, err := rn.tour.loaded(name, res.ID, res.Load, res.Outcomes)
	if err == nil && outs != nil {
		rn.finish(res.ID, outs)
	}
	writeNext(w, next, err)
}

// fail ends the run with err, unless an error ended it already.
func (rn *runner) fail(err error) {
	select {
	case rn.failed <- err:
	default:
	}
	rn.printf("%v\n", err)
}

// serveWarmed takes a page's report of the warm-up of one origin: the first
// page's when it arrives on A, a page of the tour's otherwise. A failed
// warm-up stops the run at once rather than after every scenario: it cannot
// be recorded.
func (rn *runner) serveWarmed(name string, w http.ResponseWriter, r *http.Request) {
	var res warmResult
	if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if name != "A" {
		res.Page = name
	}
	wu, err := rn.checkWarm(res)
	rn.mu.Lock()
	if name == "A" {
		rn.warmed[res.Origin] = res
	} else if err == nil {
		rn.tourWarm = append(rn.tourWarm, wu)
	}
	rn.mu.Unlock()
	if err != nil {
		rn.fail(err)
	} else {
		rn.printf("warm-up %s\n", wu)
	}
	if name != "A" {
		rn.tour.warmedUp(res.Origin)
	}
	w.WriteHeader(http.StatusNoContent)
}

// serveResult takes the outcomes of one scenario of the batch.
func (rn *runner) serveResult(w http.ResponseWriter, r *http.Request) {
	var res pageResult
	if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if rn.finish(res.ID, res.Outcomes) == len(rn.scenarios) {
		rn.tour.awaitStart()
	}
	w.WriteHeader(http.StatusNoContent)
}

// finish stores the outcomes of the scenario with the given id and returns
// how many scenarios of the batch have theirs.
func (rn *runner) finish(id string, outs []conformance.Outcome) (batch int) {
	rn.mu.Lock()
	rn.results[id] = outs
	n := len(rn.results)
	for _, s := range rn.scenarios {
		if _, ok := rn.results[s.ID]; ok {
			batch++
		}
	}
	rn.checkDone()
	rn.mu.Unlock()
	rn.printf("[%d/%d] %s\n", n, rn.total, id)
	return batch
}

// checkDone closes rn.done once every scenario has its result and the
// batch page has asked where to go next. rn.mu is held.
func (rn *runner) checkDone() {
	if len(rn.results) != rn.total || !rn.asked {
		return
	}
	select {
	case <-rn.done:
	default:
		close(rn.done)
	}
}

// printf writes to the progress writer, if any.
func (rn *runner) printf(format string, args ...any) {
	if rn.progress != nil {
		fmt.Fprintf(rn.progress, format, args...)
	}
}

func (rn *runner) count() int {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	return len(rn.results)
}

// missing names the scenarios without a result, the batch's first.
func (rn *runner) missing() string {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if _, ok := rn.results[id]; !ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, s := range rn.scenarios {
		add(s.ID)
	}
	for _, l := range rn.tour.loads {
		add(l.id)
	}
	if len(ids) > 10 {
		ids = append(ids[:10], "…")
	}
	return strings.Join(ids, " ")
}

// missingWarm returns "; no warm-up reported for P B" naming the origins
// whose warm-up the first page never reported, or "".
func (rn *runner) missingWarm() string {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	var names []string
	for _, t := range rn.warm {
		if _, ok := rn.warmed[t.Name]; !ok {
			names = append(names, t.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "; no warm-up reported for " + strings.Join(names, " ")
}

// warmUps returns the warm-up of every target of the first page, in order,
// then those of the tour's pages, or an error when the first page reported
// none for one or one failed.
func (rn *runner) warmUps() ([]conformance.WarmUp, error) {
	var all []conformance.WarmUp
	for _, t := range rn.warm {
		rn.mu.Lock()
		res, ok := rn.warmed[t.Name]
		rn.mu.Unlock()
		if !ok {
			return nil, fmt.Errorf("recorder: the page reported no warm-up for origin %s", t.Name)
		}
		wu, err := rn.checkWarm(res)
		if err != nil {
			return nil, err
		}
		all = append(all, wu)
	}
	rn.mu.Lock()
	defer rn.mu.Unlock()
	return append(all, rn.tourWarm...), nil
}

// checkWarm returns the warm-up of res, or an error when it failed or never
// settled. In a browser of Local Network Access scenarios a warm-up whose
// fetch() failed (the browser may block the page's requests to the origin)
// is returned with the page's error as its Error instead; one that never
// settled is an error there too.
func (rn *runner) checkWarm(res warmResult) (conformance.WarmUp, error) {
	wu, err := res.check()
	if err == nil || !rn.lna || res.Error == "" {
		return wu, err
	}
	wu = res.WarmUp
	wu.Error = res.Error
	return wu, nil
}

// sortedKeys returns the keys of m, sorted and joined by spaces.
func sortedKeys(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, " ")
}
