package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/google/go-cmp/cmp"
)

// fakeLauncher stands in for a real browser: its "page" is Go code that
// speaks the runner page's protocol.
type fakeLauncher struct {
	versionErr error
	// page plays the runner page; nil means a page that does nothing.
	page func(ctx context.Context, pageURL string)
	// exit makes the browser exit by itself right after starting.
	exit bool

	mu       sync.Mutex
	sessions []*fakeSession
}

func (b *fakeLauncher) Engine() string { return "fake" }

func (b *fakeLauncher) Version(context.Context) (string, error) {
	return "Fake 1.0", b.versionErr
}

func (b *fakeLauncher) Open(ctx context.Context, pageURL string) (Session, error) {
	return b.openPage(pageURL, b.page)
}

// openPage starts a fake browser whose page is page.
func (b *fakeLauncher) openPage(pageURL string, page func(ctx context.Context, pageURL string)) (Session, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &fakeSession{exited: make(chan struct{}), cancel: cancel}
	b.mu.Lock()
	b.sessions = append(b.sessions, s)
	b.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if b.exit {
			close(s.exited)
			return
		}
		if page != nil {
			page(ctx, pageURL)
		}
	}()
	return s, nil
}

type fakeSession struct {
	exited chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu    sync.Mutex
	stops int
}

func (s *fakeSession) Exited() <-chan struct{} { return s.exited }

func (s *fakeSession) Stop() error {
	s.cancel()
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stops++
	return nil
}

// stoppedOnce reports whether every session was stopped exactly once.
func (b *fakeLauncher) stoppedOnce(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.sessions) == 0 {
		t.Error("browser never opened")
	}
	for i, s := range b.sessions {
		s.mu.Lock()
		if s.stops != 1 {
			t.Errorf("session %d stopped %d times; want 1", i, s.stops)
		}
		s.mu.Unlock()
	}
}

// playPage fetches the scenario list, warms up like a browser with a
// preflight cache, and, for every call, sends the request with a plain Go
// client and reports its status; extra adds outcomes. Then it follows the
// tour of paged scenarios.
func playPage(extra int) func(ctx context.Context, pageURL string) {
	return playPageWith(extra, warmCached)
}

// How a fake page does the warm-up.
const (
	warmCached  = iota // preflights the first call only, as a browser's cache does
	warmAlways         // preflights every call, as without a preflight cache
	warmSkip           // reports no warm-up
	warmFail           // reports a failed fetch for P, then stops
	warmBlocked        // reports a failed fetch for every origin, and goes on
)

// How a fake page follows the tour of paged scenarios.
const (
	tourFollow = iota // navigates where the server says
	tourStay          // never navigates: the tab stays on the first page
	tourJump          // navigates to the load after the one the server names
	tourNever         // never asks where to go after the batch
)

func playPageWith(extra, warm int) func(ctx context.Context, pageURL string) {
	return (&fakePage{extra: extra, warm: warm}).play
}

// fakePage plays the runner page with a plain Go client.
type fakePage struct {
	extra, warm, tour int
	// nextDelay delays the batch page's question where to go next.
	nextDelay time.Duration

	mu      sync.Mutex
	visited []string // the page URLs the tab loaded, in order
}

func (p *fakePage) play(ctx context.Context, pageURL string) {
	next := p.batch(ctx, pageURL)
	for next != "" && p.tour != tourStay {
		if p.tour == tourJump {
			next = strings.Replace(next, "load=0", "load=1", 1)
		}
		next = p.load(ctx, next)
	}
}

// get returns the body of a GET of u, nil on failure.
func get(ctx context.Context, u string) []byte {
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}

// post posts v as JSON to u and returns the body of the answer.
func post(ctx context.Context, u string, v any) []byte {
	b, _ := json.Marshal(v)
	req, _ := http.NewRequestWithContext(ctx, "POST", u, bytes.NewReader(b))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	b, _ = io.ReadAll(resp.Body)
	return b
}

// open loads the page at pageURL; it reports whether it is the runner.
func (p *fakePage) open(ctx context.Context, pageURL string) bool {
	p.mu.Lock()
	p.visited = append(p.visited, pageURL)
	p.mu.Unlock()
	return bytes.Contains(get(ctx, pageURL), []byte("/runner/loaded"))
}

