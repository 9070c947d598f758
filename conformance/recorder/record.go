package recorder

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
)

// Launcher starts a browser engine for the recorder: Chromium, Firefox and
// WebKit drive the real ones.
type Launcher interface {
	// Engine names the engine; it names the recording file: "chromium",
	// "firefox" or "webkit".
	Engine() string
	// Version returns the browser's version line.
	Version(ctx context.Context) (string, error)
	// Open starts a fresh browser instance (an empty profile) that loads
	// pageURL and keeps running until the session is stopped.
	Open(ctx context.Context, pageURL string) (Session, error)
}

// defaultParalleler is implemented by a Launcher whose engine cannot run
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
	// Timeout bounds the run in each browser (the one of the scenarios
	// without a Local Network Access configuration, and each of those with
	// one); 0 means 4 minutes.
	Timeout time.Duration
	// Parallel is how many scenarios the page runs at the same time; 0
	// means the engine's default: 16, or 1 for Firefox (see
	// [FirefoxLauncher.DefaultParallel]). Calls inside one scenario always
	// run in order.
	Parallel int
	// StepTimeout bounds each page load of a paged scenario: the tab must
	// load the next page within it, and the page must post its outcomes
	// within it plus the delays of its calls; 0 means 30 seconds. A page
	// that does not fails the recording at once.
	StepTimeout time.Duration
	// Progress, if not nil, receives one line per finished scenario and any
	// message the page reports.
	Progress io.Writer
}

// stepTimeout returns the bound on a page load of a paged scenario.
func (opts RecordOptions) stepTimeout() time.Duration {
	if opts.StepTimeout <= 0 {
		return 30 * time.Second
	}
	return opts.StepTimeout
}

// parallel returns how many scenarios the page of l runs at the same time.
func (opts RecordOptions) parallel(l Launcher) int {
	if opts.Parallel > 0 {
		return opts.Parallel
	}
	if d, ok := l.(defaultParalleler); ok && d.DefaultParallel() > 0 {
		return d.DefaultParallel()
	}
	return 16
}

// timeout returns the bound on the run in the browser.
func (opts RecordOptions) timeout() time.Duration {
	if opts.Timeout <= 0 {
		return 4 * time.Minute
	}
	return opts.Timeout
}

// LNALauncher is implemented by a Launcher that can start a browser for
// Local Network Access scenarios (conformance.Scenario.LNA): one whose
// endpoints have the IP address spaces a configuration gives them, and
// whose pages have the permissions it grants. Record needs it for such
// scenarios.
type LNALauncher interface {
	Launcher
	// OpenLNA is Open for a browser with setup applied. It returns the
	// session and how the configuration was applied, one line per flag,
	// preference or command (or why it could not be), with the concrete
	// origins of the run in them (Record turns them into templates).
	OpenLNA(ctx context.Context, pageURL string, setup LNASetup) (Session, []string, error)
}

// LNASetup is a Local Network Access configuration for one browser, on
// the running server.
type LNASetup struct {
	// Config is the configuration the scenarios give.
	Config conformance.LNA
	// Spaces are the spaces Config gives, by endpoint of the running server.
	Spaces []conformance.EndpointSpace
	// Pages are the page origins of the scenarios (serialized, e.g.
	// "http://127.0.0.1:41234"), A always among them: the origins that
	// get the permissions Config grants.
	Pages []string
	// Console, if not nil, receives the console messages of the browser's
	// pages when the launcher can capture them, one line each.
	Console io.Writer
}

