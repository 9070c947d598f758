package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/google/go-cmp/cmp"
)

var testOrigins = Origins{
	"A": "http://127.0.0.1:40001",
	"P": "http://127.0.0.1:40002",
	"B": "http://127.0.0.2:40003",
	"C": "http://127.0.0.3:40004",
}

func TestExpandValue(t *testing.T) {
	t.Parallel()
	req := http.Header{"Origin": {"http://127.0.0.1:40001"}, "X-Allow": {"a", "b"}}
	tests := []struct {
		desc, spec, reason string
		in                 string
		req                http.Header
		want               string
		wantOK             bool
	}{
		{desc: "origin", reason: "{B} is B's serialized origin", in: "{B}", want: "http://127.0.0.2:40003", wantOK: true},
		{desc: "host", reason: "{P.host} is host:port without scheme", in: "http://u@{P.host}/x", want: "http://u@127.0.0.1:40002/x", wantOK: true},
		{desc: "prefix", reason: "{S} is the scenario prefix", in: "c=1; Path={S}", want: "c=1; Path=/s/x", wantOK: true},
		{desc: "no prefix after origin", reason: "values never get the prefix inserted", in: "{A}/", want: "http://127.0.0.1:40001/", wantOK: true},
		{desc: "echo origin", reason: "{origin} echoes the request's Origin", in: "{origin}", req: req, want: "http://127.0.0.1:40001", wantOK: true},
		{desc: "echo missing", reason: "an echo of an absent field drops the field", in: "{acrm}", req: req, want: "", wantOK: false},
		{desc: "echo any field", reason: "{req:Name} joins repeated values like get", in: "{req:x-allow}", req: req, want: "a, b", wantOK: true},
		{desc: "unknown token", reason: "other braces are literal (JSON bodies)", in: `{"a":{Z}}`, want: `{"a":{Z}}`, wantOK: true},
		{desc: "unclosed brace", reason: "an unclosed brace is literal", in: "x{B", want: "x{B", wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, ok := expandValue(tt.in, testOrigins, "/s/x", tt.req)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("expandValue(%q) = %q, %v; want %q, %v (%s)", tt.in, got, ok, tt.want, tt.wantOK, tt.reason)
			}
		})
	}
}

func TestExpandURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		in, want           string
	}{
		{desc: "route", reason: "{X}/path names a route of the scenario", in: "{B}/r?q=1#f", want: "http://127.0.0.2:40003/s/x/r?q=1#f"},
		{desc: "host form", reason: "userinfo URLs use {X.host}", in: "http://u:p@{C.host}/r", want: "http://u:p@127.0.0.3:40004/s/x/r"},
		{desc: "relative", reason: "relative references are left alone", in: "r2", want: "r2"},
		{desc: "other scheme", reason: "non-HTTP targets are literal", in: "data:text/plain,hi", want: "data:text/plain,hi"},
		{desc: "bare origin", reason: "an origin not followed by / gets no prefix", in: "{A}", want: "http://127.0.0.1:40001"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := expandURL(tt.in, testOrigins, "/s/x"); got != tt.want {
				t.Errorf("expandURL(%q) = %q; want %q (%s)", tt.in, got, tt.want, tt.reason)
			}
		})
	}
}