// batch plays the first page and returns where the server sends the tab.
func (p *fakePage) batch(ctx context.Context, pageURL string) string {
	base := strings.TrimSuffix(pageURL, pagePath)
	if !p.open(ctx, pageURL) {
		return ""
	}
	var list struct {
		Parallel  int            `json:"parallel"`
		Warm      []warmTarget   `json:"warm"`
		Scenarios []pageScenario `json:"scenarios"`
	}
	if err := json.Unmarshal(get(ctx, base+scenariosPath), &list); err != nil {
		return ""
	}
	if !p.warmUp(ctx, base, list.Warm) {
		return ""
	}
	for _, s := range list.Scenarios {
		res := pageResult{ID: s.ID, Outcomes: p.calls(ctx, base, s.Calls)}
		for range p.extra {
			res.Outcomes = append(res.Outcomes, conformance.Outcome{TypeError: true})
		}
		post(ctx, base+resultPath, res)
	}
	if p.tour == tourNever {
		return ""
	}
	select {
	case <-time.After(p.nextDelay):
	case <-ctx.Done():
		return ""
	}
	var next struct{ Next string }
	json.Unmarshal(post(ctx, base+nextPath, struct{}{}), &next)
	return next.Next
}

// load plays the page of the tour at pageURL and returns where the server
// sends the tab next.
func (p *fakePage) load(ctx context.Context, pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil || !p.open(ctx, pageURL) {
		return ""
	}
	base := u.Scheme + "://" + u.Host
	var l struct {
		Warm  []warmTarget `json:"warm"`
		Calls []pageCall   `json:"calls"`
	}
	if err := json.Unmarshal(get(ctx, base+loadPath+"?"+u.RawQuery), &l); err != nil || !p.warmUp(ctx, base, l.Warm) {
		return ""
	}
	index, _ := strconv.Atoi(u.Query().Get("load"))
	res := loadResult{ID: u.Query().Get("scenario"), Load: index, Outcomes: p.calls(ctx, base, l.Calls)}
	var next struct{ Next string }
	json.Unmarshal(post(ctx, base+loadedPath, res), &next)
	return next.Next
}

// calls makes calls from the page at base and returns their outcomes: the
// status and URL, and the page's origin as the body.
func (p *fakePage) calls(ctx context.Context, base string, calls []pageCall) []conformance.Outcome {
	outs := []conformance.Outcome{}
	for _, c := range calls {
		method, _ := c.Init["method"].(string)
		if method == "" {
			method = "GET"
		}
		req, _ := http.NewRequestWithContext(ctx, method, c.URL, nil)
		req.Header.Set("Origin", base)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return outs
		}
		resp.Body.Close()
		outs = append(outs, conformance.Outcome{Type: "cors", Status: resp.StatusCode, URL: c.URL, Body: base + "/x"})
	}
	return outs
}

// warmUp warms up targets from the page at base as p.warm says; it reports
// whether the page goes on.
func (p *fakePage) warmUp(ctx context.Context, base string, targets []warmTarget) bool {
	for _, t := range targets {
		if p.warm == warmSkip {
			break
		}
		res := warmResult{WarmUp: conformance.WarmUp{Origin: t.Name}}
		if p.warm == warmFail || p.warm == warmBlocked {
			res.Error = "TypeError: NetworkError when attempting to fetch resource."
		}
		prev := -1
		for res.Calls < t.Max && !res.Settled && res.Error == "" {
			if p.warm == warmAlways || res.Calls == 0 {
				req, _ := http.NewRequestWithContext(ctx, "OPTIONS", t.URL, nil)
				req.Header.Set("Origin", base)
				req.Header.Set("Access-Control-Request-Method", "PUT")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return false
				}
				resp.Body.Close()
			}
			var v struct{ Preflights int }
			req, _ := http.NewRequestWithContext(ctx, "PUT", t.URL, nil)
			req.Header.Set("Origin", base)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return false
			}
			json.NewDecoder(resp.Body).Decode(&v)
			resp.Body.Close()
			res.Calls++
			res.Settled = v.Preflights == prev
			res.Preflights, prev = v.Preflights, v.Preflights
		}
		post(ctx, base+warmedPath, res)
		if p.warm == warmFail {
			return false
		}
	}
	return true
}

