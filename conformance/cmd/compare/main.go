//go:build linux

// Command compare runs the conformance corpus through fetch.Transport and
// through headless Chromium, on the same kind of loopback scenario server,
// and prints the wall time, throughput and peak memory of each, and their
// ratios.
//
// Usage, from anywhere in the module (it uses the corpus and the Chromium
// recording built into package corpus):
//
//	go run ./conformance/cmd/compare            # 3 runs of each
//	go run ./conformance/cmd/compare -n 5 -v
//
// It needs Linux (it reads /proc) and Chromium (Debian's package
// "chromium"). Every run is checked against the stored Chromium recording,
// so the two sides are known to have done the same work.
//
// Three sets of scenarios run, interleaved, n times each:
//
//   - the whole corpus. Some of its scenarios wait (delay_ms, for
//     preflight-cache expiry), so its wall time is mostly sleeping, the
//     same on both sides;
//   - the scenarios without delay_ms, whose wall time is work;
//   - one scenario without delay_ms, whose wall time is Chromium's start-up
//     and shutdown. The throughput "net of start-up" divides the other
//     scenarios of the set without delay_ms by the difference of the two
//     wall times.
//
// How memory is measured:
//
//   - Chromium: the recorder starts the browser in a process group of its
//     own. Every period (-sample, default 20 ms) the command sums VmRSS from
//     /proc/<pid>/status over every process of that group, from start to
//     shutdown, and keeps the largest sum. That counts the pages Chromium's
//     processes share once per process, so it also reports the largest
//     summed Pss (/proc/<pid>/smaps_rollup, shared pages divided among the
//     processes that map them), sampled every 25 periods because the kernel
//     takes about 20 ms of CPU to compute it for a browser.
//   - fetch.Transport: it runs in this process, next to the scenario server.
//     Before each run the command starts the server, collects garbage and
//     returns free memory to the kernel, then reads this process's VmRSS:
//     the baseline. During the run it samples VmRSS and the Go heap every
//     period and reads VmHWM (the kernel's peak RSS, reset after the
//     baseline) at the end. The figure is the peak minus the baseline. It
//     includes what the server and the replay harness use for the run on
//     top of the clients, so it is an upper bound of the Transport's share.
//     The pages it counts are the process's own, so its Pss is the same.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/corsfetch/corsfetch/conformance/corpus"
	"github.com/corsfetch/corsfetch/conformance/recorder"
)

