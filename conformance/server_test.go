package conformance

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func strp(s string) *string { return &s }

func serverScenario() Scenario {
	return Scenario{
		ID: "srv", Area: "test", Desc: "d", Reason: "r",
		Calls: []CallSpec{{URL: "{B}/r"}},
		Routes: []Route{
			{
				At: "{B}/r",
				Preflight: &Answer{Status: 204, Headers: []Field{
					{Name: "Access-Control-Allow-Origin", Value: "{origin}"},
					{Name: "Access-Control-Allow-Methods", Value: "{acrm}"},
				}},
				Response: Answer{Status: 201, Headers: []Field{
					{Name: "X-Rep", Value: "1"}, {Name: "x-rep", Value: "2"}, {Name: "X-Rep", Value: "3"},
					{Name: "Access-Control-Allow-Origin", Value: "{origin}"},
					{Name: "Set-Cookie", Value: "c=1; Path={S}"},
				}, Location: "{C}/next"},
			},
			{At: "{A}/body", Response: Answer{Body: strp("custom"), Headers: []Field{{Name: "content-type", Value: "text/x"}}}},
		},
	}
}

// roundTrip sends one request without following redirects.
func roundTrip(t *testing.T, method, u string, h http.Header, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
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

func TestServer(t *testing.T) {
	t.Parallel()
	srv, err := NewServer([]Scenario{serverScenario()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	o := srv.Origins()
	for name, host := range map[string]string{"A": "127.0.0.1", "P": "127.0.0.1", "B": "127.0.0.2", "C": "127.0.0.3"} {
		u, err := url.Parse(o[name])
		if err != nil || u.Hostname() != host {
			t.Errorf("origin %s = %q; want host %s", name, o[name], host)
		}
	}
	if o["A"] == o["P"] {
		t.Errorf("A and P share the origin %s", o["A"])
	}
	page := o["A"]

	t.Run("response", func(t *testing.T) {
		resp := roundTrip(t, "GET", o["B"]+"/s/srv/r?q=1", http.Header{"Origin": {page}, "X-Custom": {"a"}}, "")
		if resp.StatusCode != 201 {
			t.Errorf("status = %d; want 201 (the configured status)", resp.StatusCode)
		}
		if got := resp.Header.Values("X-Rep"); !cmp.Equal(got, []string{"1", "2", "3"}) {
			t.Errorf("X-Rep = %q; want repeats in order", got)
		}
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != page {
			t.Errorf("ACAO = %q; want the echoed Origin %q", got, page)
		}
		if got := resp.Header.Get("Location"); got != o["C"]+"/s/srv/next" {
			t.Errorf("Location = %q; want C's route", got)
		}
		if got := resp.Header.Get("Set-Cookie"); got != "c=1; Path=/s/srv" {
			t.Errorf("Set-Cookie = %q; want the prefix in Path", got)
		}
		for _, name := range []string{"Date", "Content-Type"} {
			if _, ok := resp.Header[name]; ok {
				t.Errorf("%s present; the server adds no fields of its own", name)
			}
		}
		if b, _ := io.ReadAll(resp.Body); string(b) != "B /r" {
			t.Errorf("body = %q; want the default body %q", b, "B /r")
		}
	})
	t.Run("echo of an absent Origin", func(t *testing.T) {
		resp := roundTrip(t, "GET", o["B"]+"/s/srv/r", nil, "")
		if _, ok := resp.Header["Access-Control-Allow-Origin"]; ok {
			t.Errorf("ACAO sent although the request had no Origin")
		}
	})
	t.Run("preflight", func(t *testing.T) {
		resp := roundTrip(t, "OPTIONS", o["B"]+"/s/srv/r", http.Header{"Origin": {page}, "Access-Control-Request-Method": {"PUT"}}, "")
		if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Methods") != "PUT" {
			t.Errorf("preflight = %d %q; want the preflight answer 204 echoing PUT", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Methods"))
		}
		plain := roundTrip(t, "OPTIONS", o["B"]+"/s/srv/r", nil, "")
		if plain.StatusCode != 201 {
			t.Errorf("OPTIONS without ACRM = %d; want the normal response 201", plain.StatusCode)
		}
	})
	t.Run("custom body and lower-case name", func(t *testing.T) {
		resp := roundTrip(t, "GET", o["A"]+"/s/srv/body", nil, "")
		b, _ := io.ReadAll(resp.Body)
		if string(b) != "custom" || resp.Header.Values("Content-Type")[0] != "text/x" || len(resp.Header.Values("Content-Type")) != 1 {
			t.Errorf("got %q with Content-Type %q; want the configured body and one Content-Type", b, resp.Header.Values("Content-Type"))
		}
	})
	t.Run("unknown route", func(t *testing.T) {
		if resp := roundTrip(t, "POST", o["C"]+"/s/srv/nothing", nil, "payload\xe9"); resp.StatusCode != 404 {
			t.Errorf("status = %d; want 404", resp.StatusCode)
		}
		if resp := roundTrip(t, "GET", o["C"]+"/elsewhere", nil, ""); resp.StatusCode != 404 {
			t.Errorf("status = %d; want 404 outside /s/", resp.StatusCode)
		}
	})
	t.Run("log", func(t *testing.T) {
		log := srv.Requests("srv")
		var got []string
		for _, r := range log {
			got = append(got, r.Origin+" "+r.Method+" "+r.Path+"?"+r.Query)
		}
		want := []string{"B GET /r?q=1", "B GET /r?", "B OPTIONS /r?", "B OPTIONS /r?", "A GET /body?", "C POST /nothing?"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("log (-want +got):\n%s", diff)
		}
		if len(log) != len(want) {
			return
		}
		if v := log[0].Header["Origin"]; !cmp.Equal(v, []string{"{A}"}) {
			t.Errorf("logged Origin = %q; want the template {A}", v)
		}
		if v := log[0].Header["X-Custom"]; !cmp.Equal(v, []string{"a"}) {
			t.Errorf("logged X-Custom = %q", v)
		}
		if log[5].Body != "payload\xe9" {
			t.Errorf("logged body = %q", log[5].Body)
		}
		if got := srv.Requests("unknown"); got == nil || len(got) != 0 {
			t.Errorf("Requests(unknown) = %#v; want an empty slice", got)
		}
	})
}

func TestServerLogDecodesBytes(t *testing.T) {
	t.Parallel()
	srv, err := NewServer([]Scenario{serverScenario()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	roundTrip(t, "GET", srv.Origins()["A"]+"/s/srv/body", http.Header{"Accept": {"caf\xe9"}, "Referer": {srv.Origins()["B"] + "/s/srv/r"}}, "")
	log := srv.Requests("srv")
	if len(log) != 1 {
		t.Fatalf("logged %d requests", len(log))
	}
	if got := log[0].Header["Accept"][0]; got != "café" {
		t.Errorf("Accept = %q; want byte 0xE9 isomorphic-decoded to é", got)
	}
	if got := log[0].Header["Referer"][0]; got != "{B}{S}/r" {
		t.Errorf("Referer = %q; want the value template {B}{S}/r", got)
	}
	roundTrip(t, "GET", srv.Origins()["A"]+"/s/srv/r%E9%C3%A9?q=%E9\xe9", nil, "")
	log = srv.Requests("srv")
	if got := log[1].Path + "?" + log[1].Query; got != "/r%E9é?q=%E9%E9" {
		t.Errorf("path and query = %q; want the byte that is not UTF-8 percent-encoded, the UTF-8 kept", got)
	}
}

func TestNewServerRejectsDuplicates(t *testing.T) {
	t.Parallel()
	s := serverScenario()
	if srv, err := NewServer([]Scenario{s, s}); err == nil {
		srv.Close()
		t.Errorf("NewServer accepted the same scenario twice")
	}
}

// TestServerRawAnswer checks that a raw answer reaches the wire byte for
// byte: whitespace around values kept, U+00E9 as the single byte 0xE9, a
// control byte and a name net/http would refuse, Content-Length and
// Connection: close added, and the connection closed after the body.
func TestServerRawAnswer(t *testing.T) {
	t.Parallel()
	sc := Scenario{
		ID: "raw", Area: "test", Desc: "d", Reason: "r",
		Calls: []CallSpec{{URL: "{B}/r"}},
		Routes: []Route{{At: "{B}/r", Response: Answer{Raw: true, Status: 299, Headers: []Field{
			{Name: "Access-Control-Allow-Origin", Value: " {origin}\t"},
			{Name: "X-Latin1", Value: "caf\u00e9"},
			{Name: "X-Ctl", Value: "a\x0bb\x00c"},
			{Name: "X A", Value: "1"},
		}, Location: "{B}/n\u00e9"}}},
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer([]Scenario{sc})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	b := srv.Origins()["B"]
	conn, err := net.Dial("tcp", strings.TrimPrefix(b, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /s/raw/r HTTP/1.1\r\nHost: x\r\nOrigin: http://o.example\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(conn) // ends only when the server closes
	if err != nil {
		t.Fatal(err)
	}
	want := "HTTP/1.1 299 \r\n" +
		"Access-Control-Allow-Origin:  http://o.example\t\r\n" +
		"X-Latin1: caf\xe9\r\n" +
		"X-Ctl: a\x0bb\x00c\r\n" +
		"X A: 1\r\n" +
		"Location: " + b + "/s/raw/n\xe9\r\n" +
		"Content-Length: 4\r\n" +
		"Connection: close\r\n" +
		"\r\n" +
		"B /r"
	if string(got) != want {
		t.Errorf("raw answer on the wire:\n%q\nwant\n%q", got, want)
	}
}

// TestValidateRaw checks which fields a raw answer accepts.
func TestValidateRaw(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value string
		ok          bool
	}{
		{name: "X-A", value: " padded ", ok: true},
		{name: "X-A", value: "\x00\x0b\x7f\u00ff", ok: true},
		{name: "X A", value: "1", ok: true},
		{name: "X-A", value: "\u0100", ok: false}, // not one byte
		{name: "X-A", value: "a\r\nX-B: 1", ok: false},
		{name: "X:A", value: "1", ok: false},
		{name: "", value: "1", ok: false},
	}
	for _, tt := range tests {
		sc := Scenario{ID: "v", Area: "a", Desc: "d", Reason: "r", Calls: []CallSpec{{URL: "{B}/r"}},
			Routes: []Route{{At: "{B}/r", Response: Answer{Raw: true, Headers: []Field{{Name: tt.name, Value: tt.value}}}}}}
		if err := sc.Validate(); (err == nil) != tt.ok {
			t.Errorf("raw field %q: %q: Validate() = %v, want ok %v", tt.name, tt.value, err, tt.ok)
		}
	}
}

// TestServerHandleRunner checks that paths under RunnerPrefix reach the
// handler of their origin, unlogged, and get 404 on an origin without one.
func TestServerHandleRunner(t *testing.T) {
	t.Parallel()
	srv, err := NewServer([]Scenario{serverScenario()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	o := srv.Origins()
	for _, name := range []string{"A", "B"} {
		srv.HandleRunner(name, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, name+" runner "+r.URL.Path)
		}))
	}
	tests := []struct {
		desc, url string
		status    int
		body      string
	}{
		{desc: "runner of A", url: o["A"] + "/runner/page", status: 200, body: "A runner /runner/page"},
		{desc: "runner of B", url: o["B"] + "/runner/warm", status: 200, body: "B runner /runner/warm"},
		{desc: "no runner on C", url: o["C"] + "/runner/warm", status: 404},
		{desc: "prefix only", url: o["A"] + "/runnerx", status: 404},
	}
	for _, tt := range tests {
		resp := roundTrip(t, "GET", tt.url, nil, "")
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tt.status || (tt.status == 200 && string(b) != tt.body) {
			t.Errorf("%s: %d %q; want %d %q", tt.desc, resp.StatusCode, b, tt.status, tt.body)
		}
	}
	if got := srv.Requests("srv"); len(got) != 0 {
		t.Errorf("logged %d requests; runner requests are not logged", len(got))
	}
}

// TestRouteAnswer checks which answer of a route a request gets: Preflight
// for a CORS preflight, Conditional for any other request with
// If-None-Match or If-Modified-Since, Response otherwise and whenever the
// answer chosen is not given.
func TestRouteAnswer(t *testing.T) {
	t.Parallel()
	full := &Route{At: "{B}/r", Preflight: &Answer{Status: 204}, Response: Answer{Status: 200}, Conditional: &Answer{Status: 304}}
	bare := &Route{At: "{B}/r", Response: Answer{Status: 200}}
	inm := http.Header{"If-None-Match": {`"v1"`}}
	tests := []struct {
		desc, spec, reason string
		route              *Route
		method             string
		header             http.Header
		want               int
	}{
		{desc: "plain GET", reason: "no validator: the response", route: full, method: "GET", want: 200},
		{desc: "If-None-Match", spec: "https://httpwg.org/specs/rfc9111.html#validation.sent",
			reason: "a revalidation by ETag", route: full, method: "GET", header: inm, want: 304},
		{desc: "If-Modified-Since", reason: "a revalidation by date", route: full, method: "GET",
			header: http.Header{"If-Modified-Since": {"Mon, 01 Jan 2024 00:00:00 GMT"}}, want: 304},
		{desc: "empty If-None-Match", reason: "the field's presence counts, not its value", route: full, method: "GET",
			header: http.Header{"If-None-Match": {""}}, want: 304},
		{desc: "conditional PUT", reason: "any method but a preflight", route: full, method: "PUT", header: inm, want: 304},
		{desc: "preflight with a validator", reason: "a preflight never gets the conditional answer", route: full, method: "OPTIONS",
			header: http.Header{"Access-Control-Request-Method": {"PUT"}, "If-None-Match": {`"v1"`}}, want: 204},
		{desc: "plain OPTIONS with a validator", reason: "an OPTIONS without ACRM is no preflight", route: full, method: "OPTIONS", header: inm, want: 304},
		{desc: "no conditional answer", reason: "a route without one answers every request with its response", route: bare, method: "GET", header: inm, want: 200},
		{desc: "other If- field", reason: "only If-None-Match and If-Modified-Since select it", route: full, method: "GET",
			header: http.Header{"If-Match": {`"v1"`}}, want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			r := httptestRequest(tt.method, tt.header)
			if got := tt.route.answer(r).Status; got != tt.want {
				t.Errorf("answer status = %d; want %d (%s)", got, tt.want, tt.reason)
			}
		})
	}
}

func httptestRequest(method string, h http.Header) *http.Request {
	r, _ := http.NewRequest(method, "http://127.0.0.2/s/x/r", nil)
	for k, vs := range h {
		r.Header[k] = vs
	}
	return r
}

// TestServerConditional checks a conditional answer on the wire: a 304
// with its fields, the request echoes expanded, and the request logged.
func TestServerConditional(t *testing.T) {
	t.Parallel()
	sc := Scenario{ID: "cond", Area: "test", Desc: "d", Reason: "r", Calls: []CallSpec{{URL: "{B}/r"}},
		Routes: []Route{{At: "{B}/r",
			Response:    Answer{Headers: []Field{{Name: "ETag", Value: `"v1"`}, {Name: "Cache-Control", Value: "max-age=0"}}},
			Conditional: &Answer{Status: 304, Headers: []Field{{Name: "ETag", Value: `"v1"`}, {Name: "Access-Control-Allow-Origin", Value: "{origin}"}}}}}}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer([]Scenario{sc})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	o := srv.Origins()
	first := roundTrip(t, "GET", o["B"]+"/s/cond/r", http.Header{"Origin": {o["A"]}}, "")
	second := roundTrip(t, "GET", o["B"]+"/s/cond/r", http.Header{"Origin": {o["A"]}, "If-None-Match": {`"v1"`}}, "")
	b, _ := io.ReadAll(second.Body)
	if first.StatusCode != 200 || second.StatusCode != 304 || len(b) != 0 || second.Header.Get("Access-Control-Allow-Origin") != o["A"] {
		t.Errorf("got %d, then %d %q with ACAO %q; want 200, then an empty 304 echoing the Origin", first.StatusCode, second.StatusCode, b, second.Header.Get("Access-Control-Allow-Origin"))
	}
	if log := srv.Requests("cond"); len(log) != 2 || !cmp.Equal(log[1].Header["If-None-Match"], []string{`"v1"`}) {
		t.Errorf("log = %+v; want both requests, the second with its If-None-Match", log)
	}
}
