package audit

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
)

// Schema names the version of the JSON form of a Report. Fields are added
// to it, never removed or renamed; a change that breaks a reader gets a new
// name.
const Schema = "corsprobe-audit/v1"

// Report is what an audit found.
type Report struct {
	// Schema is the Schema constant.
	Schema string `json:"schema"`
	// Origin is the legitimate page's origin, as Config.Origin.
	Origin string `json:"origin"`
	// Profiles names the browser profiles audited, in order.
	Profiles []string `json:"profiles"`
	// CookiesGiven reports whether the user's cookies were given
	// (Config.Cookies); without them each verdict says what a session
	// cookie's SameSite decides.
	CookiesGiven bool `json:"cookies_given"`
	// Findings are sorted by severity, most severe first, then by URL and
	// class.
	Findings []Finding `json:"findings"`
	// URLs has one entry per URL audited, in the order given.
	URLs []URLSummary `json:"urls"`
}

// URLSummary says how a URL was audited.
type URLSummary struct {
	URL string `json:"url"`
	// Requests is the number of requests sent to the server for the URL;
	// never more than Config.MaxRequests.
	Requests int `json:"requests"`
	// Skipped lists the probes left out, each with the reason (the request
	// budget, a finding that made them moot, a method not allowed).
	Skipped []string `json:"skipped,omitempty"`
	// Notes say what changes every verdict at the URL, such as an https
	// page calling an http URL (mixed content).
	Notes []string `json:"notes,omitempty"`
	// Error is set when the URL could not be audited at all.
	Error string `json:"error,omitempty"`
}

// Finding is one problem found at one URL.
type Finding struct {
	Class    Class    `json:"class"`
	Severity Severity `json:"severity"`
	URL      string   `json:"url"`
	// Title says what was found, in one line.
	Title string `json:"title"`
	// Detail says what was seen and what it means in the browsers.
	Detail string `json:"detail"`
	// Fix says what to change on the server.
	Fix string `json:"fix"`
	// Probe is the request that showed the finding and its answer.
	Probe Exchange `json:"probe"`
	// Verdicts has one entry per profile audited, in Report.Profiles'
	// order.
	Verdicts []Verdict `json:"verdicts"`
}

// Exchange is a request the audit sent and the answer it got.
type Exchange struct {
	Request  ProbeRequest   `json:"request"`
	Response *ProbeResponse `json:"response,omitempty"`
	// Error is set when no answer came.
	Error string `json:"error,omitempty"`
}

// ProbeRequest is a request as sent. Header holds every field sent but
// Cookie, whose value is replaced by the cookies' names.
type ProbeRequest struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header"`
}

// ProbeResponse is the head of an answer, and its body's length (the
// bytes read, at most maxBody).
type ProbeResponse struct {
	Status     int         `json:"status"`
	Header     http.Header `json:"header"`
	BodyLength int         `json:"body_length"`
}

// Verdict is what one browser profile makes of a finding: for an origin a
// server allows, whether that origin's page reads the answer and whether
// the request carried the user's cookies; for a broken answer, what the
// legitimate page meets.
type Verdict struct {
	// Profile is the profile's name, such as "Chrome".
	Profile string `json:"profile"`
	// Readable reports whether page script reads the answer.
	Readable bool `json:"readable"`
	// Credentialed reports whether the request that script reads carried
	// the user's cookies.
	Credentialed bool `json:"credentialed"`
	// CookiesSent names the cookies the browser attached.
	CookiesSent []string `json:"cookies_sent"`
	// Reason is the fetch.Reason of a blocked fetch.
	Reason string `json:"reason,omitempty"`
	// Summary says it in a sentence.
	Summary string `json:"summary"`
}

// Max returns the highest severity of the findings, and false when there
// are none.
func (r *Report) Max() (Severity, bool) {
	if len(r.Findings) == 0 {
		return 0, false
	}
	m := Info
	for _, f := range r.Findings {
		m = max(m, f.Severity)
	}
	return m, true
}

// Has reports whether a finding of class c was made at any URL.
func (r *Report) Has(c Class) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Class == c })
}

// AtLeast returns the findings of severity s or above.
func (r *Report) AtLeast(s Severity) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Severity >= s {
			out = append(out, f)
		}
	}
	return out
}

// WriteJSON writes r as indented JSON, the Schema document.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// sortFindings orders the findings: most severe first, then by URL in the
// order audited, then by class in the order of Classes.
func (r *Report) sortFindings() {
	urlRank := map[string]int{}
	for i, u := range r.URLs {
		urlRank[u.URL] = i
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		switch {
		case a.Severity != b.Severity:
			return int(b.Severity) - int(a.Severity)
		case a.URL != b.URL:
			return urlRank[a.URL] - urlRank[b.URL]
		}
		return slices.Index(Classes, a.Class) - slices.Index(Classes, b.Class)
	})
}