// Record runs scenarios in a browser started by l and returns its
// recording. The browser loads a page from origin A that first warms up the
// preflight cache of origins P, B and C (see [conformance.WarmUp]), then
// runs every scenario that is not paged with fetch(), side by side, and
// posts each outcome back. Then the paged scenarios (see
// [conformance.Scenario.Paged]) run one after the other, one page load at a
// time: the server tells each page where the tab goes next, and the tab
// navigates to the runner page of that origin, which asks for its calls. The
// server's log is joined in. The browser is stopped on every path out of
// Record.
//
// Scenarios with a Local Network Access configuration
// ([conformance.Scenario.LNA]) run after the others, in a fresh browser per
// configuration (l must be an [LNALauncher]), in the order of their
// configurations' keys, each run as above: warm-up, side by side, then the
// paged ones. There a warm-up whose fetch() fails does not end the run (the
// browser may block the page's requests to the origin): the recording keeps
// it with the error.
func Record(ctx context.Context, l Launcher, scenarios []conformance.Scenario, opts RecordOptions) (rec *conformance.Recording, err error) {
	version, err := l.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("recorder: %s version: %w", l.Engine(), err)
	}
	plain, groups := lnaGroups(scenarios)
	ll, lnaOK := l.(LNALauncher)
	if len(groups) > 0 && !lnaOK {
		return nil, fmt.Errorf("recorder: %s cannot record Local Network Access scenarios (%s)", l.Engine(), groups[0].scenarios[0].ID)
	}
	srv, err := conformance.NewServer(scenarios)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	rec = &conformance.Recording{Engine: l.Engine(), Version: version}
	var runs []*runner
	if len(plain) > 0 {
		rn, err := runBrowser(ctx, l, srv, plain, nil, opts, func(ctx context.Context, pageURL string) (Session, error) {
			return l.Open(ctx, pageURL)
		})
		if err != nil {
			return nil, err
		}
		if rec.WarmUp, err = rn.warmUps(); err != nil {
			return nil, err
		}
		runs = append(runs, rn)
	}
	untemplate := hostUntemplater(srv.Origins())
	for _, g := range groups {
		setup := LNASetup{Config: *g.config, Spaces: g.config.EndpointSpaces(srv.Origins()), Pages: g.pages(srv.Origins())}
		if opts.Progress != nil {
			setup.Console = &prefixWriter{w: opts.Progress, prefix: "console: ", replace: untemplate}
		}
		var applied []string
		rn, err := runBrowser(ctx, l, srv, g.scenarios, g.config, opts, func(ctx context.Context, pageURL string) (Session, error) {
			sess, lines, err := ll.OpenLNA(ctx, pageURL, setup)
			applied = lines
			return sess, err
		})
		if err != nil {
			return nil, fmt.Errorf("%w (Local Network Access configuration %q)", err, g.config.Key())
		}
		run := conformance.LNARun{Config: g.config.Key(), Setup: []string{}}
		for _, s := range g.scenarios {
			run.Scenarios = append(run.Scenarios, s.ID)
		}
		sort.Strings(run.Scenarios)
		for _, line := range applied {
			run.Setup = append(run.Setup, untemplate.Replace(line))
		}
		if run.WarmUp, err = rn.warmUps(); err != nil {
			return nil, err
		}
		for i := range run.WarmUp {
			run.WarmUp[i].Error = untemplate.Replace(run.WarmUp[i].Error)
		}
		rec.LNA = append(rec.LNA, run)
		runs = append(runs, rn)
	}
	if err := joinRecording(rec, runs, scenarios, srv); err != nil {
		return nil, err
	}
	return rec, nil
}

// runBrowser runs scenarios (those of one browser: without a Local Network
// Access configuration, or all of the configuration lna) on srv, in a
// browser that open starts, and returns their runner with the outcomes once
// every scenario has them. The browser is stopped before it returns.
func runBrowser(ctx context.Context, l Launcher, srv *conformance.Server, scenarios []conformance.Scenario, lna *conformance.LNA, opts RecordOptions, open func(context.Context, string) (Session, error)) (rn *runner, err error) {
	rn = newRunner(srv.Origins(), scenarios, opts.parallel(l), opts.stepTimeout(), opts.Progress)
	rn.lna = lna != nil
	defer rn.tour.stop()
	for _, name := range conformance.OriginNames {
		srv.HandleRunner(name, rn.handler(name))
	}
	if lna != nil {
		rn.printf("Local Network Access configuration %q: %d scenarios in a browser of their own\n", lna.Key(), len(scenarios))
	}
	ctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	sess, err := open(ctx, srv.Origins()["A"]+pagePath)
	if err != nil {
		return nil, fmt.Errorf("recorder: starting %s: %w", l.Engine(), err)
	}
	defer func() {
		if serr := sess.Stop(); serr != nil && err == nil {
			err = fmt.Errorf("recorder: stopping %s: %w", l.Engine(), serr)
		}
	}()
	if err := rn.wait(ctx, l.Engine(), sess); err != nil {
		return nil, err
	}
	return rn, nil
}

// lnaGroup is the scenarios of one Local Network Access configuration.
type lnaGroup struct {
	config    *conformance.LNA
	scenarios []conformance.Scenario
}