func TestUntemplate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		url                bool
		in, want           string
	}{
		{desc: "url into scenario", reason: "inverse of expandURL", url: true, in: "http://127.0.0.2:40003/s/x/r", want: "{B}/r"},
		{desc: "url host form", reason: "inverse of expandURL for userinfo", url: true, in: "http://u@127.0.0.3:40004/s/x/r", want: "http://u@{C.host}/r"},
		{desc: "same host, other port", reason: "A and P share a host; ports tell them apart", url: true, in: "http://127.0.0.1:40002/s/x/r", want: "{P}/r"},
		{desc: "value with path", reason: "values keep the prefix explicit", in: "http://127.0.0.2:40003/s/x/r", want: "{B}{S}/r"},
		{desc: "value origin root", reason: "a Referer of the origin's root stays distinct from a route", in: "http://127.0.0.1:40001/", want: "{A}/"},
		{desc: "value null", reason: "nothing to replace", in: "null", want: "null"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			r := valueUntemplater(testOrigins, "/s/x")
			if tt.url {
				r = urlUntemplater(testOrigins, "/s/x")
			}
			if got := r.Replace(tt.in); got != tt.want {
				t.Errorf("untemplate(%q) = %q; want %q (%s)", tt.in, got, tt.want, tt.reason)
			}
		})
	}
	// Round trip: expanding then untemplating gives back the template.
	for _, tmpl := range []string{"{B}/r", "{A}/r2?x=1", "http://u:p@{C.host}/r"} {
		if got := urlUntemplater(testOrigins, "/s/x").Replace(expandURL(tmpl, testOrigins, "/s/x")); got != tmpl {
			t.Errorf("round trip of %q gave %q", tmpl, got)
		}
	}
}

func validScenario() Scenario {
	return Scenario{
		ID: "x-1", Area: "simple", Desc: "d", Reason: "r",
		Calls:  []CallSpec{{URL: "{B}/r"}},
		Routes: []Route{{At: "{B}/r"}},
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		edit               func(*Scenario)
		wantErr            string // "" means valid
	}{
		{desc: "valid", reason: "the base scenario is valid", edit: func(*Scenario) {}},
		{desc: "bad id", reason: "ids become path segments", edit: func(s *Scenario) { s.ID = "Bad_ID" }, wantErr: "id"},
		{desc: "no area", reason: "the summary groups by area", edit: func(s *Scenario) { s.Area = "" }, wantErr: "area"},
		{desc: "no reason", reason: "every scenario says why it exists", edit: func(s *Scenario) { s.Reason = "" }, wantErr: "reason"},
		{desc: "no calls", reason: "a scenario must do something", edit: func(s *Scenario) { s.Calls = nil }, wantErr: "no calls"},
		{desc: "route without origin", reason: "routes live on one of the four origins", edit: func(s *Scenario) { s.Routes[0].At = "/r" }, wantErr: "must start with"},
		{desc: "route with query", reason: "routes match paths only", edit: func(s *Scenario) { s.Routes[0].At = "{B}/r?x" }, wantErr: "no query"},
		{desc: "duplicate route", reason: "one answer per path", edit: func(s *Scenario) { s.Routes = append(s.Routes, Route{At: "{B}/r"}) }, wantErr: "twice"},
		{desc: "bad status", reason: "Go cannot send a final 1xx", edit: func(s *Scenario) { s.Routes[0].Response.Status = 101 }, wantErr: "status"},
		{desc: "bad header name", reason: "the server must be able to send it", edit: func(s *Scenario) { s.Routes[0].Response.Headers = []Field{{Name: "X Y", Value: "1"}} }, wantErr: "cannot be sent"},
		{desc: "bad mode", reason: "only fetch()'s enum values", edit: func(s *Scenario) { s.Calls[0].Mode = "navigate" }, wantErr: "mode"},
		{desc: "bad delay", reason: "delays are bounded", edit: func(s *Scenario) { s.Calls[0].DelayMS = -1 }, wantErr: "delay_ms"},
		{desc: "page", reason: "a call may name the page it is made from", edit: func(s *Scenario) { s.Calls[0].Page = "C" }},
		{desc: "bad page", reason: "pages are the four origins, by name", edit: func(s *Scenario) { s.Calls[0].Page = "a" }, wantErr: `page "a"`},
		{desc: "too many loads", reason: "page loads are bounded", edit: func(s *Scenario) {
			for range maxLoads {
				s.Calls = append(s.Calls, CallSpec{URL: "{B}/r", Navigate: true})
			}
		}, wantErr: "17 page loads"},
		{desc: "conditional answer", reason: "a route may answer conditional requests apart",
			edit: func(s *Scenario) { s.Routes[0].Conditional = &Answer{Status: 304} }},
		{desc: "lna", reason: "spaces by origin name, grants by permission name",
			edit: func(s *Scenario) {
				s.LNA = &LNA{Spaces: map[string]string{"A": "public", "B": "local", "C": "loopback"}, Grant: []string{"local-network", "loopback-network", "local-network-access"}}
			}},
		{desc: "empty lna", reason: "a browser of LNA scenarios with nothing set (a control)", edit: func(s *Scenario) { s.LNA = &LNA{} }},
		{desc: "lna bad origin", reason: "spaces name the four origins", edit: func(s *Scenario) { s.LNA = &LNA{Spaces: map[string]string{"D": "public"}} }, wantErr: `origin "D"`},
		{desc: "lna bad space", reason: "the spec's three spaces only", edit: func(s *Scenario) { s.LNA = &LNA{Spaces: map[string]string{"A": "private"}} }, wantErr: `space "private"`},
		{desc: "lna bad grant", reason: "the LNA permissions only", edit: func(s *Scenario) { s.LNA = &LNA{Grant: []string{"geolocation"}} }, wantErr: `permission "geolocation"`},
		{desc: "lna grant twice", reason: "a grant is given once", edit: func(s *Scenario) { s.LNA = &LNA{Grant: []string{"local-network", "local-network"}} }, wantErr: "given twice"},
		{desc: "target address space", reason: "a call may pass init.targetAddressSpace", edit: func(s *Scenario) { s.Calls[0].TargetAddressSpace = "private" }},
		{desc: "bad target address space", reason: "the enum's values only", edit: func(s *Scenario) { s.Calls[0].TargetAddressSpace = "lan" }, wantErr: `target_address_space "lan"`},
		{desc: "bad conditional answer", reason: "the conditional answer is checked like the others",
			edit: func(s *Scenario) {
				s.Routes[0].Conditional = &Answer{Status: 304, Headers: []Field{{Name: "X Y", Value: "1"}}}
			}, wantErr: "cannot be sent"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s := validScenario()
			tt.edit(&s)
			err := s.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v; want nil (%s)", err, tt.reason)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v; want an error mentioning %q (%s)", err, tt.wantErr, tt.reason)
			}
		})
	}
}

