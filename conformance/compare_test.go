package conformance

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func compareScenario() Scenario {
	return Scenario{
		ID: "cmp", Area: "test", Desc: "d", Reason: "r",
		Calls:  []CallSpec{{URL: "{B}/r", Method: "PUT", Headers: []Field{{Name: "X-Custom", Value: "1"}}}},
		Routes: []Route{{At: "{B}/r"}},
	}
}

func recorded(s *Scenario) RecordedScenario {
	return RecordedScenario{
		ID:     s.ID,
		Digest: s.Digest(),
		Outcomes: []Outcome{{
			Type: "cors", Status: 200, Headers: []string{"content-length"}, Body: "B /r", URL: "{B}/r",
		}},
		Requests: []LoggedRequest{
			{Origin: "B", Method: "OPTIONS", Path: "/r", Header: http.Header{
				"Origin": {"{A}"}, "Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"x-custom"},
				"Accept": {"*/*"}, "User-Agent": {"Chromium"}, "Sec-Fetch-Mode": {"cors"},
			}},
			{Origin: "B", Method: "PUT", Path: "/r", Header: http.Header{
				"Origin": {"{A}"}, "X-Custom": {"1"}, "Accept": {"*/*"}, "Cookie": {"a=1; b=2"}, "User-Agent": {"Chromium"},
			}},
		},
	}
}

func TestCompareScenario(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		edit               func(*RecordedScenario)
		want               []string // "where/field" of each difference
	}{
		{desc: "identical", reason: "no difference, no report", edit: func(*RecordedScenario) {}},
		{desc: "rejected instead of resolved", reason: "the main signal: a browser blocks what the client let through",
			edit: func(r *RecordedScenario) { r.Outcomes[0] = Outcome{TypeError: true, Error: "blocked"} },
			want: []string{"call 1/result", "call 1/type", "call 1/status", "call 1/headers", "call 1/body", "call 1/redirected", "call 1/url"}},
		{desc: "status", reason: "status is compared", edit: func(r *RecordedScenario) { r.Outcomes[0].Status = 204 }, want: []string{"call 1/status"}},
		{desc: "visible headers", reason: "visible names are compared", edit: func(r *RecordedScenario) { r.Outcomes[0].Headers = []string{"content-length", "x-foo"} }, want: []string{"call 1/headers"}},
		{desc: "error text ignored", reason: "the free-text error is diagnostics only", edit: func(r *RecordedScenario) { r.Outcomes[0].Error = "something" }},
		{desc: "missing call", reason: "a call that did not happen", edit: func(r *RecordedScenario) { r.Outcomes = nil },
			want: []string{"call 1/result", "call 1/type", "call 1/status", "call 1/headers", "call 1/body", "call 1/redirected", "call 1/url"}},
		{desc: "no preflight", reason: "the number and order of requests are compared",
			edit: func(r *RecordedScenario) { r.Requests = r.Requests[1:] },
			want: []string{"requests/count and order", "request 1/method", "request 1/access-control-request-method", "request 1/access-control-request-headers", "request 1/sec-fetch-mode", "request 1/cookie names", "request 1/header x-custom"}},
		{desc: "acrh", reason: "ACRH is compared", edit: func(r *RecordedScenario) {
			r.Requests[0].Header["Access-Control-Request-Headers"] = []string{"x-custom, x-other"}
		}, want: []string{"request 1/access-control-request-headers"}},
		{desc: "origin absent", reason: "Origin presence is compared", edit: func(r *RecordedScenario) { delete(r.Requests[1].Header, "Origin") }, want: []string{"request 2/origin"}},
		{desc: "user agent ignored", reason: "User-Agent is in IgnoredFields", edit: func(r *RecordedScenario) { r.Requests[0].Header["User-Agent"] = []string{"Go"} }},
		{desc: "unrelated header ignored", reason: "headers the scenario does not set are not compared", edit: func(r *RecordedScenario) { r.Requests[1].Header["X-Other"] = []string{"1"} }},
		{desc: "custom header value", reason: "the scenario's own headers are compared", edit: func(r *RecordedScenario) { r.Requests[1].Header["X-Custom"] = []string{"1, 1"} }, want: []string{"request 2/header x-custom"}},
		{desc: "cookie order ignored", reason: "cookie names are compared as a set", edit: func(r *RecordedScenario) { r.Requests[1].Header["Cookie"] = []string{"b=9", "a=8"} }},
		{desc: "cookie missing", reason: "which cookies arrived is compared", edit: func(r *RecordedScenario) { delete(r.Requests[1].Header, "Cookie") }, want: []string{"request 2/cookie names"}},
		{desc: "authorization", reason: "Authorization presence is compared", edit: func(r *RecordedScenario) { r.Requests[1].Header["Authorization"] = []string{"x"} }, want: []string{"request 2/authorization"}},
		{desc: "body", reason: "the request body is compared", edit: func(r *RecordedScenario) { r.Requests[1].Body = "x" }, want: []string{"request 2/body"}},
	}
	s := compareScenario()
	want := recorded(&s)
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got := recorded(&s)
			tt.edit(&got)
			var where []string
			for _, d := range CompareScenario(&s, &want, &got) {
				where = append(where, d.Where+"/"+d.Field)
				if d.Scenario != "cmp" || d.Area != "test" {
					t.Errorf("difference %v does not name its scenario", d)
				}
			}
			if diff := cmp.Diff(tt.want, where); diff != "" {
				t.Errorf("differences (-want +got), %s:\n%s", tt.reason, diff)
			}
		})
	}
}

