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
	// Progress, if not nil, receives one line per finished scenario and any
	// message the page reports.
	Progress io.Writer
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
// runs every scenario with fetch() and posts each outcome back; the
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
	rn := newRunner(srv.Origins(), scenarios, opts.parallel(l), opts.Progress)
	srv.HandleRunner("A", rn)
	for _, name := range warmOrigins {
		srv.HandleRunner(name, &warmRoute{})
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

// wait returns when the page has posted the outcomes of every scenario, or
// with an error when the warm-up failed, the browser exited or ctx ended.
func (rn *runner) wait(ctx context.Context, engine string, sess Session) error {
	select {
	case <-rn.done:
		return nil
	case err := <-rn.warmErr:
		return err
	case <-sess.Exited():
		return fmt.Errorf("recorder: %s exited before the run finished (%d of %d scenarios)", engine, rn.count(), len(rn.scenarios))
	case <-ctx.Done():
		return fmt.Errorf("recorder: %s run: %w (%d of %d scenarios finished; missing: %s%s)", engine, ctx.Err(), rn.count(), len(rn.scenarios), rn.missing(), rn.missingWarm())
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