func TestLoadScenarios(t *testing.T) {
	t.Parallel()
	const one = `[{"id": "a", "area": "x", "desc": "d", "reason": "r", "calls": [{"url": "{B}/r"}], "routes": []}]`
	tests := []struct {
		desc, spec, reason string
		files              map[string]string
		wantErr            string
		wantIDs            string
	}{
		{desc: "two files", reason: "files are merged and sorted by id",
			files:   map[string]string{"d/1.json": strings.Replace(one, `"a"`, `"b"`, 1), "d/2.json": one},
			wantIDs: "a,b"},
		{desc: "duplicate id", reason: "ids are unique across files", files: map[string]string{"d/1.json": one, "d/2.json": one}, wantErr: "already used"},
		{desc: "unknown field", reason: "typos in field names are caught", files: map[string]string{"d/1.json": strings.Replace(one, `"desc"`, `"descr"`, 1)}, wantErr: "unknown field"},
		{desc: "bad field shape", reason: "header fields are pairs", files: map[string]string{"d/1.json": strings.Replace(one, `{"url": "{B}/r"}`, `{"url": "{B}/r", "headers": [["X"]]}`, 1)}, wantErr: "[name, value]"},
		{desc: "no files", reason: "an empty corpus is an error", files: map[string]string{"other/1.json": one}, wantErr: "no scenario files"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, body := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			got, err := LoadScenarios(fsys, "d")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("LoadScenarios() error = %v; want one mentioning %q (%s)", err, tt.wantErr, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			if strings.Join(ids, ",") != tt.wantIDs {
				t.Errorf("ids = %v; want %s (%s)", ids, tt.wantIDs, tt.reason)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		call               CallSpec
		want               Call
		wantErr            string
	}{
		{desc: "bare call", spec: "https://fetch.spec.whatwg.org/#requestinit",
			reason: "GET and fetch()'s defaults for the members left out",
			call:   CallSpec{URL: "{B}/r"},
			want:   Call{URL: "http://127.0.0.2:40003/s/x/r", Method: "GET"}},
		{desc: "given members", reason: "the method as given, header values expanded, the options parsed",
			call: CallSpec{URL: "{B}/r", Method: "patch", Headers: []Field{{Name: "X-A", Value: "1"}, {Name: "X-A", Value: "{A}"}},
				Body: strp(""), Mode: "no-cors", Credentials: "include", Redirect: "manual", Cache: "reload"},
			want: Call{URL: "http://127.0.0.2:40003/s/x/r", Method: "patch",
				Header: []Field{{Name: "X-A", Value: "1"}, {Name: "X-A", Value: "http://127.0.0.1:40001"}}, Body: strp(""),
				Options: fetch.Options{Mode: fetch.ModeNoCORS, Credentials: fetch.CredentialsInclude, Redirect: fetch.RedirectManual, Cache: fetch.CacheReload}}},
		{desc: "target address space", spec: "https://wicg.github.io/local-network-access/#fetch-api",
			reason: "init.targetAddressSpace is carried as given",
			call:   CallSpec{URL: "{B}/r", TargetAddressSpace: "loopback"},
			want:   Call{URL: "http://127.0.0.2:40003/s/x/r", Method: "GET", TargetAddressSpace: "loopback"}},
		{desc: "unknown mode", spec: "https://webidl.spec.whatwg.org/#es-enumeration",
			reason: "a value fetch() does not know is an error (a TypeError in a browser); the rest is resolved",
			call:   CallSpec{URL: "{B}/r", Mode: "navigate", Cache: "reload"},
			want:   Call{URL: "http://127.0.0.2:40003/s/x/r", Method: "GET"}, wantErr: `mode "navigate"`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := tt.call.Resolve(testOrigins, "x")
			if (err != nil) != (tt.wantErr != "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Resolve() error = %v; want one mentioning %q (%s)", err, tt.wantErr, tt.reason)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve() (-want +got), %s:\n%s", tt.reason, diff)
			}
		})
	}
}

func TestLoads(t *testing.T) {
	t.Parallel()
	call := func(page string, navigate bool) CallSpec {
		return CallSpec{URL: "{B}/r", Page: page, Navigate: navigate}
	}
	tests := []struct {
		desc, spec, reason string
		calls              []CallSpec
		want               []PageLoad
		wantPaged          bool
	}{
		{desc: "no page", reason: "a scenario whose calls name no page is one load of A, not paged",
			calls: []CallSpec{call("", false), call("", false)},
			want:  []PageLoad{{Page: "A", Start: 0, End: 2}}},
		{desc: "explicit A", reason: "naming page A makes the scenario paged, in one load",
			calls: []CallSpec{call("A", false), call("", false)},
			want:  []PageLoad{{Page: "A", Start: 0, End: 2}}, wantPaged: true},
		{desc: "A, P, A", reason: "a return to A after another page is a load of its own",
			calls: []CallSpec{call("", false), call("P", false), call("P", false), call("A", false)},
			want:  []PageLoad{{Page: "A", Start: 0, End: 1}, {Page: "P", Start: 1, End: 3}, {Page: "A", Start: 3, End: 4}}, wantPaged: true},
		{desc: "navigate", reason: "navigate starts a new load of the same page",
			calls: []CallSpec{call("", false), call("", true), call("", false)},
			want:  []PageLoad{{Page: "A", Start: 0, End: 1}, {Page: "A", Start: 1, End: 3}}, wantPaged: true},
		{desc: "navigate first", reason: "the first call starts a load anyway",
			calls: []CallSpec{call("B", true)},
			want:  []PageLoad{{Page: "B", Start: 0, End: 1}}, wantPaged: true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			s := Scenario{Calls: tt.calls}
			if diff := cmp.Diff(tt.want, s.Loads()); diff != "" {
				t.Errorf("Loads() (-want +got), %s:\n%s", tt.reason, diff)
			}
			if got := s.Paged(); got != tt.wantPaged {
				t.Errorf("Paged() = %v; want %v (%s)", got, tt.wantPaged, tt.reason)
			}
		})
	}
}