// pages returns the page origins of the group's scenarios on a server with
// origins o: A (the first page of every browser) and every origin a call
// names as its page, in the order of conformance.OriginNames.
func (g lnaGroup) pages(o conformance.Origins) []string {
	used := map[string]bool{"A": true}
	for _, s := range g.scenarios {
		for _, l := range s.Loads() {
			used[l.Page] = true
		}
	}
	var pages []string
	for _, n := range conformance.OriginNames {
		if used[n] {
			pages = append(pages, o[n])
		}
	}
	return pages
}

// lnaGroups splits scenarios into those without a Local Network Access
// configuration and groups of those with one, a group per configuration
// (conformance.LNA.Key), sorted by key.
func lnaGroups(scenarios []conformance.Scenario) (plain []conformance.Scenario, groups []lnaGroup) {
	byKey := map[string]int{}
	for _, s := range scenarios {
		if s.LNA == nil {
			plain = append(plain, s)
			continue
		}
		k := s.LNA.Key()
		i, ok := byKey[k]
		if !ok {
			i = len(groups)
			byKey[k] = i
			groups = append(groups, lnaGroup{config: s.LNA})
		}
		groups[i].scenarios = append(groups[i].scenarios, s)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].config.Key() < groups[j].config.Key() })
	return plain, groups
}

// hostUntemplater turns the origins and hosts of a server with origins o
// back into templates ({B}, {B.host}), as a recording stores them.
func hostUntemplater(o conformance.Origins) *strings.Replacer {
	var pairs []string
	for _, n := range conformance.OriginNames {
		pairs = append(pairs, o[n], "{"+n+"}")
	}
	for _, n := range conformance.OriginNames {
		pairs = append(pairs, strings.TrimPrefix(o[n], "http://"), "{"+n+".host}")
	}
	return strings.NewReplacer(pairs...)
}

// prefixWriter writes each line written to it to w with a prefix, and with
// the replacements of replace (if not nil) made. Each Write holds whole
// lines: a missing final newline is added, and empty lines are dropped.
type prefixWriter struct {
	w       io.Writer
	prefix  string
	replace *strings.Replacer
	mu      sync.Mutex
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line == "" || line == "\n" {
			continue
		}
		if !strings.HasSuffix(line, "\n") {
			line += "\n"
		}
		if p.replace != nil {
			line = p.replace.Replace(line)
		}
		if _, err := io.WriteString(p.w, p.prefix+line); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// wait returns when the pages have posted the outcomes of every scenario,
// or with an error when a warm-up failed, a page of the tour did not come or
// did not report in time, the browser exited or ctx ended.
func (rn *runner) wait(ctx context.Context, engine string, sess Session) error {
	select {
	case <-rn.done:
		return nil
	case err := <-rn.failed:
		return err
	case <-sess.Exited():
		return fmt.Errorf("recorder: %s exited before the run finished (%d of %d scenarios)", engine, rn.count(), rn.total)
	case <-ctx.Done():
		return fmt.Errorf("recorder: %s run: %w (%d of %d scenarios finished; missing: %s%s)", engine, ctx.Err(), rn.count(), rn.total, rn.missing(), rn.missingWarm())
	}
}

// joinRecording joins what the pages of runs posted with what srv logged
// into rec, one recorded scenario per scenario, sorted by ID.
func joinRecording(rec *conformance.Recording, runs []*runner, scenarios []conformance.Scenario, srv *conformance.Server) error {
	o := srv.Origins()
	for i := range scenarios {
		s := &scenarios[i]
		var outs []conformance.Outcome
		for _, rn := range runs {
			rn.mu.Lock()
			got, ok := rn.results[s.ID]
			rn.mu.Unlock()
			if ok {
				outs = got
				break
			}
		}
		if len(outs) != len(s.Calls) {
			return fmt.Errorf("recorder: scenario %s: page reported %d outcomes for %d calls", s.ID, len(outs), len(s.Calls))
		}
		outs = o.Untemplate(s.ID, outs)
		for j := range outs {
			if outs[j].Headers == nil {
				outs[j].Headers = []string{}
			}
		}
		rec.Scenarios = append(rec.Scenarios, conformance.RecordedScenario{ID: s.ID, Digest: s.Digest(), Outcomes: outs, Requests: srv.Requests(s.ID)})
	}
	sort.Slice(rec.Scenarios, func(i, j int) bool { return rec.Scenarios[i].ID < rec.Scenarios[j].ID })
	return nil
}
