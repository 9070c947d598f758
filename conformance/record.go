package conformance

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Browser is a browser engine the recorder can drive.
type Browser interface {
	// Engine names the engine; it names the recording file: "chromium",
	// "firefox" or "webkit".
	Engine() string
	// Version returns the browser's version line.
	Version(ctx context.Context) (string, error)
	// Open starts a fresh browser instance (an empty profile) that loads
	// pageURL and keeps running until the session is stopped.
	Open(ctx context.Context, pageURL string) (Session, error)
}

// defaultParalleler is implemented by a Browser whose engine cannot run
// scenarios side by side without one scenario changing what another records;
// DefaultParallel is the number of scenarios it runs at the same time when
// RecordOptions.Parallel is 0.
type defaultParalleler interface {
	DefaultParallel() int
}

// Session is a running browser instance.
type Session interface {
	// Exited is closed when the browser process ends by itself.
	Exited() <-chan struct{}
	// Stop kills the browser and every process it started, waits for them
	// and removes the profile. It is safe to call more than once.
	Stop() error
}

// RecordOptions tunes Record.
type RecordOptions struct {
	// Timeout bounds the whole run in the browser; 0 means 4 minutes.
	Timeout time.Duration
	// Parallel is how many scenarios the page runs at the same time; 0
	// means the engine's default: 16, or 1 for Firefox (see
	// [Firefox.DefaultParallel]). Calls inside one scenario always run in
	// order.
	Parallel int
	// Progress, if not nil, receives one line per finished scenario and any
	// message the page reports.
	Progress io.Writer
}

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
	ID       string    `json:"id"`
	Outcomes []Outcome `json:"outcomes"`
}