func recordScenarios() []conformance.Scenario {
	return []conformance.Scenario{
		{ID: "r2", Area: "t", Desc: "d", Reason: "r",
			Calls:  []conformance.CallSpec{{URL: "{B}/r"}, {URL: "{C}/x", Method: "PUT"}},
			Routes: []conformance.Route{{At: "{B}/r"}}},
		{ID: "r1", Area: "t", Desc: "d", Reason: "r",
			Calls:  []conformance.CallSpec{{URL: "{P}/r", DelayMS: 1}},
			Routes: []conformance.Route{{At: "{P}/r", Response: conformance.Answer{Status: 202}}}},
	}
}

func TestRecord(t *testing.T) {
	t.Parallel()
	b := &fakeLauncher{page: playPage(0)}
	rec, err := Record(t.Context(), b, recordScenarios(), RecordOptions{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b.stoppedOnce(t)
	if rec.Engine != "fake" || rec.Version != "Fake 1.0" {
		t.Errorf("engine, version = %q, %q", rec.Engine, rec.Version)
	}
	if len(rec.Scenarios) != 2 || rec.Scenarios[0].ID != "r1" {
		t.Fatalf("scenarios = %+v; want r1, r2 in order", rec.Scenarios)
	}
	wantWarm := []conformance.WarmUp{
		{Origin: "P", Calls: 2, Preflights: 1},
		{Origin: "B", Calls: 2, Preflights: 1},
		{Origin: "C", Calls: 2, Preflights: 1},
	}
	if diff := cmp.Diff(wantWarm, rec.WarmUp); diff != "" {
		t.Errorf("warm-up (-want +got):\n%s\n(a page whose cache serves the second call needs one preflight in two calls per origin)", diff)
	}
	r1, r2 := rec.Scenarios[0], rec.Scenarios[1]
	if r1.Outcomes[0].Status != 202 || r1.Outcomes[0].URL != "{P}/r" || r1.Outcomes[0].Body != "{A}/x" {
		t.Errorf("r1 outcome = %+v; want status 202, URL {P}/r and the body untemplated", r1.Outcomes[0])
	}
	if len(r2.Outcomes) != 2 || r2.Outcomes[1].Status != 404 || r2.Outcomes[1].URL != "{C}/x" {
		t.Errorf("r2 outcomes = %+v", r2.Outcomes)
	}
	if len(r2.Requests) != 2 || r2.Requests[0].Origin != "B" || r2.Requests[1].Method != "PUT" || r2.Requests[1].Origin != "C" {
		t.Errorf("r2 requests = %+v; want GET on B then PUT on C", r2.Requests)
	}
	for _, s := range rec.Scenarios {
		for _, o := range s.Outcomes {
			if o.Headers == nil {
				t.Errorf("%s: nil header list; recordings store []", s.ID)
			}
		}
	}
}

func TestRecordFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		launcher           *fakeLauncher
		timeout            time.Duration
		wantErr            string
		wantOpened         bool
	}{
		{desc: "version fails", reason: "no version, no recording", launcher: &fakeLauncher{versionErr: errors.New("no binary")}, wantErr: "no binary"},
		{desc: "browser exits", reason: "a crashed browser ends the run at once", launcher: &fakeLauncher{exit: true}, wantErr: "exited", wantOpened: true},
		{desc: "page hangs", reason: "the timeout names what is missing", launcher: &fakeLauncher{}, timeout: 100 * time.Millisecond, wantErr: "missing: r1 r2; no warm-up reported for P B C", wantOpened: true},
		{desc: "wrong outcome count", reason: "a page that reports too many outcomes is wrong", launcher: &fakeLauncher{page: playPage(1)}, wantErr: "outcomes for", wantOpened: true},
		{desc: "no warm-up", reason: "scenarios run without a warm-up may depend on their order in Firefox", launcher: &fakeLauncher{page: playPageWith(0, warmSkip)}, wantErr: "no warm-up for origin P", wantOpened: true},
		{desc: "warm-up fails", reason: "a failed warm-up ends the run at once, with the page's error", launcher: &fakeLauncher{page: playPageWith(0, warmFail)}, wantErr: "origin P failed after 0 calls: TypeError: NetworkError", wantOpened: true},
		{desc: "warm-up never cached", reason: "a warm-up that never reaches the cache leaves the state unknown", launcher: &fakeLauncher{page: playPageWith(0, warmAlways)}, wantErr: "origin P did not settle: 8 preflights in 8 calls", wantOpened: true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			_, err := Record(t.Context(), tt.launcher, recordScenarios(), RecordOptions{Timeout: timeout})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Record() error = %v; want one mentioning %q (%s)", err, tt.wantErr, tt.reason)
			}
			if tt.wantOpened {
				tt.launcher.stoppedOnce(t)
			} else if len(tt.launcher.sessions) != 0 {
				t.Errorf("browser opened although %s", tt.reason)
			}
		})
	}
}