// TestDigestIgnoresAbsentPageFields checks that the fields added for pages
// and conditional answers leave the digest of a scenario without them as it
// was: the stored recordings carry those digests.
func TestDigestIgnoresAbsentPageFields(t *testing.T) {
	t.Parallel()
	s := validScenario()
	const want = `{"id":"x-1","area":"simple","desc":"d","reason":"r","calls":[{"url":"{B}/r"}],"routes":[{"at":"{B}/r","response":{}}]}`
	b, err := json.Marshal(s)
	if err != nil || string(b) != want {
		t.Errorf("encoding = %s, %v; want %s", b, err, want)
	}
}

func TestLNA(t *testing.T) {
	t.Parallel()
	l := &LNA{Spaces: map[string]string{"B": "local", "A": "public"}, Grant: []string{"loopback-network", "local-network"}}
	if got, want := l.Key(), "spaces A=public B=local; grant local-network loopback-network"; got != want {
		t.Errorf("Key() = %q; want %q", got, want)
	}
	same := &LNA{Spaces: map[string]string{"A": "public", "B": "local"}, Grant: []string{"local-network", "loopback-network"}}
	if l.Key() != same.Key() {
		t.Errorf("Key() differs for the same configuration: %q, %q", l.Key(), same.Key())
	}
	for _, tt := range []struct {
		l    *LNA
		want string
	}{{nil, ""}, {&LNA{}, "none"}, {&LNA{Grant: []string{"local-network"}}, "grant local-network"}} {
		if got := tt.l.Key(); got != tt.want {
			t.Errorf("Key() of %+v = %q; want %q", tt.l, got, tt.want)
		}
	}
	for name, want := range map[string]string{"A": "public", "B": "local", "P": "loopback", "C": "loopback"} {
		if got := l.Space(name); got != want {
			t.Errorf("Space(%s) = %q; want %q", name, got, want)
		}
	}
	if got := (*LNA)(nil).Space("A"); got != "loopback" {
		t.Errorf("nil Space(A) = %q; want loopback", got)
	}
	if !l.Granted("local-network") || l.Granted("local-network-access") || (*LNA)(nil).Granted("local-network") {
		t.Error("Granted() disagrees with Grant")
	}
	want := []EndpointSpace{{Origin: "A", Endpoint: "127.0.0.1:40001", Space: "public"}, {Origin: "B", Endpoint: "127.0.0.2:40003", Space: "local"}}
	if diff := cmp.Diff(want, l.EndpointSpaces(testOrigins)); diff != "" {
		t.Errorf("EndpointSpaces() (-want +got):\n%s", diff)
	}
}

// TestDigestIgnoresAbsentLNAFields checks that the Local Network Access
// fields are left out of a scenario's encoding when not set, so that the
// digests of the stored recordings stay as they were, and that a scenario
// that sets them encodes them.
func TestDigestIgnoresAbsentLNAFields(t *testing.T) {
	t.Parallel()
	s := validScenario()
	s.LNA = &LNA{Spaces: map[string]string{"A": "public"}}
	s.Calls[0].TargetAddressSpace = "local"
	const want = `{"id":"x-1","area":"simple","desc":"d","reason":"r","calls":[{"url":"{B}/r","target_address_space":"local"}],"routes":[{"at":"{B}/r","response":{}}],"lna":{"spaces":{"A":"public"}}}`
	b, err := json.Marshal(s)
	if err != nil || string(b) != want {
		t.Errorf("encoding = %s, %v; want %s", b, err, want)
	}
	if s.Digest() == validScenario().Digest() {
		t.Error("the LNA fields do not change the digest")
	}
}
