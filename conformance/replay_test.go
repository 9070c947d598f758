package conformance_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/corsfetch/corsfetch/conformance/corpus"
)

// naiveClient is a Client with no CORS at all: a plain Go HTTP client that
// sends every header it is given, follows redirects the net/http way and
// shows everything it receives. The runner must report it as different from
// the browser wherever the browser blocks.
type naiveClient struct{}

func (naiveClient) Fetch(ctx context.Context, call conformance.Call) conformance.Outcome {
	var body io.Reader
	if call.Body != nil {
		body = strings.NewReader(*call.Body)
	}
	req, err := http.NewRequestWithContext(ctx, call.Method, call.URL, body)
	if err != nil {
		return conformance.Outcome{TypeError: true, Error: err.Error()}
	}
	for _, f := range call.FetchHeader() {
		req.Header.Add(f.Name, f.Value)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return conformance.Outcome{TypeError: true, Error: err.Error()}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return conformance.Outcome{TypeError: true, Error: err.Error()}
	}
	names := []string{}
	for k := range resp.Header {
		names = append(names, strings.ToLower(k))
	}
	sort.Strings(names)
	return conformance.Outcome{
		Type: "basic", Status: resp.StatusCode, Headers: names, Body: string(b),
		Redirected: resp.Request.URL.String() != call.URL, URL: resp.Request.URL.String(),
	}
}

func noDelay(s *conformance.Scenario) bool { return conformance.TotalDelay(s) == 0 }

// TestReplayReportsNaiveClient is the harness test that can fail: a client
// without CORS must be reported wherever the recorded browser rejected a call
// that the naive client completed.
func TestReplayReportsNaiveClient(t *testing.T) {
	t.Parallel()
	scenarios, err := corpus.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := corpus.Recording("chromium")
	if err != nil {
		t.Fatal(err)
	}
	newClient := conformance.NewClient(func(string, string) conformance.Client { return naiveClient{} })
	rep, err := conformance.Replay(t.Context(), scenarios, rec, newClient, conformance.ReplayOptions{Filter: noDelay})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Differences()) == 0 {
		t.Fatal("replay of a client without CORS reported no difference")
	}
	blocked := 0
	for _, res := range rep.Results {
		want := rec.Scenario(res.ID)
		for i, o := range want.Outcomes {
			if !o.TypeError || i >= len(res.Run.Outcomes) || res.Run.Outcomes[i].TypeError {
				continue
			}
			blocked++
			where := fmt.Sprintf("call %d", i+1)
			found := false
			for _, d := range res.Differences {
				if d.Where == where && d.Field == "result" && d.Want == "TypeError" {
					found = true
				}
			}
			if !found {
				t.Errorf("%s %s: the browser rejected, the naive client resolved, and no difference was reported", res.ID, where)
			}
		}
	}
	if blocked == 0 {
		t.Error("no scenario where the browser blocks and the naive client does not; the test proves nothing")
	}
	var areas []string
	for _, line := range strings.Split(strings.TrimSpace(rep.Summary()), "\n") {
		areas = append(areas, strings.Fields(line)[0])
	}
	if areas[len(areas)-1] != "total" || len(areas) < 3 {
		t.Errorf("summary areas = %v; want one line per area and a total", areas)
	}
	t.Logf("naive client: %d differences, %d blocked calls reported\n%s", len(rep.Differences()), blocked, rep.Summary())
}

// oracleClient replays the browser: on a scenario's first call it sends the
// recorded requests to the server exactly as they were logged, and it returns
// the recorded outcomes. The runner must report no difference for it, which
// checks the whole path (templating with new ports, logging, comparing)
// against false alarms.
type oracleClient struct {
	t        *testing.T
	rec      *conformance.RecordedScenario
	origins  conformance.Origins
	prefix   string
	mu       sync.Mutex
	nextCall int
}

func (c *oracleClient) Fetch(ctx context.Context, call conformance.Call) conformance.Outcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nextCall == 0 {
		for _, r := range c.rec.Requests {
			c.send(ctx, r)
		}
	}
	o := c.rec.Outcomes[c.nextCall]
	c.nextCall++
	if o.URL != "" {
		o.URL = conformance.ExpandURL(o.URL, c.origins, c.prefix)
	}
	o.Body, _ = conformance.ExpandValue(o.Body, c.origins, c.prefix, nil)
	return o
}