// testOrigins are the origins of a server that is not running.
var testOrigins = conformance.Origins{
	"A": "http://127.0.0.1:40001",
	"P": "http://127.0.0.1:40002",
	"B": "http://127.0.0.2:40003",
	"C": "http://127.0.0.3:40004",
}

func strp(s string) *string { return &s }

func TestPageInit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		call               conformance.CallSpec
		want               string
	}{
		{desc: "given members", spec: "https://fetch.spec.whatwg.org/#requestinit",
			reason: "given members only, repeats kept, header values expanded",
			call: conformance.CallSpec{URL: "{B}/r", Method: "patch",
				Headers: []conformance.Field{{Name: "X-A", Value: "1"}, {Name: "X-A", Value: "{A}"}},
				Body:    strp(""), Mode: "no-cors", Cache: "reload"},
			want: `{"body":"","cache":"reload","headers":[["X-A","1"],["X-A","http://127.0.0.1:40001"]],"method":"patch","mode":"no-cors"}`},
		{desc: "bare call", reason: "an empty init, so that fetch() applies its defaults",
			call: conformance.CallSpec{URL: "{B}/r"}, want: "{}"},
		{desc: "empty header list", reason: "an empty list is given, as the scenario gives it",
			call: conformance.CallSpec{URL: "{B}/r", Headers: []conformance.Field{}}, want: `{"headers":[]}`},
		{desc: "target address space", spec: "https://wicg.github.io/local-network-access/#fetch-api",
			reason: "init.targetAddressSpace as written",
			call:   conformance.CallSpec{URL: "{B}/r", TargetAddressSpace: "local"}, want: `{"targetAddressSpace":"local"}`},
		{desc: "unknown mode", reason: "passed as written: the browser's fetch() rejects it",
			call: conformance.CallSpec{URL: "{B}/r", Mode: "navigate"}, want: `{"mode":"navigate"}`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			call, _ := tt.call.Resolve(testOrigins, "x")
			b, err := json.Marshal(pageInit(tt.call, call))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("init = %s; want %s (%s)", b, tt.want, tt.reason)
			}
		})
	}
}

// serialFake is a fake browser whose engine asks for one scenario at a time.
type serialFake struct{ *fakeLauncher }

func (serialFake) DefaultParallel() int { return 1 }

func TestRecordParallelDefault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		desc     string
		launcher func(*fakeLauncher) Launcher
		parallel int
		want     int
	}{
		{desc: "default", launcher: func(b *fakeLauncher) Launcher { return b }, want: 16},
		{desc: "engine default", launcher: func(b *fakeLauncher) Launcher { return serialFake{b} }, want: 1},
		{desc: "explicit wins", launcher: func(b *fakeLauncher) Launcher { return serialFake{b} }, parallel: 4, want: 4},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			t.Parallel()
			var (
				mu  sync.Mutex
				got int
			)
			play := playPage(0)
			b := &fakeLauncher{page: func(ctx context.Context, pageURL string) {
				req, _ := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(pageURL, "/runner/page")+"/runner/scenarios", nil)
				if resp, err := http.DefaultClient.Do(req); err == nil {
					var list struct{ Parallel int }
					json.NewDecoder(resp.Body).Decode(&list)
					resp.Body.Close()
					mu.Lock()
					got = list.Parallel
					mu.Unlock()
				}
				play(ctx, pageURL)
			}}
			if _, err := Record(t.Context(), tc.launcher(b), recordScenarios(), RecordOptions{Timeout: 10 * time.Second, Parallel: tc.parallel}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if got != tc.want {
				t.Errorf("page was told to run %d scenarios at a time; want %d", got, tc.want)
			}
		})
	}
}

