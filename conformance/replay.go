package conformance

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// callTimeout bounds one call of a replay.
const callTimeout = 30 * time.Second

// ReplayOptions tunes Replay.
type ReplayOptions struct {
	// Filter, if not nil, selects the scenarios to run.
	Filter func(*Scenario) bool
	// Parallel is how many scenarios run at the same time; 0 means 16.
	// Calls inside one scenario always run in order.
	Parallel int
	// Server, if not nil, is a running server created with the same
	// scenarios; Replay then uses it instead of starting its own (and does
	// not close it).
	Server *Server
}

// ScenarioResult is the replay of one scenario.
type ScenarioResult struct {
	// ID is the scenario's ID.
	ID string
	// Area is the scenario's area.
	Area string
	// Run is what the client and the server did in this replay.
	Run RecordedScenario
	// Differences from the recording; empty when the replay agrees.
	Differences []Difference
}

// Report is the result of a replay.
type Report struct {
	// Engine is the engine of the recording replayed.
	Engine string
	// Version is the browser version of the recording.
	Version string
	// Results are sorted by scenario ID.
	Results []ScenarioResult
}

// Differences returns every difference of the report, in scenario order.
func (r *Report) Differences() []Difference {
	var all []Difference
	for _, res := range r.Results {
		all = append(all, res.Differences...)
	}
	return all
}

// Summary returns one line per area, "area: agreed/total scenarios", sorted
// by area, and a total line.
func (r *Report) Summary() string {
	type count struct{ ok, all int }
	areas := map[string]*count{}
	total := count{}
	for _, res := range r.Results {
		c := areas[res.Area]
		if c == nil {
			c = &count{}
			areas[res.Area] = c
		}
		c.all++
		total.all++
		if len(res.Differences) == 0 {
			c.ok++
			total.ok++
		}
	}
	names := make([]string, 0, len(areas))
	for a := range areas {
		names = append(names, a)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, a := range names {
		fmt.Fprintf(&b, "%-16s %3d/%-3d agree\n", a, areas[a].ok, areas[a].all)
	}
	fmt.Fprintf(&b, "%-16s %3d/%-3d agree with %s (%s)\n", "total", total.ok, total.all, r.Engine, r.Version)
	return b.String()
}

// Write prints every difference, one per line, then the summary.
func (r *Report) Write(w io.Writer) {
	for _, d := range r.Differences() {
		fmt.Fprintln(w, d)
	}
	io.WriteString(w, r.Summary())
}

// Replay runs scenarios through sessions opened by sessions (a [NewSession],
// or a [NewClient] whose pages share nothing) against a fresh scenario
// server and compares each run with rec: what each call returned and what
// the server saw. Every scenario gets a session of its own; scenarios run
// concurrently. A scenario's calls run in order with their delays, each
// through the client the session gave for its page load (Session.Page, at
// every load of Scenario.Loads).
func Replay(ctx context.Context, scenarios []Scenario, rec *Recording, sessions Sessions, opts ReplayOptions) (*Report, error) {
	var run []*Scenario
	for i := range scenarios {
		if opts.Filter == nil || opts.Filter(&scenarios[i]) {
			run = append(run, &scenarios[i])
		}
	}
	srv := opts.Server
	if srv == nil {
		var err error
		if srv, err = NewServer(scenarios); err != nil {
			return nil, err
		}
		defer srv.Close()
	}
	parallel := opts.Parallel
	if parallel <= 0 {
		parallel = 16
	}
	// Long scenarios first, so that their waits overlap the rest.
	sort.SliceStable(run, func(i, j int) bool { return totalDelay(run[i]) > totalDelay(run[j]) })

	results := make([]ScenarioResult, len(run))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, s := range run {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			sess := sessions.Open(rec.Engine)
			if l, ok := sess.(LNASession); ok && s.LNA != nil {
				l.SetLNA(s.LNA, srv.Origins())
			}
			got, ok := replayScenario(ctx, srv, s, sess)
			if !ok {
				return
			}
			results[i] = ScenarioResult{ID: s.ID, Area: s.Area, Run: got, Differences: CompareScenario(s, rec.Scenario(s.ID), &got)}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sort.Slice(results, func(i, j int) bool { return results[i].ID < results[j].ID })
	return &Report{Engine: rec.Engine, Version: rec.Version, Results: results}, nil
}

// replayScenario makes the calls of s in order in sess, each load's calls
// through the client of that page load and each call after its delay, and
// returns them with the requests srv logged for s, as a recording stores
// them. ok is false when ctx ended the run.
func replayScenario(ctx context.Context, srv *Server, s *Scenario, sess Session) (got RecordedScenario, ok bool) {
	o := srv.Origins()
	un := newUntemplater(o, s.ID)
	got = RecordedScenario{ID: s.ID, Digest: s.Digest()}
	for _, load := range s.Loads() {
		client := sess.Page(o[load.Page])
		for _, c := range s.Calls[load.Start:load.End] {
			if !sleep(ctx, time.Duration(c.DelayMS)*time.Millisecond) {
				return got, false
			}
			call, err := c.Resolve(o, s.ID)
			out := Outcome{TypeError: true, Error: "TypeError: " + fmt.Sprint(err)}
			if err == nil {
				cctx, cancel := context.WithTimeout(ctx, callTimeout)
				out = client.Fetch(cctx, call)
				cancel()
			}
			got.Outcomes = append(got.Outcomes, un.outcome(out))
		}
	}
	got.Requests = srv.Requests(s.ID)
	return got, true
}

func totalDelay(s *Scenario) int {
	n := 0
	for _, c := range s.Calls {
		n += c.DelayMS
	}
	return n
}

// sleep waits for d or until ctx is done; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
