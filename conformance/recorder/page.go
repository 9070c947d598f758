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

	"github.com/corsfetch/corsfetch/conformance"
)

// The runner page's routes on origin A, under conformance.RunnerPrefix.
const (
	pagePath      = "/runner/page"      // the page
	scenariosPath = "/runner/scenarios" // GET: the warm-up targets and the scenarios
	warmedPath    = "/runner/warmed"    // POST: a warm-up's result
	resultPath    = "/runner/result"    // POST: a scenario's outcomes
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
// to the others, with header values expanded. Mode, credentials, redirect
// and cache go as written: fetch() itself rejects a value it does not know.
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
	for k, v := range map[string]string{"mode": c.Mode, "credentials": c.Credentials, "redirect": c.Redirect, "cache": c.Cache} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// pageScenarios returns scenarios as the page receives them on a server
// with origins o, long scenarios first, so that their waits overlap the
// rest.
func pageScenarios(o conformance.Origins, scenarios []conformance.Scenario) []pageScenario {
	var list []pageScenario
	for _, s := range scenarios {
		ps := pageScenario{ID: s.ID}
		for _, c := range s.Calls {
			// A member fetch() does not know is passed as written (the
			// error of Resolve): the browser decides.
			call, _ := c.Resolve(o, s.ID)
			ps.Calls = append(ps.Calls, pageCall{URL: call.URL, Init: pageInit(c, call), DelayMS: c.DelayMS})
		}
		list = append(list, ps)
	}
	sort.SliceStable(list, func(i, j int) bool { return pageDelay(list[i]) > pageDelay(list[j]) })
	return list
}

func pageDelay(s pageScenario) int {
	n := 0
	for _, c := range s.Calls {
		n += c.DelayMS
	}
	return n
}

// runner serves the recorder's page on origin A and collects its results.
type runner struct {
	scenarios []pageScenario
	warm      []warmTarget
	parallel  int
	progress  io.Writer

	mu      sync.Mutex
	results map[string][]conformance.Outcome
	warmed  map[string]warmResult // origin name → the page's warm-up report
	done    chan struct{}         // closed when every scenario has a result
	warmErr chan error            // receives the first failed warm-up
}

// newRunner returns the runner of scenarios on a server with origins o,
// which the page runs parallel at a time.
func newRunner(o conformance.Origins, scenarios []conformance.Scenario, parallel int, progress io.Writer) *runner {
	return &runner{
		scenarios: pageScenarios(o, scenarios),
		warm:      warmTargets(o),
		parallel:  parallel,
		progress:  progress,
		results:   map[string][]conformance.Outcome{},
		warmed:    map[string]warmResult{},
		done:      make(chan struct{}),
		warmErr:   make(chan error, 1),
	}
}

func (rn *runner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case pagePath:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, runnerPage)
	case scenariosPath:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(map[string]any{"parallel": rn.parallel, "warm": rn.warm, "scenarios": rn.scenarios})
	case warmedPath:
		rn.serveWarmed(w, r)
	case resultPath:
		rn.serveResult(w, r)
	case logPath:
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		rn.printf("page: %s\n", b)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// serveWarmed takes the page's report of the warm-up of one origin. A
// failed warm-up stops the run at once rather than after every scenario:
// it cannot be recorded.
func (rn *runner) serveWarmed(w http.ResponseWriter, r *http.Request) {
	var res warmResult
	if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rn.mu.Lock()
	rn.warmed[res.Origin] = res
	rn.mu.Unlock()
	if _, err := res.check(); err != nil {
		select {
		case rn.warmErr <- err:
		default:
		}
		rn.printf("%v\n", err)
	} else {
		rn.printf("warm-up %s\n", res.WarmUp)
	}
	w.WriteHeader(http.StatusNoContent)
}

// serveResult takes the outcomes of one scenario.
func (rn *runner) serveResult(w http.ResponseWriter, r *http.Request) {
	var res pageResult
	if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rn.mu.Lock()
	rn.results[res.ID] = res.Outcomes
	n := len(rn.results)
	if n == len(rn.scenarios) {
		select {
		case <-rn.done:
		default:
			close(rn.done)
		}
	}
	rn.mu.Unlock()
	rn.printf("[%d/%d] %s\n", n, len(rn.scenarios), res.ID)
	w.WriteHeader(http.StatusNoContent)
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

func (rn *runner) missing() string {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	var ids []string
	for _, s := range rn.scenarios {
		if _, ok := rn.results[s.ID]; !ok {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) > 10 {
		ids = append(ids[:10], "…")
	}
	return strings.Join(ids, " ")
}

// missingWarm returns "; no warm-up reported for P B" naming the origins
// whose warm-up the page never reported, or "".
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

// warmUps returns the warm-up of every target, in order, or an error when
// the page reported none for one or one failed.
func (rn *runner) warmUps() ([]conformance.WarmUp, error) {
	var all []conformance.WarmUp
	for _, t := range rn.warm {
		rn.mu.Lock()
		res, ok := rn.warmed[t.Name]
		rn.mu.Unlock()
		if !ok {
			return nil, fmt.Errorf("recorder: the page reported no warm-up for origin %s", t.Name)
		}
		wu, err := res.check()
		if err != nil {
			return nil, err
		}
		all = append(all, wu)
	}
	return all, nil
}