// tourScenarios are recordScenarios and two paged scenarios: p1 on pages A,
// P, A and A again (four loads), p2 on page B (one load).
func tourScenarios() []conformance.Scenario {
	return append(recordScenarios(),
		conformance.Scenario{ID: "p1", Area: "t", Desc: "d", Reason: "r",
			Calls: []conformance.CallSpec{
				{URL: "{B}/r"},
				{URL: "{C}/r", Page: "P"},
				{URL: "{B}/r", Page: "A"},
				{URL: "{B}/r", Page: "A", Navigate: true},
			},
			Routes: []conformance.Route{{At: "{B}/r"}, {At: "{C}/r"}}},
		conformance.Scenario{ID: "p2", Area: "t", Desc: "d", Reason: "r",
			Calls:  []conformance.CallSpec{{URL: "{A}/r", Page: "B"}, {URL: "{A}/r", Page: "B"}},
			Routes: []conformance.Route{{At: "{A}/r"}}},
	)
}

func TestRecordTour(t *testing.T) {
	t.Parallel()
	page := &fakePage{}
	b := &fakeLauncher{page: page.play}
	rec, err := Record(t.Context(), b, tourScenarios(), RecordOptions{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b.stoppedOnce(t)
	o := rec.Scenario("p1")
	if o == nil || rec.Scenario("p2") == nil || len(rec.Scenarios) != 4 {
		t.Fatalf("scenarios = %+v; want r1, r2, p1, p2", rec.Scenarios)
	}
	var bodies, origins []string
	for _, out := range o.Outcomes {
		bodies = append(bodies, out.Body)
	}
	for _, r := range o.Requests {
		origins = append(origins, r.Origin+" from "+r.Header.Get("Origin"))
	}
	if diff := cmp.Diff([]string{"{A}/x", "{P}/x", "{A}/x", "{A}/x"}, bodies); diff != "" {
		t.Errorf("p1: pages of the calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"B from {A}", "C from {P}", "B from {A}", "B from {A}"}, origins); diff != "" {
		t.Errorf("p1: requests (-want +got):\n%s", diff)
	}
	// The tab's path: the first page, p1's four loads (A, P, A, A), p2's one.
	var path []string
	for _, v := range page.visited {
		u, _ := url.Parse(v)
		path = append(path, u.Port()+" "+u.RawQuery)
	}
	wantQueries := []string{"", "scenario=p1&load=0", "scenario=p1&load=1", "scenario=p1&load=2", "scenario=p1&load=3", "scenario=p2&load=0"}
	if len(path) != len(wantQueries) {
		t.Fatalf("tab visited %v; want %d pages", path, len(wantQueries))
	}
	for i, q := range wantQueries {
		if !strings.HasSuffix(path[i], " "+q) {
			t.Errorf("page %d: %s; want query %q", i, path[i], q)
		}
	}
	portOf := func(i int) string { return strings.Fields(path[i])[0] }
	if portOf(0) != portOf(1) || portOf(1) == portOf(2) || portOf(3) != portOf(0) || portOf(4) != portOf(0) || portOf(5) == portOf(0) {
		t.Errorf("tab visited %v; want A, A, P, A, A, B", path)
	}
	var warm []string
	for _, w := range rec.WarmUp {
		warm = append(warm, w.String())
	}
	wantWarm := []string{
		"P: 1 preflights in 2 calls", "B: 1 preflights in 2 calls", "C: 1 preflights in 2 calls",
		"A from page P: 1 preflights in 2 calls", "B from page P: 1 preflights in 2 calls", "C from page P: 1 preflights in 2 calls",
		"A from page B: 1 preflights in 2 calls", "P from page B: 1 preflights in 2 calls", "C from page B: 1 preflights in 2 calls",
	}
	if diff := cmp.Diff(wantWarm, warm); diff != "" {
		t.Errorf("warm-ups (-want +got):\n%s\n(each origin counts the preflights of each page origin; a page at P or B warms up at its first load only)", diff)
	}
}

// TestRecordWaitsForTheLastAsk checks that a run without paged scenarios
// ends only after its page asked where to go next, its last request: a run
// that ended at the batch's last outcome could stop the browser with that
// request in flight, to be handled by the next run on the same server (a
// Local Network Access configuration's: "asked twice").
func TestRecordWaitsForTheLastAsk(t *testing.T) {
	t.Parallel()
	const delay = 100 * time.Millisecond
	b := &fakeLauncher{page: (&fakePage{warm: warmCached, nextDelay: delay}).play}
	start := time.Now()
	if _, err := Record(t.Context(), b, recordScenarios(), RecordOptions{Timeout: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
	// A lower bound: the page asks no sooner than delay after it starts.
	if d := time.Since(start); d < delay {
		t.Errorf("Record returned after %v, before the page asked where to go next (%v after the batch)", d, delay)
	}
	b.stoppedOnce(t)
}

// TestRecordPageNeverAsks checks that a page that posts every outcome but
// never asks where to go next fails the run after the step timeout, empty
// tour or not.
func TestRecordPageNeverAsks(t *testing.T) {
	t.Parallel()
	b := &fakeLauncher{page: (&fakePage{tour: tourNever}).play}
	_, err := Record(t.Context(), b, recordScenarios(), RecordOptions{Timeout: 10 * time.Second, StepTimeout: 200 * time.Millisecond})
	if want := "recorder: the first page did not ask where to go next within 200ms"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Record() error = %v; want one mentioning %q", err, want)
	}
	b.stoppedOnce(t)
}

func TestRecordTourFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		tour               int
		wantErr            string
	}{
		{desc: "tab stays", tour: tourStay, reason: "a navigation that never arrives fails the run at once, naming the page",
			wantErr: "recorder: scenario p1, page load 1 of 4: the tab did not load http://127.0.0.1:"},
		{desc: "first page stops", tour: tourNever, reason: "a first page that never asks for the tour fails the run at once",
			wantErr: "recorder: the first page did not ask for the paged scenarios within 200ms"},
		{desc: "tab jumps", tour: tourJump, reason: "a page of another load than the one the tour is at fails the run",
			wantErr: "page loads out of order: a page at A asked for the calls of scenario p1, page load 2, while the tour is at scenario p1, page load 1 of 4 at A"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			b := &fakeLauncher{page: (&fakePage{tour: tt.tour}).play}
			start := time.Now()
			_, err := Record(t.Context(), b, tourScenarios(), RecordOptions{Timeout: 10 * time.Second, StepTimeout: 200 * time.Millisecond})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Record() error = %v; want one mentioning %q (%s)", err, tt.wantErr, tt.reason)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Record() took %s; want it to fail soon after the step timeout", d)
			}
			b.stoppedOnce(t)
		})
	}
}

