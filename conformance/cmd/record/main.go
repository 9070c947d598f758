//go:build unix

// Command record runs the conformance corpus in a real browser and writes the
// recording, or checks that a fresh recording still matches the stored one.
//
// Usage, from the repository root:
//
//	go run ./conformance/cmd/record -engine chromium -out conformance/corpus/chromium.json
//	go run ./conformance/cmd/record -engine chromium -check
//	go run ./conformance/cmd/record -engine firefox -check
//	go run ./conformance/cmd/record -engine webkit -out conformance/corpus/webkit.json
//
// With -check it records into memory, compares with the stored recording
// (ignoring the browser version) and exits with status 1 on any difference.
// -run restricts the run to scenarios whose id matches a regular expression
// (for experiments; it cannot be combined with -out or -check). -replay then
// replays the fresh recording through the pages of a fetch.Browser with the
// engine's profile (conformance.TransportSessions), as TestChromiumRecording
// and its siblings do with the stored ones, and prints every difference: the
// quickest way to see whether a new scenario shows something the profile
// does not model yet.
//
//	go run ./conformance/cmd/record -engine firefox -scenarios DIR -run 'x-' -replay
//
// Scenarios with a Local Network Access configuration run in a browser of
// their own per configuration (see conformance/README.md). -firefox-pref
// name=value (repeatable) adds a preference to the user.js of those
// Firefox browsers only, to record them with a setting other than the
// engine's default:
//
//	go run ./conformance/cmd/record -engine firefox -scenarios /tmp/lna-scen -run '^lna-' -firefox-pref network.lna.blocking=false -dump /tmp/lna/firefox-noblocking.json
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/corsfetch/corsfetch/conformance/recorder"
)

// corpusDir is where the corpus lives, from the repository root.
var corpusDir = filepath.Join("conformance", "corpus")

// options are the command's flags.
type options struct {
	engine, out, stored, dir, binary, run, dump string
	check, verbose, replay                      bool
	parallel                                    int
	timeout, stepTimeout                        time.Duration
	firefoxPrefs                                prefList
}

// prefList collects the values of a repeated -firefox-pref.
type prefList []recorder.Pref

func (l *prefList) String() string {
	var s []string
	for _, p := range *l {
		s = append(s, fmt.Sprintf("%s=%v", p.Name, p.Value))
	}
	return strings.Join(s, " ")
}

func (l *prefList) Set(v string) error {
	p, err := recorder.ParsePref(v)
	if err != nil {
		return err
	}
	*l = append(*l, p)
	return nil
}

func main() {
	var o options
	flag.StringVar(&o.engine, "engine", "chromium", "browser engine to record: chromium, firefox or webkit")
	flag.StringVar(&o.out, "out", "", "write the recording to this file")
	flag.BoolVar(&o.check, "check", false, "record and compare with the stored recording; exit 1 on any difference")
	flag.StringVar(&o.stored, "stored", "", "stored recording for -check (default "+filepath.Join(corpusDir, "<engine>.json")+")")
	flag.StringVar(&o.dir, "scenarios", filepath.Join(corpusDir, "scenarios"), "directory of scenario files")
	flag.StringVar(&o.binary, "browser", "", "browser binary (default: the engine's usual command)")
	flag.StringVar(&o.run, "run", "", "only scenarios whose id matches this regular expression")
	flag.IntVar(&o.parallel, "parallel", 0, "scenarios run at the same time in the page (0: default)")
	flag.DurationVar(&o.timeout, "timeout", 4*time.Minute, "bound on the run in each browser (Local Network Access scenarios run in browsers of their own)")
	flag.DurationVar(&o.stepTimeout, "step-timeout", 30*time.Second, "bound on each page load of a paged scenario (plus its calls' delays)")
	flag.StringVar(&o.dump, "dump", "", "with -run or -check: also write the fresh recording here")
	flag.BoolVar(&o.verbose, "v", false, "print progress")
	flag.Var(&o.firefoxPrefs, "firefox-pref", "name=value: a Firefox preference for the browsers of Local Network Access scenarios only (repeatable; true/false, integers, else strings)")
	flag.BoolVar(&o.replay, "replay", false, "also replay the fresh recording through a fetch.Browser with the engine's profile; exit 1 on any difference")
	flag.Parse()
	if err := mainErr(o); err != nil {
		fmt.Fprintln(os.Stderr, "record:", err)
		os.Exit(1)
	}
}

func mainErr(o options) error {
	l, err := o.launcher()
	if err != nil {
		return err
	}
	if err := o.validate(); err != nil {
		return err
	}
	scenarios, err := loadScenarios(o.dir, o.run)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rec, err := record(ctx, l, scenarios, o)
	if err != nil {
		return err
	}
	for _, path := range []string{o.out, o.dump} {
		if path == "" {
			continue
		}
		if err := writeRecording(path, rec); err != nil {
			return err
		}
	}
	if o.replay {
		if err := replay(ctx, scenarios, rec, o.engine); err != nil {
			return err
		}
	}
	switch {
	case o.run != "" && o.dump == "" && !o.replay:
		return rec.Encode(os.Stdout)
	case o.check:
		return check(scenarios, rec, o.storedPath())
	}
	return nil
}

