package conformance

import (
	"fmt"
	"net/http"
	"net/textproto"
	"sort"
	"strconv"
	"strings"
)

// Difference is one way in which a run disagrees with a recording.
type Difference struct {
	// Scenario is the ID of the scenario that differs.
	Scenario string
	// Area is the scenario's area.
	Area string
	// Where is "call N", "request N" (1-based), "requests" or "scenario".
	Where string
	// Field is the compared item, e.g. "status" or "access-control-request-headers".
	Field string
	// Want is the recorded value.
	Want string
	// Got is the value of the run.
	Got string
}

// String formats d as one line.
func (d Difference) String() string {
	return fmt.Sprintf("%s [%s] %s: %s: got %s, want %s", d.Scenario, d.Area, d.Where, d.Field, d.Got, d.Want)
}

// absent is how a missing header field or request prints in a Difference.
const absent = "(absent)"

// comparedFields are the request header fields whose values the comparator
// compares, besides the scenario's own header names and the derived items
// (cookie names, Authorization). Every other field is logged but not
// compared; see IgnoredFields.
var comparedFields = []string{
	"Origin",
	"Access-Control-Request-Method",
	"Access-Control-Request-Headers",
	"Content-Type",
	"Accept",
	"Sec-Fetch-Mode",
	"Sec-Fetch-Site",
	"Sec-Fetch-Dest",
	"Cache-Control",
	"Pragma",
	"If-None-Match",
	"If-Modified-Since",
}

// IgnoredFields lists request header fields that browsers add and that the
// comparator ignores because they carry no CORS meaning or differ by browser
// build (unless the scenario itself sets one of them, in which case its value
// is compared). They are still stored in recordings.
var IgnoredFields = []string{
	"Accept-Encoding", "Accept-Language", "Connection", "Content-Length", "Keep-Alive",
	"Priority", "Referer", "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform",
	"Sec-Fetch-Storage-Access", "User-Agent",
}

// item is one compared element of a request or an outcome.
type item struct{ name, value string }