// fakeLNALauncher is a fake browser that can run Local Network Access
// scenarios: its OpenLNA notes the setup and opens a fake browser whose page
// is lnaPage.
type fakeLNALauncher struct {
	*fakeLauncher
	lnaPage func(ctx context.Context, pageURL string)

	lnaMu  sync.Mutex
	setups []LNASetup
}

func (b *fakeLNALauncher) OpenLNA(ctx context.Context, pageURL string, setup LNASetup) (Session, []string, error) {
	b.lnaMu.Lock()
	b.setups = append(b.setups, setup)
	b.lnaMu.Unlock()
	var applied []string
	for _, es := range setup.Spaces {
		applied = append(applied, "space "+es.Endpoint+"="+es.Space)
	}
	s, err := b.openPage(pageURL, b.lnaPage)
	return s, applied, err
}

// lnaScenarios are recordScenarios and three with a Local Network Access
// configuration: l1 and l2 share one (l2 on a page at B), l3 has an empty
// one.
func lnaScenarios() []conformance.Scenario {
	public := &conformance.LNA{Spaces: map[string]string{"A": "public"}, Grant: []string{"loopback-network"}}
	return append(recordScenarios(),
		conformance.Scenario{ID: "l1", Area: "lna", Desc: "d", Reason: "r", LNA: public,
			Calls:  []conformance.CallSpec{{URL: "{B}/r", TargetAddressSpace: "loopback"}},
			Routes: []conformance.Route{{At: "{B}/r"}}},
		conformance.Scenario{ID: "l2", Area: "lna", Desc: "d", Reason: "r", LNA: &conformance.LNA{Grant: []string{"loopback-network"}, Spaces: map[string]string{"A": "public"}},
			Calls:  []conformance.CallSpec{{URL: "{C}/r", Page: "B"}},
			Routes: []conformance.Route{{At: "{C}/r"}}},
		conformance.Scenario{ID: "l3", Area: "lna", Desc: "d", Reason: "r", LNA: &conformance.LNA{},
			Calls:  []conformance.CallSpec{{URL: "{B}/r"}},
			Routes: []conformance.Route{{At: "{B}/r"}}},
	)
}

