package recorder

import (
	"context"
	"fmt"
	"io"
	"sort"
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
	// Timeout bounds the whole run in the browser; 0 means 4 minutes.
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
func Record(ctx context.Context, l Launcher, scenarios []conformance.Scenario, opts RecordOptions) (rec *conformance.Recording, err error) {
	version, err := l.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("recorder: %s version: %w", l.Engine(), err)
	}
	srv, err := conformance.NewServer(scenarios)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	rn := newRunner(srv.Origins(), scenarios, opts.parallel(l), opts.stepTimeout(), opts.Progress)
	defer rn.tour.stop()
	for _, name := range conformance.OriginNames {
		srv.HandleRunner(name, rn.handler(name))
	}

	ctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	sess, err := l.Open(ctx, srv.Origins()["A"]+pagePath)
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
	return rn.recording(l.Engine(), version, scenarios, srv)
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

// recording joins what the page posted with what srv logged into the
// recording of scenarios.
func (rn *runner) recording(engine, version string, scenarios []conformance.Scenario, srv *conformance.Server) (*conformance.Recording, error) {
	rec := &conformance.Recording{Engine: engine, Version: version}
	warm, err := rn.warmUps()
	if err != nil {
		return nil, err
	}
	rec.WarmUp = warm
	o := srv.Origins()
	for i := range scenarios {
		s := &scenarios[i]
		rn.mu.Lock()
		outs := rn.results[s.ID]
		rn.mu.Unlock()
		if len(outs) != len(s.Calls) {
			return nil, fmt.Errorf("recorder: scenario %s: page reported %d outcomes for %d calls", s.ID, len(outs), len(s.Calls))
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
	return rec, nil
}