func TestCompareScenarioStale(t *testing.T) {
	t.Parallel()
	s := compareScenario()
	rec := recorded(&s)
	s.Desc = "edited"
	diffs := CompareScenario(&s, &rec, &rec)
	if len(diffs) != 1 || diffs[0].Field != "digest" {
		t.Errorf("CompareScenario after an edit = %v; want one digest difference", diffs)
	}
	if diffs := CompareScenario(&s, nil, &rec); len(diffs) != 1 || diffs[0].Field != "recording" {
		t.Errorf("CompareScenario without recording = %v; want one recording difference", diffs)
	}
}

func TestCompareRecordings(t *testing.T) {
	t.Parallel()
	s := compareScenario()
	scenarios := []Scenario{s}
	a := &Recording{Engine: "chromium", Version: "1", Scenarios: []RecordedScenario{recorded(&s)}}
	b := &Recording{Engine: "chromium", Version: "2", Scenarios: []RecordedScenario{recorded(&s)}}
	if d := CompareRecordings(scenarios, a, b); len(d) != 0 {
		t.Errorf("recordings differing only in version: %v; want none", d)
	}
	b.Scenarios = append(b.Scenarios, RecordedScenario{ID: "gone"})
	b.Scenarios[0].Requests = b.Scenarios[0].Requests[:1]
	var fields []string
	for _, d := range CompareRecordings(scenarios, a, b) {
		fields = append(fields, d.Field)
	}
	if !strings.Contains(strings.Join(fields, ","), "count and order") || !strings.Contains(strings.Join(fields, ","), "corpus") {
		t.Errorf("differences = %v; want a request count and an unknown scenario", fields)
	}
}

func TestRecordingEncoding(t *testing.T) {
	t.Parallel()
	s := compareScenario()
	rec := &Recording{Engine: "chromium", Version: "Chromium 1 <&>", Scenarios: []RecordedScenario{recorded(&s)},
		LNA: []LNARun{{Config: "spaces A=public", Scenarios: []string{s.ID}, Setup: []string{"--ip-address-space-overrides={A.host}=public"},
			WarmUp: []WarmUp{{Origin: "B", Error: "TypeError: Failed to fetch"}}}}}
	var b1, b2 bytes.Buffer
	if err := rec.Encode(&b1); err != nil {
		t.Fatal(err)
	}
	if err := rec.Encode(&b2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Errorf("two encodings of one recording differ")
	}
	if !strings.Contains(b1.String(), "<&>") {
		t.Errorf("encoding escapes HTML characters; recordings should stay readable")
	}
	got, err := DecodeRecording(&b1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rec, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"engine": "x", "extra": 1}`, `{"version": "1"}`, `[`} {
		if _, err := DecodeRecording(strings.NewReader(bad)); err == nil {
			t.Errorf("DecodeRecording(%s) succeeded; want an error", bad)
		}
	}
}

func TestFetchHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc, spec, reason string
		call               Call
		want               []Field
	}{
		{desc: "no body", spec: "https://fetch.spec.whatwg.org/#concept-bodyinit-extract", reason: "nothing added without a body",
			call: Call{Header: []Field{{Name: "X", Value: "1"}}}, want: []Field{{Name: "X", Value: "1"}}},
		{desc: "string body", spec: "https://fetch.spec.whatwg.org/#concept-bodyinit-extract", reason: "a string body brings its Content-Type",
			call: Call{Body: strp("x")}, want: []Field{{Name: "Content-Type", Value: "text/plain;charset=UTF-8"}}},
		{desc: "explicit type", spec: "https://fetch.spec.whatwg.org/#dom-request", reason: "an author Content-Type wins",
			call: Call{Body: strp("x"), Header: []Field{{Name: "content-type", Value: "a/b"}}}, want: []Field{{Name: "content-type", Value: "a/b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.call.FetchHeader()); diff != "" {
				t.Errorf("FetchHeader() (-want +got), %s:\n%s", tt.reason, diff)
			}
		})
	}
}