func main() {
	n := flag.Int("n", 3, "runs of each set of scenarios on each side")
	binary := flag.String("browser", "chromium", "Chromium binary")
	parallel := flag.Int("parallel", 16, "scenarios run at the same time, on both sides")
	period := flag.Duration("sample", 20*time.Millisecond, "memory sampling period")
	timeout := flag.Duration("timeout", 4*time.Minute, "bound on one Chromium run")
	verbose := flag.Bool("v", false, "print each run as it ends")
	flag.Parse()
	if *n < 1 || *parallel < 1 || *period <= 0 {
		fmt.Fprintln(os.Stderr, "compare: -n and -parallel must be at least 1, -sample positive")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := config{runs: *n, binary: *binary, parallel: *parallel, period: *period, timeout: *timeout}
	if *verbose {
		cfg.progress = os.Stderr
	}
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

type config struct {
	runs     int
	binary   string
	parallel int
	period   time.Duration
	timeout  time.Duration
	progress io.Writer // nil: quiet
}

// set is a set of scenarios that both sides run.
type set struct {
	name      string
	scenarios []conformance.Scenario
}

// result is one run of a set on one side.
type result struct {
	wall     time.Duration
	mem      int64    // peak memory as described in the package doc (summed VmRSS for Chromium)
	pss      int64    // Chromium: peak summed Pss
	heap     int64    // Transport: peak Go heap objects above the baseline
	procs    int      // Chromium: most processes at once
	disagree []string // scenarios that differ from the stored recording
}

// sets are the three sets of scenarios both sides run, from the corpus.
type sets struct {
	all     []conformance.Scenario // the whole corpus
	quick   []conformance.Scenario // the scenarios without delay_ms
	longest int                    // the longest total delay_ms of a scenario
	list    []set                  // the whole corpus, quick, and quick[:1]
}

// The names of the sets.
const (
	setAll   = "whole corpus"
	setQuick = "without delay_ms"
	setOne   = "one scenario"
)

// results holds every run: side ("transport" or "chromium") → set name →
// the runs of that set, in order.
type results map[string]map[string][]result

func run(ctx context.Context, w io.Writer, cfg config) error {
	if _, err := exec.LookPath(cfg.binary); err != nil {
		return fmt.Errorf("%s not found (%v): install Debian's package chromium (apt-get install chromium) or give its path with -browser", cfg.binary, err)
	}
	st, err := corpusSets()
	if err != nil {
		return err
	}
	rec, err := corpus.Recording("chromium")
	if err != nil {
		return err
	}
	version, err := recorder.ChromiumLauncher{Binary: cfg.binary}.Version(ctx)
	if err != nil {
		return fmt.Errorf("%s --version: %v", cfg.binary, err)
	}
	self, err := openSelfMemory()
	if err != nil {
		return err
	}
	defer self.close()

	// One run of each side first, not measured: lazy initialisation (the
	// Public Suffix List, the browser's files in the page cache) is not
	// part of running a corpus.
	if _, err := runTransport(ctx, st.quick, rec, self, cfg); err != nil {
		return fmt.Errorf("fetch.Transport, warm-up: %w", err)
	}
	if _, err := runChromium(ctx, st.quick[:1], rec, version, cfg); err != nil {
		return fmt.Errorf("chromium, warm-up: %w", err)
	}
	loadBefore := loadAverage()
	res, err := measure(ctx, st, rec, version, self, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "fetch.Transport and headless Chromium, the conformance corpus on loopback; runs of each set: %d\n", cfg.runs)
	fmt.Fprintf(w, "machine: %d CPUs, %s %s/%s; %s; %d scenarios at a time on both sides\n",
		runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, version, cfg.parallel)
	fmt.Fprintf(w, "load average (1, 5, 15 min) before the runs: %s; after: %s\n", loadBefore, loadAverage())
	fmt.Fprintln(w, "figures: median of the runs, (min-max) or (max); ratio: how many times cheaper fetch.Transport is")
	writeTables(w, st, res)
	writeNetThroughput(w, st, res)
	fmt.Fprintln(w)
	for _, side := range []string{"transport", "chromium"} {
		writeAgreement(w, side, res[side])
	}
	fmt.Fprint(w, method)
	return nil
}

// corpusSets returns the sets of scenarios of the built-in corpus.
func corpusSets() (sets, error) {
	all, err := corpus.Scenarios()
	if err != nil {
		return sets{}, err
	}
	st := sets{all: all}
	for _, s := range all {
		d := delay(s)
		st.longest = max(st.longest, d)
		if d == 0 {
			st.quick = append(st.quick, s)
		}
	}
	if len(st.quick) < 2 {
		return sets{}, fmt.Errorf("the corpus has %d scenarios without delay_ms; need at least 2", len(st.quick))
	}
	st.list = []set{
		{name: setAll, scenarios: all},
		{name: setQuick, scenarios: st.quick},
		{name: setOne, scenarios: st.quick[:1]},
	}
	return st, nil
}

// measure runs every set on both sides, interleaved, cfg.runs times.
func measure(ctx context.Context, st sets, rec *conformance.Recording, version string, self *selfMemory, cfg config) (results, error) {
	res := results{"transport": {}, "chromium": {}}
	for i := range cfg.runs {
		for _, s := range st.list {
			tr, err := runTransport(ctx, s.scenarios, rec, self, cfg)
			if err != nil {
				return nil, fmt.Errorf("fetch.Transport, %s: %w", s.name, err)
			}
			res["transport"][s.name] = append(res["transport"][s.name], tr)
			cr, err := runChromium(ctx, s.scenarios, rec, version, cfg)
			if err != nil {
				return nil, fmt.Errorf("chromium, %s: %w", s.name, err)
			}
			res["chromium"][s.name] = append(res["chromium"][s.name], cr)
			if cfg.progress != nil {
				fmt.Fprintf(cfg.progress, "run %d/%d, %s (%d scenarios): Transport %s, %s; Chromium %s, %s in %d processes\n",
					i+1, cfg.runs, s.name, len(s.scenarios), seconds(tr.wall.Seconds()), mib(tr.mem), seconds(cr.wall.Seconds()), mib(cr.mem), cr.procs)
			}
		}
	}
	return res, nil
}

// writeTables prints the figures of the whole corpus and of the scenarios
// without delay_ms.
func writeTables(w io.Writer, st sets, res results) {
	for _, s := range st.list[:2] {
		tr, cr := res["transport"][s.name], res["chromium"][s.name]
		fmt.Fprintln(w)
		if s.name == setAll {
			fmt.Fprintf(w, "%s: %d scenarios, of which %d wait (delay_ms, the longest %.1f s in all): mostly sleeping, the same on both sides\n",
				s.name, len(s.scenarios), len(st.all)-len(st.quick), float64(st.longest)/1000)
		} else {
			fmt.Fprintf(w, "%s: the %d scenarios that do not wait: work, not sleeping\n", s.name, len(s.scenarios))
		}
		table(w, len(s.scenarios), tr, cr)
	}
}

// writeNetThroughput prints the wall time of one scenario (a browser's
// start-up and shutdown) and the throughput of the scenarios without
// delay_ms net of it.
func writeNetThroughput(w io.Writer, st sets, res results) {
	tq, cq := median(walls(res["transport"][setQuick])), median(walls(res["chromium"][setQuick]))
	t1, c1 := median(walls(res["transport"][setOne])), median(walls(res["chromium"][setOne]))
	fmt.Fprintln(w)
	fmt.Fprintf(w, "one scenario (%s), wall time: fetch.Transport %s, Chromium %s (start-up and shutdown)\n", st.quick[0].ID, seconds(t1), seconds(c1))
	if tq > t1 && cq > c1 {
		tn, cn := rate(len(st.quick)-1, tq-t1), rate(len(st.quick)-1, cq-c1)
		fmt.Fprintf(w, "without delay_ms, net of that run: fetch.Transport %.0f scenarios/s, Chromium %.0f scenarios/s, ratio %.1fx\n", tn, cn, tn/cn)
	}
}

// writeAgreement prints whether side agreed with the stored Chromium
// recording in every run.
func writeAgreement(w io.Writer, side string, runs map[string][]result) {
	n, differing := 0, map[string]bool{}
	for _, rs := range runs {
		for _, r := range rs {
			n++
			for _, id := range r.disagree {
				differing[id] = true
			}
		}
	}
	name := map[string]string{"transport": "fetch.Transport", "chromium": "Chromium"}[side]
	var unexpected []string
	for _, id := range slices.Sorted(maps.Keys(differing)) {
		if why, ok := notSimulated[id]; ok && side == "transport" {
			fmt.Fprintf(w, "%s differs from the stored Chromium recording in %s, as expected: %s.\n", name, id, why)
			continue
		}
		unexpected = append(unexpected, id)
	}
	if len(unexpected) == 0 {
		other := map[bool]string{false: "", true: "other "}[len(differing) > 0]
		fmt.Fprintf(w, "%s agreed with the stored Chromium recording in every %sscenario of all its %d runs (the three sets).\n", name, other, n)
	} else {
		fmt.Fprintf(w, "WARNING: %s differed from the stored Chromium recording, in some of %d runs, in: %s\n", name, n, strings.Join(unexpected, " "))
	}
}

// notSimulated are the scenarios in which fetch.Transport cannot agree with
// Chromium, and why (fetch's own replay test, fetch/conformance_test.go,
// lists them too): Go's HTTP client changes a response head before the
// Transport sees it.
var notSimulated = map[string]string{
	"expose-pragma-no-cache-only":       goPragma,
	"expose-pragma-no-cache-only-basic": goPragma,
	"expose-value-control-01":           goHead,
	"expose-value-control-0b":           goHead,
	"expose-value-control-0b-basic":     goHead,
	"expose-value-control-0c":           goHead,
	"expose-value-control-0c-basic":     goHead,
	"expose-value-control-7f":           goHead,
	"expose-vertical-tab":               goHead,
	"expose-form-feed":                  goHead,
	"expose-header-control-char-value":  goHead,
	"expose-header-del-value":           goHead,
	"expose-name-latin1":                goHead,
}

// The reasons of notSimulated.
const (
	goPragma = "net/http adds Cache-Control: no-cache to a response with Pragma: no-cache and no Cache-Control"
	goHead   = "net/http refuses a response head with a control byte in a field value or a byte above 0x7F in a name"
)

const method = `
Method:
  wall time: conformance.Replay over conformance.TransportSessions(nil) (a fresh fetch.Browser
    per scenario, whose pages share its cookies and caches) against a server started beforehand; recorder.Record with Chromium (fresh
    profile, browser start, the runner page, shutdown; the version query is done once, before).
  Chromium memory: peak over the run of the summed VmRSS (/proc/<pid>/status) of every process
    in the browser's process group, sampled every period; shared pages count once per process.
    Pss: the same with /proc/<pid>/smaps_rollup's Pss (shared pages divided among the processes
    that map them), sampled every 25 periods (it costs the kernel about 20 ms per sample).
  fetch.Transport memory: this process's peak RSS during the run (VmHWM, reset after the
    baseline, and samples) minus the baseline: RSS with the server alone running, after a GC
    that returned free memory to the kernel. It includes the server's and the replay harness's
    share of the run, so it overstates the Transport's; its pages are the process's own, so
    its Pss is the same. "Go heap" is the peak of /memory/classes/heap/objects:bytes above its
    baseline.
`

// table prints one set's figures.
func table(w io.Writer, n int, tr, cr []result) {
	tw, cw := walls(tr), walls(cr)
	tm, cm := mems(tr), mems(cr)
	row := func(label, t, c, ratio string) {
		fmt.Fprintf(w, "  %-22s %-30s %-30s %s\n", label, t, c, ratio)
	}
	row("", "fetch.Transport", "headless Chromium", "ratio")
	row("wall time", spread(tw, seconds), spread(cw, seconds), fmt.Sprintf("%.1fx", median(cw)/median(tw)))
	row("scenarios per second", fmt.Sprintf("%.1f", rate(n, median(tw))), fmt.Sprintf("%.1f", rate(n, median(cw))),
		fmt.Sprintf("%.1fx", rate(n, median(tw))/rate(n, median(cw))))
	var heaps, psss []float64
	procs := 0
	for _, r := range tr {
		heaps = append(heaps, float64(r.heap))
	}
	for _, r := range cr {
		psss = append(psss, float64(r.pss))
		procs = max(procs, r.procs)
	}
	row("peak memory, RSS", peak(tm), peak(cm), fmt.Sprintf("%.0fx", median(cm)/max(median(tm), 1)))
	row("peak memory, Pss", "(the same)", peak(psss), fmt.Sprintf("%.0fx", median(psss)/max(median(tm), 1)))
	row("", "Go heap "+peak(heaps), fmt.Sprintf("%d processes", procs), "")
}

func runTransport(ctx context.Context, scenarios []conformance.Scenario, rec *conformance.Recording, self *selfMemory, cfg config) (result, error) {
	srv, err := conformance.NewServer(scenarios)
	if err != nil {
		return result{}, err
	}
	defer srv.Close()
	// Connections of the previous run must not count in the baseline.
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	runtime.GC()
	debug.FreeOSMemory()
	baseRSS, _, baseHeap, err := self.read()
	if err != nil {
		return result{}, err
	}
	p := startSelfPeak(self, cfg.period)
	start := time.Now()
	rep, err := conformance.Replay(ctx, scenarios, rec, conformance.TransportSessions(nil), conformance.ReplayOptions{Server: srv, Parallel: cfg.parallel})
	wall := time.Since(start)
	rss, heap, _ := p.stop()
	if err != nil {
		return result{}, err
	}
	r := result{wall: wall, mem: rss - baseRSS, heap: heap - baseHeap}
	for _, res := range rep.Results {
		if len(res.Differences) > 0 {
			r.disagree = append(r.disagree, res.ID)
		}
	}
	return r, nil
}

func runChromium(ctx context.Context, scenarios []conformance.Scenario, rec *conformance.Recording, version string, cfg config) (result, error) {
	runtime.GC()
	b := &measuredLauncher{ChromiumLauncher: recorder.ChromiumLauncher{Binary: cfg.binary}, version: version, period: cfg.period}
	start := time.Now()
	got, err := recorder.Record(ctx, b, scenarios, recorder.RecordOptions{Timeout: cfg.timeout, Parallel: cfg.parallel})
	wall := time.Since(start)
	if err != nil {
		return result{}, err
	}
	if b.samples == 0 {
		return result{}, fmt.Errorf("no memory sample of the browser was taken")
	}
	r := result{wall: wall, mem: b.rss, pss: b.pss, procs: b.procs}
	for i := range scenarios {
		s := &scenarios[i]
		if len(conformance.CompareScenario(s, rec.Scenario(s.ID), got.Scenario(s.ID))) > 0 {
			r.disagree = append(r.disagree, s.ID)
		}
	}
	return r, nil
}

// measuredLauncher is Chromium whose sessions sample the memory of the
// browser's process group from start to shutdown. Version returns the
// version found beforehand, so that a run does not time "chromium --version".
type measuredLauncher struct {
	recorder.ChromiumLauncher
	version string
	period  time.Duration

	mu       sync.Mutex
	rss, pss int64
	procs    int
	samples  int
}

func (b *measuredLauncher) Version(context.Context) (string, error) { return b.version, nil }

func (b *measuredLauncher) Open(ctx context.Context, pageURL string) (recorder.Session, error) {
	sess, err := b.ChromiumLauncher.Open(ctx, pageURL)
	if err != nil {
		return nil, err
	}
	groups, err := childGroups()
	if err != nil {
		sess.Stop()
		return nil, err
	}
	return &measuredSession{Session: sess, b: b, g: startGroupPeak(groups, b.period)}, nil
}

type measuredSession struct {
	recorder.Session
	b    *measuredLauncher
	g    *groupPeak
	once sync.Once
}

// Stop takes the last sample before the browser is killed.
func (s *measuredSession) Stop() error {
	s.once.Do(func() {
		rss, pss, procs, n := s.g.stop()
		s.b.mu.Lock()
		s.b.rss, s.b.pss = max(s.b.rss, rss), max(s.b.pss, pss)
		s.b.procs, s.b.samples = max(s.b.procs, procs), s.b.samples+n
		s.b.mu.Unlock()
	})
	return s.Session.Stop()
}

// loadAverage returns the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// delay is the total of a scenario's delay_ms.
func delay(s conformance.Scenario) int {
	d := 0
	for _, c := range s.Calls {
		d += c.DelayMS
	}
	return d
}

func walls(rs []result) []float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = r.wall.Seconds()
	}
	return v
}

func mems(rs []result) []float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = float64(r.mem)
	}
	return v
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func rate(n int, secs float64) float64 { return float64(n) / secs }

// spread formats the median and the range of v.
func spread(v []float64, format func(float64) string) string {
	if len(v) == 1 {
		return format(v[0])
	}
	return fmt.Sprintf("%s (%s-%s)", format(median(v)), strings.TrimSuffix(format(slices.Min(v)), " s"), format(slices.Max(v)))
}

// peak formats the median and the largest of memory figures.
func peak(v []float64) string {
	if len(v) == 1 {
		return mib(int64(v[0]))
	}
	return fmt.Sprintf("%s (max %s)", mib(int64(median(v))), mib(int64(slices.Max(v))))
}

func seconds(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.3f s", s)
	}
	return fmt.Sprintf("%.2f s", s)
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
