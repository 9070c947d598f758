package conformance_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/google/go-cmp/cmp"
)

// pagedScenario makes one call per load on pages A, P, P (same load), A,
// A again (navigate) and B, each a preflighted PUT to C, whose preflight
// allows the PUT for 600 s.
func pagedScenario() conformance.Scenario {
	put := func(page string, navigate bool) conformance.CallSpec {
		return conformance.CallSpec{URL: "{C}/r", Method: "PUT", Page: page, Navigate: navigate}
	}
	acao := conformance.Field{Name: "Access-Control-Allow-Origin", Value: "{origin}"}
	return conformance.Scenario{ID: "paged", Area: "pages", Desc: "d", Reason: "r",
		Calls: []conformance.CallSpec{put("", false), put("P", false), put("P", false), put("A", false), put("A", true), put("B", false)},
		Routes: []conformance.Route{{At: "{C}/r", Response: conformance.Answer{Headers: []conformance.Field{acao}},
			Preflight: &conformance.Answer{Headers: []conformance.Field{acao,
				{Name: "Access-Control-Allow-Methods", Value: "PUT"}, {Name: "Access-Control-Max-Age", Value: "600"}}}}}}
}

// pageLog is a session that notes each page load and the calls made in it.
type pageLog struct {
	origins conformance.Origins
	mu      sync.Mutex
	loads   []string // "P: 2 calls"
}

func (l *pageLog) Page(page string) conformance.Client {
	l.mu.Lock()
	defer l.mu.Unlock()
	name := "?"
	for n, o := range l.origins {
		if o == page {
			name = n
		}
	}
	l.loads = append(l.loads, name)
	return &loadClient{log: l, i: len(l.loads) - 1}
}

type loadClient struct {
	log *pageLog
	i   int
}

func (c *loadClient) Fetch(context.Context, conformance.Call) conformance.Outcome {
	c.log.mu.Lock()
	defer c.log.mu.Unlock()
	c.log.loads[c.i] += "+"
	return conformance.Outcome{TypeError: true}
}

// replayOne replays s alone against an empty recording (every run is then
// a difference, which these tests ignore) and returns its run.
func replayOne(t *testing.T, s conformance.Scenario, sessions conformance.Sessions, srv *conformance.Server) conformance.RecordedScenario {
	t.Helper()
	rep, err := conformance.Replay(t.Context(), []conformance.Scenario{s}, &conformance.Recording{Engine: "chromium"}, sessions, conformance.ReplayOptions{Server: srv})
	if err != nil {
		t.Fatal(err)
	}
	return rep.Results[0].Run
}

// TestReplayPages checks that Replay opens one session per scenario and
// asks it for a client at every page load, making each load's calls
// through that client.
func TestReplayPages(t *testing.T) {
	t.Parallel()
	s := pagedScenario()
	srv, err := conformance.NewServer([]conformance.Scenario{s})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var (
		mu      sync.Mutex
		engines []string
		log     = &pageLog{origins: srv.Origins()}
	)
	replayOne(t, s, conformance.NewSession(func(engine string) conformance.Session {
		mu.Lock()
		defer mu.Unlock()
		engines = append(engines, engine)
		return log
	}), srv)
	if diff := cmp.Diff([]string{"chromium"}, engines); diff != "" {
		t.Errorf("sessions opened (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"A+", "P++", "A+", "A+", "B+"}, log.loads); diff != "" {
		t.Errorf("page loads and their calls (-want +got):\n%s", diff)
	}
}

// TestNewClientSession checks that a NewClient's session makes a client of
// its own at every page load, for the page's origin and the engine.
func TestNewClientSession(t *testing.T) {
	t.Parallel()
	o := conformance.Origins{"A": "http://127.0.0.1:1", "P": "http://127.0.0.1:2"}
	var got []string
	sess := conformance.NewClient(func(page, engine string) conformance.Client {
		got = append(got, page+" "+engine)
		return nil
	}).Open("webkit")
	sess.Page(o["A"])
	sess.Page(o["P"])
	sess.Page(o["A"])
	want := []string{"http://127.0.0.1:1 webkit", "http://127.0.0.1:2 webkit", "http://127.0.0.1:1 webkit"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("clients made (-want +got):\n%s", diff)
	}
}

// TestTransportSessionsShare checks the adapters over package fetch on a
// live server: the pages of a TransportSessions session share the
// preflight cache (A's second load and its return after P use A's entry; P
// and B, other origins, need their own preflight), while TransportClients
// gives every page load a browser of its own, and SessionsWith's browsers
// are as its configure function leaves them.
func TestTransportSessionsShare(t *testing.T) {
	t.Parallel()
	s := pagedScenario()
	srv, err := conformance.NewServer([]conformance.Scenario{s})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tests := []struct {
		desc, spec, reason string
		sessions           conformance.Sessions
		want               string
	}{
		{desc: "sessions", spec: "https://fetch.spec.whatwg.org/#cors-preflight-cache",
			reason:   "one browser: one preflight per page origin",
			sessions: conformance.TransportSessions(nil),
			want:     "OPTIONS {A}, PUT {A}, OPTIONS {P}, PUT {P}, PUT {P}, PUT {A}, PUT {A}, OPTIONS {B}, PUT {B}"},
		{desc: "clients", reason: "a browser per page load: one preflight per load",
			sessions: conformance.TransportClients(nil),
			want:     "OPTIONS {A}, PUT {A}, OPTIONS {P}, PUT {P}, PUT {P}, OPTIONS {A}, PUT {A}, OPTIONS {A}, PUT {A}, OPTIONS {B}, PUT {B}"},
		{desc: "configured", reason: "SessionsWith's browsers as configured: a preflight cache whose entries live a nanosecond, so a preflight per request",
			sessions: conformance.SessionsWith(nil, func(_ string, b *fetch.Browser) {
				b.PreflightCache = preflightcache.New(preflightcache.Options{MaxAgeLimit: time.Nanosecond})
			}),
			want: "OPTIONS {A}, PUT {A}, OPTIONS {P}, PUT {P}, OPTIONS {P}, PUT {P}, OPTIONS {A}, PUT {A}, OPTIONS {A}, PUT {A}, OPTIONS {B}, PUT {B}"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			// Not parallel: the subtests share the server's log of s.
			before := len(srv.Requests(s.ID))
			run := replayOne(t, s, tt.sessions, srv)
			var got []string
			for _, r := range run.Requests[before:] {
				got = append(got, r.Method+" "+strings.Join(r.Header["Origin"], ","))
			}
			if g := strings.Join(got, ", "); g != tt.want {
				t.Errorf("requests = %s; want %s (%s)", g, tt.want, tt.reason)
			}
			for i, o := range run.Outcomes {
				if o.TypeError {
					t.Errorf("call %d rejected: %s", i+1, o.Error)
				}
			}
		})
	}
}