func TestRecordLNA(t *testing.T) {
	t.Parallel()
	b := &fakeLNALauncher{fakeLauncher: &fakeLauncher{page: playPage(0)}, lnaPage: (&fakePage{warm: warmBlocked}).play}
	pw := &syncWriter{w: &bytes.Buffer{}}
	rec, err := Record(t.Context(), b, lnaScenarios(), RecordOptions{Timeout: 10 * time.Second, Progress: pw})
	if err != nil {
		t.Fatal(err)
	}
	b.stoppedOnce(t)
	if n := len(b.sessions); n != 3 {
		t.Fatalf("%d browsers opened; want 3: one for the scenarios without LNA, one per LNA configuration", n)
	}
	var ids []string
	for _, s := range rec.Scenarios {
		ids = append(ids, s.ID)
		if len(s.Outcomes) != len(s.Requests) {
			t.Errorf("%s: %d outcomes, %d requests", s.ID, len(s.Outcomes), len(s.Requests))
		}
	}
	if diff := cmp.Diff([]string{"l1", "l2", "l3", "r1", "r2"}, ids); diff != "" {
		t.Errorf("scenarios (-want +got):\n%s", diff)
	}
	if len(rec.WarmUp) != 3 || rec.WarmUp[0].Error != "" {
		t.Errorf("warm-up = %+v; want the first browser's, as before", rec.WarmUp)
	}
	if len(rec.LNA) != 2 {
		t.Fatalf("LNA runs = %+v; want 2", rec.LNA)
	}
	none, public := rec.LNA[0], rec.LNA[1]
	if none.Config != "none" || public.Config != "spaces A=public; grant loopback-network" {
		t.Errorf("configurations = %q, %q; want none, then spaces A=public; grant loopback-network (sorted by key)", none.Config, public.Config)
	}
	if diff := cmp.Diff([]string{"l1", "l2"}, public.Scenarios); diff != "" {
		t.Errorf("scenarios of the public configuration (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"space {A.host}=public"}, public.Setup); diff != "" {
		t.Errorf("setup (-want +got), with the run's hosts as templates:\n%s", diff)
	}
	if none.Setup == nil || len(none.Setup) != 0 {
		t.Errorf("setup of the empty configuration = %#v; want []", none.Setup)
	}
	var warm []string
	for _, w := range public.WarmUp {
		warm = append(warm, w.String())
	}
	wantWarm := []string{
		"P: 0 preflights in 0 calls, stopped: TypeError: NetworkError when attempting to fetch resource.",
		"B: 0 preflights in 0 calls, stopped: TypeError: NetworkError when attempting to fetch resource.",
		"C: 0 preflights in 0 calls, stopped: TypeError: NetworkError when attempting to fetch resource.",
		"A from page B: 0 preflights in 0 calls, stopped: TypeError: NetworkError when attempting to fetch resource.",
		"P from page B: 0 preflights in 0 calls, stopped: TypeError: NetworkError when attempting to fetch resource.",
		"C from page B: 0 preflights in 0 calls, stopped: TypeError: NetworkError when attempting to fetch resource.",
	}
	if diff := cmp.Diff(wantWarm, warm); diff != "" {
		t.Errorf("warm-ups of the public configuration (-want +got):\n%s\n(a failed warm-up is kept, not fatal, in a browser of LNA scenarios)", diff)
	}
	b.lnaMu.Lock()
	defer b.lnaMu.Unlock()
	if len(b.setups) != 2 {
		t.Fatalf("OpenLNA called %d times; want 2", len(b.setups))
	}
	s := b.setups[1]
	if len(s.Spaces) != 1 || s.Spaces[0].Origin != "A" || !strings.HasPrefix(s.Spaces[0].Endpoint, "127.0.0.1:") || s.Spaces[0].Space != "public" {
		t.Errorf("spaces = %+v; want A's endpoint public", s.Spaces)
	}
	if len(s.Pages) != 2 || !strings.HasPrefix(s.Pages[0], "http://127.0.0.1:") || !strings.HasPrefix(s.Pages[1], "http://127.0.0.2:") {
		t.Errorf("pages = %v; want A and B, the page origins of l1 and l2", s.Pages)
	}
	if s.Console == nil {
		t.Error("no console writer although Progress is set")
	}
	if got := pw.String(); !strings.Contains(got, `Local Network Access configuration "spaces A=public; grant loopback-network": 2 scenarios`) {
		t.Errorf("progress does not announce the LNA browser:\n%s", got)
	}
}

// syncWriter serializes writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// String returns what was written, when w is a *bytes.Buffer: a handler of
// the scenario server may still print after Record returned (the server's
// Close does not wait for it).
func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.(*bytes.Buffer).String()
}

