package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
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
		if b.page != nil {
			b.page(ctx, pageURL)
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
// client and reports its status; extra adds outcomes.
func playPage(extra int) func(ctx context.Context, pageURL string) {
	return playPageWith(extra, warmCached)
}

// How a fake page does the warm-up.
const (
	warmCached = iota // preflights the first call only, as a browser's cache does
	warmAlways        // preflights every call, as without a preflight cache
	warmSkip          // reports no warm-up
	warmFail          // reports a failed fetch for P, then stops
)

func playPageWith(extra, warm int) func(ctx context.Context, pageURL string) {
	return func(ctx context.Context, pageURL string) {
		base := strings.TrimSuffix(pageURL, "/runner/page")
		get := func(u string) []byte {
			req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return b
		}
		if !bytes.Contains(get(pageURL), []byte("/runner/result")) {
			return
		}
		var list struct {
			Parallel  int            `json:"parallel"`
			Warm      []warmTarget   `json:"warm"`
			Scenarios []pageScenario `json:"scenarios"`
		}
		if err := json.Unmarshal(get(base+"/runner/scenarios"), &list); err != nil {
			return
		}
		for _, t := range list.Warm {
			if warm == warmSkip {
				break
			}
			res := warmResult{WarmUp: conformance.WarmUp{Origin: t.Name}}
			if warm == warmFail {
				res.Error = "TypeError: NetworkError when attempting to fetch resource."
			}
			prev := -1
			for res.Calls < t.Max && !res.Settled && res.Error == "" {
				if warm == warmAlways || res.Calls == 0 {
					req, _ := http.NewRequestWithContext(ctx, "OPTIONS", t.URL, nil)
					req.Header.Set("Origin", base)
					req.Header.Set("Access-Control-Request-Method", "PUT")
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						return
					}
					resp.Body.Close()
				}
				req, _ := http.NewRequestWithContext(ctx, "PUT", t.URL, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return
				}
				var v struct{ Preflights int }
				json.NewDecoder(resp.Body).Decode(&v)
				resp.Body.Close()
				res.Calls++
				res.Settled = v.Preflights == prev
				res.Preflights, prev = v.Preflights, v.Preflights
			}
			b, _ := json.Marshal(res)
			req, _ := http.NewRequestWithContext(ctx, "POST", base+"/runner/warmed", bytes.NewReader(b))
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
			if warm == warmFail {
				return
			}
		}
		for _, s := range list.Scenarios {
			res := pageResult{ID: s.ID}
			for _, c := range s.Calls {
				method, _ := c.Init["method"].(string)
				if method == "" {
					method = "GET"
				}
				req, _ := http.NewRequestWithContext(ctx, method, c.URL, nil)
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					return
				}
				resp.Body.Close()
				res.Outcomes = append(res.Outcomes, conformance.Outcome{Type: "cors", Status: resp.StatusCode, URL: c.URL, Body: base + "/x"})
			}
			for range extra {
				res.Outcomes = append(res.Outcomes, conformance.Outcome{TypeError: true})
			}
			b, _ := json.Marshal(res)
			req, _ := http.NewRequestWithContext(ctx, "POST", base+"/runner/result", bytes.NewReader(b))
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}
	}
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
