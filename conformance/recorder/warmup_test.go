package recorder

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
)

// roundTrip sends one request without following redirects.
func roundTrip(t *testing.T, method, u string, h http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestWarmRoute checks the warm-up route as Record serves it on a scenario
// server: the preflight and the counting PUT on every origin (A too, for a
// page at another origin), each origin counting its own, and nothing of it
// in the scenarios' log.
func TestWarmRoute(t *testing.T) {
	t.Parallel()
	sc := conformance.Scenario{ID: "srv", Area: "test", Desc: "d", Reason: "r",
		Calls: []conformance.CallSpec{{URL: "{B}/r"}}, Routes: []conformance.Route{{At: "{B}/r"}}}
	srv, err := conformance.NewServer([]conformance.Scenario{sc})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	o := srv.Origins()
	rn := newRunner(o, []conformance.Scenario{sc}, 1, time.Second, nil)
	for _, name := range conformance.OriginNames {
		srv.HandleRunner(name, rn.handler(name))
	}
	preflight := http.Header{"Origin": {o["A"]}, "Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"x-corsfetch-warm"}}
	put := http.Header{"Origin": {o["A"]}, "X-Corsfetch-Warm": {"1"}}
	steps := []struct {
		desc        string
		method, url string
		header      http.Header
		status      int
		body        string
		acao, acma  string
		reason      string
	}{
		{desc: "put before any preflight", method: "PUT", url: o["B"] + warmPath, header: put, status: 200, body: `{"preflights":0}`, acao: o["A"],
			reason: "the count starts at zero"},
		{desc: "preflight", method: "OPTIONS", url: o["B"] + warmPath, header: preflight, status: 200, acao: o["A"], acma: warmMaxAge,
			reason: "the preflight allows the page for warmMaxAge seconds"},
		{desc: "put after it", method: "PUT", url: o["B"] + warmPath, header: put, status: 200, body: `{"preflights":1}`, acao: o["A"],
			reason: "the PUT tells the page how many preflights arrived"},
		{desc: "other origin", method: "PUT", url: o["C"] + warmPath, header: put, status: 200, body: `{"preflights":0}`, acao: o["A"],
			reason: "each origin counts its own"},
		{desc: "plain OPTIONS", method: "OPTIONS", url: o["B"] + warmPath, header: http.Header{"Origin": {o["A"]}}, status: 405, acao: o["A"],
			reason: "only a preflight is counted"},
		{desc: "count unchanged", method: "PUT", url: o["B"] + warmPath, header: put, status: 200, body: `{"preflights":1}`, acao: o["A"],
			reason: "a plain OPTIONS is no preflight"},
		{desc: "other page", method: "PUT", url: o["B"] + warmPath, header: http.Header{"Origin": {o["P"]}, "X-Corsfetch-Warm": {"1"}}, status: 200, body: `{"preflights":0}`, acao: o["P"],
			reason: "each page origin's preflights are counted apart"},
		{desc: "on A", method: "PUT", url: o["A"] + warmPath, header: http.Header{"Origin": {o["B"]}, "X-Corsfetch-Warm": {"1"}}, status: 200, body: `{"preflights":0}`, acao: o["B"],
			reason: "a page at another origin warms A up"},
		{desc: "other runner path", method: "PUT", url: o["B"] + "/runner/other", header: put, status: 404,
			reason: "an unknown runner path is not found"},
		{desc: "batch list only on A", method: "GET", url: o["B"] + scenariosPath, status: 404,
			reason: "the batch's routes are A's"},
	}
	for _, s := range steps {
		resp := roundTrip(t, s.method, s.url, s.header)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != s.status || (s.status == 200 && string(b) != s.body) ||
			resp.Header.Get("Access-Control-Allow-Origin") != s.acao || resp.Header.Get("Access-Control-Max-Age") != s.acma {
			t.Errorf("%s: %d %q ACAO %q Max-Age %q; want %d %q ACAO %q Max-Age %q (%s)", s.desc, resp.StatusCode, b,
				resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Get("Access-Control-Max-Age"), s.status, s.body, s.acao, s.acma, s.reason)
		}
	}
	for _, id := range []string{"srv", ""} {
		if got := srv.Requests(id); len(got) != 0 {
			t.Errorf("Requests(%q) = %d requests; the warm-up route is not logged", id, len(got))
		}
	}
}