func TestRecordLNAOnly(t *testing.T) {
	t.Parallel()
	b := &fakeLNALauncher{fakeLauncher: &fakeLauncher{page: playPage(0)}, lnaPage: playPage(0)}
	rec, err := Record(t.Context(), b, lnaScenarios()[2:], RecordOptions{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b.stoppedOnce(t)
	if n := len(b.sessions); n != 2 || len(rec.WarmUp) != 0 || len(rec.LNA) != 2 || len(rec.Scenarios) != 3 {
		t.Errorf("%d browsers, warm-up %+v, %d LNA runs, %d scenarios; want no browser for an empty batch of other scenarios", n, rec.WarmUp, len(rec.LNA), len(rec.Scenarios))
	}
	if w := rec.LNA[1].WarmUp; len(w) != 6 || w[0].Error != "" {
		t.Errorf("warm-ups = %+v; want six that settled", w)
	}
}

func TestRecordLNAWarmUpNeverSettles(t *testing.T) {
	t.Parallel()
	b := &fakeLNALauncher{fakeLauncher: &fakeLauncher{page: playPage(0)}, lnaPage: playPageWith(0, warmAlways)}
	_, err := Record(t.Context(), b, lnaScenarios(), RecordOptions{Timeout: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "did not settle") || !strings.Contains(err.Error(), `Local Network Access configuration "none"`) {
		t.Errorf("Record() error = %v; want the unsettled warm-up to fail the run (only a failed fetch() is kept)", err)
	}
	b.stoppedOnce(t)
}

func TestRecordLNANeedsLauncher(t *testing.T) {
	t.Parallel()
	b := &fakeLauncher{page: playPage(0)}
	_, err := Record(t.Context(), b, lnaScenarios(), RecordOptions{Timeout: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "cannot record Local Network Access scenarios (l3)") {
		t.Errorf("Record() error = %v; want one saying the launcher cannot record LNA scenarios", err)
	}
	if len(b.sessions) != 0 {
		t.Error("a browser was opened")
	}
}

func TestPrefixWriter(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := &prefixWriter{w: &b, prefix: "console: ", replace: strings.NewReplacer("127.0.0.2:1", "{B.host}")}
	io.WriteString(w, "a 127.0.0.2:1\nb")
	io.WriteString(w, "\n")
	if got, want := b.String(), "console: a {B.host}\nconsole: b\n"; got != want {
		t.Errorf("written %q; want %q", got, want)
	}
}
