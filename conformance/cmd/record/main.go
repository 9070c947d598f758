//go:build unix

// Command record runs the conformance corpus in a real browser and writes the
// recording, or checks that a fresh recording still matches the stored one.
//
// Usage, from the repository root:
//
//	go run ./conformance/cmd/record -engine chromium -out conformance/testdata/chromium.json
//	go run ./conformance/cmd/record -engine chromium -check
//	go run ./conformance/cmd/record -engine firefox -check
//	go run ./conformance/cmd/record -engine webkit -out conformance/testdata/webkit.json
//
// With -check it records into memory, compares with the stored recording
// (ignoring the browser version) and exits with status 1 on any difference.
// -run restricts the run to scenarios whose id matches a regular expression
// (for experiments; it cannot be combined with -out or -check). -replay then
// replays the fresh recording through fetch.Transport with the engine's
// profile, as TestChromiumRecording and its siblings do with the stored
// ones, and prints every difference: the quickest way to see whether a new
// scenario shows something the profile does not model yet.
//
//	go run ./conformance/cmd/record -engine firefox -scenarios DIR -run 'x-' -replay
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
)

func main() {
	engine := flag.String("engine", "chromium", "browser engine to record: chromium, firefox or webkit")
	out := flag.String("out", "", "write the recording to this file")
	check := flag.Bool("check", false, "record and compare with the stored recording; exit 1 on any difference")
	stored := flag.String("stored", "", "stored recording for -check (default conformance/testdata/<engine>.json)")
	dir := flag.String("scenarios", "conformance/testdata/scenarios", "directory of scenario files")
	binary := flag.String("browser", "", "browser binary (default: the engine's usual command)")
	run := flag.String("run", "", "only scenarios whose id matches this regular expression")
	parallel := flag.Int("parallel", 0, "scenarios run at the same time in the page (0: default)")
	timeout := flag.Duration("timeout", 4*time.Minute, "bound on the browser run")
	dump := flag.String("dump", "", "with -run or -check: also write the fresh recording here")
	verbose := flag.Bool("v", false, "print progress")
	replay := flag.Bool("replay", false, "also replay the fresh recording through fetch.Transport with the engine's profile; exit 1 on any difference")
	flag.Parse()
	if err := mainErr(*engine, *out, *check, *stored, *dir, *binary, *run, *dump, *parallel, *timeout, *verbose, *replay); err != nil {
		fmt.Fprintln(os.Stderr, "record:", err)
		os.Exit(1)
	}
}

func mainErr(engine, out string, check bool, stored, dir, binary, run, dump string, parallel int, timeout time.Duration, verbose, replay bool) error {
	var b conformance.Browser
	switch engine {
	case "chromium":
		b = conformance.Chromium{Binary: binary}
	case "firefox":
		b = conformance.Firefox{Binary: binary}
	case "webkit":
		b = conformance.WebKit{Binary: binary}
	default:
		return fmt.Errorf("unknown engine %q: -engine accepts chromium, firefox or webkit", engine)
	}
	if run != "" && (out != "" || check) {
		return fmt.Errorf("-run cannot be combined with -out or -check: a recording covers the whole corpus")
	}
	if out == "" && !check && run == "" {
		return fmt.Errorf("give -out, -check or -run")
	}
	scenarios, err := conformance.LoadScenarios(os.DirFS(dir), ".")
	if err != nil {
		return err
	}
	if run != "" {
		re, err := regexp.Compile(run)
		if err != nil {
			return err
		}
		var sel []conformance.Scenario
		for _, s := range scenarios {
			if re.MatchString(s.ID) {
				sel = append(sel, s)
			}
		}
		scenarios = sel
		if len(scenarios) == 0 {
			return fmt.Errorf("no scenario matches %q", run)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := conformance.RecordOptions{Timeout: timeout, Parallel: parallel}
	if verbose {
		opts.Progress = os.Stderr
	}
	start := time.Now()
	rec, err := conformance.Record(ctx, b, scenarios, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "recorded %d scenarios with %s in %s\n", len(rec.Scenarios), rec.Version, time.Since(start).Round(time.Second))
	if out != "" {
		if err := writeRecording(out, rec); err != nil {
			return err
		}
	}
	if dump != "" {
		if err := writeRecording(dump, rec); err != nil {
			return err
		}
	}
	if replay {
		rep, err := conformance.Replay(ctx, scenarios, rec, conformance.TransportClients(nil), conformance.ReplayOptions{})
		if err != nil {
			return err
		}
		rep.Write(os.Stdout)
		if n := len(rep.Differences()); n > 0 {
			return fmt.Errorf("%d differences between %s and fetch.Transport with the profile for %s (conformance.Profile)", n, rec.Version, engine)
		}
	}
	if run != "" && dump == "" && !replay {
		return rec.Encode(os.Stdout)
	}
	if !check {
		return nil
	}
	if stored == "" {
		stored = filepath.Join("conformance", "testdata", engine+".json")
	}
	want, err := conformance.ReadRecording(stored)
	if err != nil {
		return err
	}
	diffs := conformance.CompareRecordings(scenarios, want, rec)
	for _, d := range diffs {
		fmt.Println(d)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%d differences between %s (%s) and a fresh recording (%s); re-record if the browser changed, see conformance/README.md", len(diffs), stored, want.Version, rec.Version)
	}
	fmt.Fprintf(os.Stderr, "%s matches a fresh recording (%s)\n", stored, rec.Version)
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