func (c *oracleClient) send(ctx context.Context, r conformance.LoggedRequest) {
	p := r.Path
	if strings.IndexFunc(p, func(c rune) bool { return c <= 0x20 }) >= 0 {
		// The log stores the decoded path; a tab or space in it went out
		// percent-encoded (div-redirect-location-tab).
		p = (&url.URL{Path: p}).EscapedPath()
	}
	u := c.origins[r.Origin] + c.prefix + p
	if r.Query != "" {
		q, _ := conformance.ExpandValue(r.Query, c.origins, c.prefix, nil)
		u += "?" + q
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u, strings.NewReader(r.Body))
	if err != nil {
		c.t.Errorf("%s: %v", c.rec.ID, err)
		return
	}
	if r.Body == "" {
		req.Body = nil
		req.ContentLength = 0
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			v, _ = conformance.ExpandValue(v, c.origins, c.prefix, nil)
			req.Header[k] = append(req.Header[k], mustByteString(v))
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		// Only the request matters, and the server logged it: net/http
		// refuses some heads that browsers read (expose-value-control-*).
		// A request that never left shows as a difference in the log.
		c.t.Logf("%s: %v", c.rec.ID, err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// TestReplayOracleAgrees replays every recording with oracleClient: the
// runner must find no difference.
func TestReplayOracleAgrees(t *testing.T) {
	t.Parallel()
	scenarios, err := corpus.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, engine := range corpus.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			rec, err := corpus.Recording(engine)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := conformance.NewServer(scenarios)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			// A session does not say which scenario it is for; the oracle
			// finds out from the first call's URL. Its pages share it.
			sessions := conformance.NewSession(func(got string) conformance.Session {
				if got != engine {
					t.Errorf("NewSession(%q); want %s", got, engine)
				}
				return oracleSession{t: t, o: &lazyOracle{t: t, rec: rec, origins: srv.Origins()}}
			})
			rep, err := conformance.Replay(t.Context(), scenarios, rec, sessions, conformance.ReplayOptions{Filter: noDelay, Server: srv})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range rep.Differences() {
				t.Error(d)
			}
			if len(rep.Results) < 200 {
				t.Errorf("replayed %d scenarios; want the whole corpus without delays", len(rep.Results))
			}
		})
	}
}

// oracleSession is the session of one scenario: every page load gets its
// one oracle, which answers the calls of all of them.
type oracleSession struct {
	t *testing.T
	o *lazyOracle
}

func (s oracleSession) Page(page string) conformance.Client {
	if !slices.Contains(slices.Collect(maps.Values(s.o.origins)), page) {
		s.t.Errorf("Page(%q): not an origin of the server", page)
	}
	return s.o
}

// lazyOracle binds to its scenario on the first call.
type lazyOracle struct {
	t       *testing.T
	rec     *conformance.Recording
	origins conformance.Origins
	o       *oracleClient
}

func (l *lazyOracle) Fetch(ctx context.Context, call conformance.Call) conformance.Outcome {
	if l.o == nil {
		// The scenario id is the path segment after /s/ in any call URL.
		_, rest, _ := strings.Cut(call.URL, "/s/")
		id, _, _ := strings.Cut(rest, "/")
		rs := l.rec.Scenario(id)
		if rs == nil {
			l.t.Errorf("no recording for %q (URL %s)", id, call.URL)
			return conformance.Outcome{TypeError: true}
		}
		l.o = &oracleClient{t: l.t, rec: rs, origins: l.origins, prefix: conformance.Prefix(id)}
	}
	return l.o.Fetch(ctx, call)
}

// mustByteString is toByteString for corpus values, which are all
// ByteStrings.
func mustByteString(s string) string {
	v, ok := conformance.ToByteString(s)
	if !ok {
		panic("not a ByteString: " + s)
	}
	return v
}

// TestEngineAgents checks the User-Agent and Accept-Language that
// TransportClients sends for each engine against the stored recording: every
// request of a scenario whose calls set neither carries exactly these. The
// adapter holds them as constants rather than reading them from the
// recording it is checked against; this test notices when a re-recording
// with a new browser version changes them.
func TestEngineAgents(t *testing.T) {
	t.Parallel()
	scenarios, err := corpus.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]map[string]bool{} // scenario id → canonical names its calls set
	for _, s := range scenarios {
		sets[s.ID] = map[string]bool{}
		for _, c := range s.Calls {
			for _, f := range c.Headers {
				sets[s.ID][http.CanonicalHeaderKey(f.Name)] = true
			}
		}
	}
	for _, engine := range corpus.Engines() {
		rec, err := corpus.Recording(engine)
		if err != nil {
			t.Fatal(err)
		}
		ua, lang := conformance.EngineAgent(engine)
		want := map[string]string{"User-Agent": ua, "Accept-Language": lang}
		seen := map[string]int{}
		for _, s := range rec.Scenarios {
			for i, r := range s.Requests {
				for name, v := range want {
					if sets[s.ID][name] {
						continue
					}
					seen[name]++
					if got := r.Header[name]; len(got) != 1 || got[0] != v {
						t.Errorf("%s: %s request %d: %s %q; EngineAgent gives %q (update it after a re-recording)", engine, s.ID, i+1, name, got, v)
					}
				}
			}
		}
		for name := range want {
			if seen[name] < 100 {
				t.Errorf("%s: %s checked in %d requests; want the whole corpus", engine, name, seen[name])
			}
		}
	}
	if ua, lang := conformance.EngineAgent("spec"); ua != "" || lang != "" {
		t.Errorf(`EngineAgent("spec") = %q, %q; want nothing for an engine without a recording`, ua, lang)
	}
}