// requestView returns the compared items of a logged request. custom holds
// the canonical names of header fields the scenario's calls set.
func requestView(r LoggedRequest, custom []string) []item {
	get := func(name string) string {
		vs, ok := r.Header[name]
		if !ok {
			return absent
		}
		return strconv.Quote(strings.Join(vs, ", "))
	}
	v := []item{
		{"origin server", r.Origin},
		{"method", r.Method},
		{"path", r.Path},
		{"query", strconv.Quote(r.Query)},
	}
	for _, name := range comparedFields {
		v = append(v, item{strings.ToLower(name), get(name)})
	}
	v = append(v, item{"cookie names", cookieNames(r.Header)})
	auth := absent
	if _, ok := r.Header["Authorization"]; ok {
		auth = get("Authorization")
	}
	v = append(v, item{"authorization", auth})
	for _, name := range custom {
		if name == "Authorization" || name == "Cookie" || containsFold(comparedFields, name) {
			continue
		}
		v = append(v, item{"header " + strings.ToLower(name), get(name)})
	}
	v = append(v, item{"body", strconv.Quote(r.Body)})
	return v
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// cookieNames returns the sorted names of the cookies in the Cookie fields of
// h, or absent.
func cookieNames(h http.Header) string {
	vs, ok := h["Cookie"]
	if !ok {
		return absent
	}
	var names []string
	for _, v := range vs {
		for _, c := range strings.Split(v, ";") {
			name, _, _ := strings.Cut(strings.TrimSpace(c), "=")
			if name != "" {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// customNames returns the canonical names of every header field the calls
// of s set.
func customNames(s *Scenario) []string {
	seen := map[string]bool{}
	var names []string
	for _, c := range s.Calls {
		for _, f := range c.Headers {
			n := textproto.CanonicalMIMEHeaderKey(f.Name)
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}

// outcomeView returns the compared items of an outcome. A rejected call has
// no other items: what a rejected promise carries is not compared.
func outcomeView(o Outcome) []item {
	if o.TypeError {
		return []item{{"result", "TypeError"}}
	}
	return []item{
		{"result", "resolved"},
		{"type", o.Type},
		{"status", strconv.Itoa(o.Status)},
		{"headers", strings.Join(o.Headers, ",")},
		{"body", strconv.Quote(o.Body)},
		{"redirected", strconv.FormatBool(o.Redirected)},
		{"url", o.URL},
	}
}

// compareItems appends to diffs one Difference per item that differs.
func compareItems(diffs []Difference, base Difference, want, got []item) []Difference {
	gm := map[string]string{}
	for _, it := range got {
		gm[it.name] = it.value
	}
	wm := map[string]string{}
	for _, it := range want {
		wm[it.name] = it.value
		g, ok := gm[it.name]
		if !ok {
			g = absent
		}
		if g != it.value {
			d := base
			d.Field, d.Want, d.Got = it.name, it.value, g
			diffs = append(diffs, d)
		}
	}
	for _, it := range got {
		if _, ok := wm[it.name]; !ok {
			d := base
			d.Field, d.Want, d.Got = it.name, absent, it.value
			diffs = append(diffs, d)
		}
	}
	return diffs
}

// CompareScenario returns the differences between the recording want of
// scenario s and the run got of the same scenario. It compares, per call, the
// outcome (when both resolved: type, status, visible header names, body,
// redirected and URL; a rejection only as TypeError), then the number and
// order of requests the server saw and, per request, the items listed in
// README.md. Digests are compared too: a recording of an older version of
// the scenario is a difference.
func CompareScenario(s *Scenario, want, got *RecordedScenario) []Difference {
	base := Difference{Scenario: s.ID, Area: s.Area}
	var diffs []Difference
	if want == nil {
		d := base
		d.Where, d.Field, d.Want, d.Got = "scenario", "recording", absent, "run"
		return append(diffs, d)
	}
	if want.Digest != s.Digest() {
		d := base
		d.Where, d.Field, d.Want, d.Got = "scenario", "digest", want.Digest, s.Digest()+" (scenario changed since it was recorded; re-record)"
		diffs = append(diffs, d)
	}
	if got == nil {
		d := base
		d.Where, d.Field, d.Want, d.Got = "scenario", "recording", "recorded", absent
		return append(diffs, d)
	}
	for i := 0; i < max(len(want.Outcomes), len(got.Outcomes)); i++ {
		b := base
		b.Where = fmt.Sprintf("call %d", i+1)
		var w, g []item
		if i < len(want.Outcomes) {
			w = outcomeView(want.Outcomes[i])
		} else {
			w = []item{{"result", absent}}
		}
		if i < len(got.Outcomes) {
			g = outcomeView(got.Outcomes[i])
		} else {
			g = []item{{"result", absent}}
		}
		diffs = compareItems(diffs, b, w, g)
	}
	if len(want.Requests) != len(got.Requests) {
		d := base
		d.Where, d.Field = "requests", "count and order"
		d.Want, d.Got = requestList(want.Requests), requestList(got.Requests)
		diffs = append(diffs, d)
	}
	custom := customNames(s)
	for i := 0; i < min(len(want.Requests), len(got.Requests)); i++ {
		b := base
		b.Where = fmt.Sprintf("request %d", i+1)
		diffs = compareItems(diffs, b, requestView(want.Requests[i], custom), requestView(got.Requests[i], custom))
	}
	return diffs
}

// requestList summarizes requests as "OPTIONS B/r, PUT B/r".
func requestList(rs []LoggedRequest) string {
	if len(rs) == 0 {
		return "(none)"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Method + " " + r.Origin + r.Path
	}
	return strconv.Itoa(len(rs)) + ": " + strings.Join(parts, ", ")
}

// CompareRecordings returns the differences between two recordings of the
// corpus scenarios, ignoring engine versions. The re-recording check uses
// it: want is the stored recording, got the fresh one.
func CompareRecordings(scenarios []Scenario, want, got *Recording) []Difference {
	var diffs []Difference
	if want.Engine != got.Engine {
		diffs = append(diffs, Difference{Where: "recording", Field: "engine", Want: want.Engine, Got: got.Engine})
	}
	known := map[string]bool{}
	for i := range scenarios {
		s := &scenarios[i]
		known[s.ID] = true
		w := want.Scenario(s.ID)
		g := got.Scenario(s.ID)
		if w == nil && g == nil {
			continue
		}
		diffs = append(diffs, CompareScenario(s, w, g)...)
	}
	for _, r := range []*Recording{want, got} {
		for _, rs := range r.Scenarios {
			if !known[rs.ID] {
				diffs = append(diffs, Difference{Scenario: rs.ID, Where: "scenario", Field: "corpus", Want: "in corpus", Got: "recorded but not in corpus"})
				known[rs.ID] = true
			}
		}
	}
	return diffs
}