// launcher returns the launcher of the engine.
func (o options) launcher() (recorder.Launcher, error) {
	switch o.engine {
	case "chromium":
		return recorder.ChromiumLauncher{Binary: o.binary}, nil
	case "firefox":
		return recorder.FirefoxLauncher{Binary: o.binary, LNAPrefs: o.firefoxPrefs}, nil
	case "webkit":
		return recorder.WebKitLauncher{Binary: o.binary}, nil
	}
	return nil, fmt.Errorf("unknown engine %q: -engine accepts chromium, firefox or webkit", o.engine)
}

// validate reports flags that do not go together.
func (o options) validate() error {
	if o.run != "" && (o.out != "" || o.check) {
		return errors.New("-run cannot be combined with -out or -check: a recording covers the whole corpus")
	}
	if o.out == "" && !o.check && o.run == "" {
		return errors.New("give -out, -check or -run")
	}
	if len(o.firefoxPrefs) > 0 {
		switch {
		case o.engine != "firefox":
			return errors.New("-firefox-pref needs -engine firefox")
		case o.check && o.stored == "", filepath.Clean(o.out) == o.storedPath():
			return errors.New("-firefox-pref cannot write or check the stored recording, which has the engine's defaults: give -dump, another -out or -stored")
		}
	}
	return nil
}

// storedPath returns the stored recording that -check compares with.
func (o options) storedPath() string {
	if o.stored != "" {
		return o.stored
	}
	return filepath.Join(corpusDir, o.engine+".json")
}

// loadScenarios loads the scenarios in dir, only those whose id matches run
// when it is not empty.
func loadScenarios(dir, run string) ([]conformance.Scenario, error) {
	scenarios, err := conformance.LoadScenarios(os.DirFS(dir), ".")
	if err != nil || run == "" {
		return scenarios, err
	}
	re, err := regexp.Compile(run)
	if err != nil {
		return nil, err
	}
	var sel []conformance.Scenario
	for _, s := range scenarios {
		if re.MatchString(s.ID) {
			sel = append(sel, s)
		}
	}
	if len(sel) == 0 {
		return nil, fmt.Errorf("no scenario matches %q", run)
	}
	return sel, nil
}

// record records scenarios with l and says how long it took, and how each
// browser of Local Network Access scenarios was set up.
func record(ctx context.Context, l recorder.Launcher, scenarios []conformance.Scenario, o options) (*conformance.Recording, error) {
	opts := recorder.RecordOptions{Timeout: o.timeout, StepTimeout: o.stepTimeout, Parallel: o.parallel}
	if o.verbose {
		opts.Progress = os.Stderr
	}
	start := time.Now()
	rec, err := recorder.Record(ctx, l, scenarios, opts)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "recorded %d scenarios with %s in %s\n", len(rec.Scenarios), rec.Version, time.Since(start).Round(time.Second))
	if o.verbose {
		for _, run := range rec.LNA {
			fmt.Fprintf(os.Stderr, "Local Network Access configuration %q: %d scenarios\n", run.Config, len(run.Scenarios))
			for _, line := range run.Setup {
				fmt.Fprintf(os.Stderr, "\t%s\n", line)
			}
		}
	}
	return rec, nil
}

// replay replays rec through the pages of a fetch.Browser with the engine's
// profile and prints the report; any difference is an error.
func replay(ctx context.Context, scenarios []conformance.Scenario, rec *conformance.Recording, engine string) error {
	rep, err := conformance.Replay(ctx, scenarios, rec, conformance.TransportSessions(nil), conformance.ReplayOptions{})
	if err != nil {
		return err
	}
	rep.Write(os.Stdout)
	if n := len(rep.Differences()); n > 0 {
		return fmt.Errorf("%d differences between %s and fetch.Browser with the profile for %s (conformance.TransportSessions)", n, rec.Version, engine)
	}
	return nil
}

// check compares rec with the recording stored at path and prints every
// difference; any difference is an error.
func check(scenarios []conformance.Scenario, rec *conformance.Recording, path string) error {
	want, err := conformance.ReadRecording(path)
	if err != nil {
		return err
	}
	diffs := conformance.CompareRecordings(scenarios, want, rec)
	for _, d := range diffs {
		fmt.Println(d)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%d differences between %s (%s) and a fresh recording (%s); re-record if the browser changed, see conformance/README.md", len(diffs), path, want.Version, rec.Version)
	}
	fmt.Fprintf(os.Stderr, "%s matches a fresh recording (%s)\n", path, rec.Version)
	return nil
}

// writeRecording writes rec to path through a temporary file, so that a
// failed write never leaves a truncated recording.
func writeRecording(path string, rec *conformance.Recording) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".recording-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := rec.Encode(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