// init returns the fetch() init object for c.
func (c CallSpec) init(o Origins, prefix string) map[string]any {
	m := map[string]any{}
	if c.Method != "" {
		m["method"] = c.Method
	}
	if c.Headers != nil {
		pairs := [][2]string{}
		for _, f := range c.Headers {
			v, _ := expandValue(f.Value, o, prefix, nil)
			pairs = append(pairs, [2]string{f.Name, v})
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

// runner serves the recorder's page on origin A and collects its results.
type runner struct {
	scenarios []pageScenario
	warm      []warmTarget
	parallel  int
	progress  io.Writer

	mu      sync.Mutex
	results map[string][]Outcome
	warmed  map[string]warmResult // origin name → the page's warm-up report
	done    chan struct{}         // closed when every scenario has a result
	warmErr chan error            // receives the first failed warm-up
}

func (rn *runner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/runner/page":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, runnerPage)
	case "/runner/scenarios":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(map[string]any{"parallel": rn.parallel, "warm": rn.warm, "scenarios": rn.scenarios})
	case "/runner/warmed":
		var res warmResult
		if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rn.mu.Lock()
		rn.warmed[res.Origin] = res
		rn.mu.Unlock()
		_, err := res.check()
		if err != nil {
			// The run cannot be recorded: stop it now rather than after
			// every scenario.
			select {
			case rn.warmErr <- err:
			default:
			}
		}
		if rn.progress != nil {
			if err != nil {
				fmt.Fprintln(rn.progress, err)
			} else {
				fmt.Fprintf(rn.progress, "warm-up %s\n", res.WarmUp)
			}
		}
		w.WriteHeader(http.StatusNoContent)
	case "/runner/result":
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
		if rn.progress != nil {
			fmt.Fprintf(rn.progress, "[%d/%d] %s\n", n, len(rn.scenarios), res.ID)
		}
		w.WriteHeader(http.StatusNoContent)
	case "/runner/log":
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if rn.progress != nil {
			fmt.Fprintf(rn.progress, "page: %s\n", b)
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// Record runs scenarios in the browser b and returns its recording. The
// browser loads a page from origin A that first warms up the preflight cache
// of origins P, B and C (see [WarmUp]), then runs every scenario with fetch()
// and posts each outcome back; the server's log is joined in. The browser is
// stopped on every path out of Record.
func Record(ctx context.Context, b Browser, scenarios []Scenario, opts RecordOptions) (rec *Recording, err error) {
	version, err := b.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("conformance: %s version: %w", b.Engine(), err)
	}
	srv, err := NewServer(scenarios)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	o := srv.Origins()
	rn := &runner{
		warm:     warmTargets(o),
		parallel: opts.Parallel,
		progress: opts.Progress,
		results:  map[string][]Outcome{},
		warmed:   map[string]warmResult{},
		done:     make(chan struct{}),
		warmErr:  make(chan error, 1),
	}
	if rn.parallel <= 0 {
		rn.parallel = 16
		if d, ok := b.(defaultParalleler); ok && d.DefaultParallel() > 0 {
			rn.parallel = d.DefaultParallel()
		}
	}
	for _, s := range scenarios {
		ps := pageScenario{ID: s.ID}
		for _, c := range s.Calls {
			ps.Calls = append(ps.Calls, pageCall{URL: expandURL(c.URL, o, Prefix(s.ID)), Init: c.init(o, Prefix(s.ID)), DelayMS: c.DelayMS})
		}
		rn.scenarios = append(rn.scenarios, ps)
	}
	// Long scenarios first, so that their waits overlap the rest.
	sort.SliceStable(rn.scenarios, func(i, j int) bool { return pageDelay(rn.scenarios[i]) > pageDelay(rn.scenarios[j]) })
	srv.SetRunner(rn)

	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 4 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sess, err := b.Open(ctx, o["A"]+"/runner/page")
	if err != nil {
		return nil, fmt.Errorf("conformance: starting %s: %w", b.Engine(), err)
	}
	defer func() {
		if serr := sess.Stop(); serr != nil && err == nil {
			err = fmt.Errorf("conformance: stopping %s: %w", b.Engine(), serr)
		}
	}()
	select {
	case <-rn.done:
	case err := <-rn.warmErr:
		return nil, err
	case <-sess.Exited():
		return nil, fmt.Errorf("conformance: %s exited before the run finished (%d of %d scenarios)", b.Engine(), rn.count(), len(scenarios))
	case <-ctx.Done():
		return nil, fmt.Errorf("conformance: %s run: %w (%d of %d scenarios finished; missing: %s%s)", b.Engine(), ctx.Err(), rn.count(), len(scenarios), rn.missing(), rn.missingWarm())
	}

	rec = &Recording{Engine: b.Engine(), Version: version}
	for _, t := range rn.warm {
		rn.mu.Lock()
		res, ok := rn.warmed[t.Name]
		rn.mu.Unlock()
		if !ok {
			return nil, fmt.Errorf("conformance: the page reported no warm-up for origin %s", t.Name)
		}
		wu, err := res.check()
		if err != nil {
			return nil, err
		}
		rec.WarmUp = append(rec.WarmUp, wu)
	}
	for i := range scenarios {
		s := &scenarios[i]
		un, vun := urlUntemplater(o, Prefix(s.ID)), valueUntemplater(o, Prefix(s.ID))
		rn.mu.Lock()
		outs := append([]Outcome(nil), rn.results[s.ID]...)
		rn.mu.Unlock()
		if len(outs) != len(s.Calls) {
			return nil, fmt.Errorf("conformance: scenario %s: page reported %d outcomes for %d calls", s.ID, len(outs), len(s.Calls))
		}
		for j := range outs {
			outs[j].URL = un.Replace(outs[j].URL)
			outs[j].Body = vun.Replace(outs[j].Body)
			outs[j].Error = vun.Replace(outs[j].Error)
			if outs[j].Headers == nil {
				outs[j].Headers = []string{}
			}
		}
		rec.Scenarios = append(rec.Scenarios, RecordedScenario{ID: s.ID, Digest: s.Digest(), Outcomes: outs, Requests: srv.Requests(s.ID)})
	}
	sort.Slice(rec.Scenarios, func(i, j int) bool { return rec.Scenarios[i].ID < rec.Scenarios[j].ID })
	return rec, nil
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

func pageDelay(s pageScenario) int {
	n := 0
	for _, c := range s.Calls {
		n += c.DelayMS
	}
	return n
}
