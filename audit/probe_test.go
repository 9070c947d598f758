package audit

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/origin"
)

// logServer wraps h and keeps every request it got.
type logServer struct {
	h    http.Handler
	mu   sync.Mutex
	seen []*http.Request
}

func (s *logServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seen = append(s.seen, r.Clone(r.Context()))
	s.mu.Unlock()
	s.h.ServeHTTP(w, r)
}

// TestProbeBounds checks the audit's promises about what it sends: the
// methods (GET, HEAD, OPTIONS unless UnsafeMethods), the request budget,
// the user's cookies on the legitimate origin's requests only, and the
// extra headers on every probe.
func TestProbeBounds(t *testing.T) {
	cookie := cookiestore.Cookie{Cookie: http.Cookie{Name: "sid", Value: "s3cr3t", Path: "/", Domain: "api.example.com", Secure: true, SameSite: http.SameSiteNoneMode}, HostOnly: true}
	for _, tt := range []struct {
		name   string
		edit   func(*Config)
		budget int
		post   bool
	}{
		{name: "defaults", budget: DefaultMaxRequests},
		{name: "small budget", edit: func(c *Config) { c.MaxRequests = 5 }, budget: 5},
		{name: "unsafe methods", edit: func(c *Config) { c.UnsafeMethods = true }, budget: DefaultMaxRequests, post: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ls := &logServer{h: &corsServer{allow: exactOrigin}}
			r := auditHandler(t, ls, func(c *Config) {
				c.Cookies = []cookiestore.Cookie{cookie}
				c.Header = http.Header{"X-Api-Key": {"k"}}
				if tt.edit != nil {
					tt.edit(c)
				}
			})
			if n := len(ls.seen); n > tt.budget || n != r.URLs[0].Requests {
				t.Errorf("%d requests seen, %d reported, budget %d", n, r.URLs[0].Requests, tt.budget)
			}
			sawPost := false
			for _, req := range ls.seen {
				switch req.Method {
				case http.MethodGet, http.MethodHead, http.MethodOptions:
				case http.MethodPost:
					sawPost = true
				default:
					t.Errorf("%s sent", req.Method)
				}
				if req.Header.Get("X-Api-Key") != "k" {
					t.Errorf("%s %s without Config.Header", req.Method, req.URL)
				}
				o := req.Header.Get("Origin")
				if c := req.Header.Get("Cookie"); c != "" && (o != testPage || req.Method == http.MethodOptions) {
					t.Errorf("cookie %q sent with Origin %q (%s): only the legitimate origin's requests carry it", c, o, req.Method)
				}
			}
			if sawPost != tt.post {
				t.Errorf("POST sent: %v, want %v", sawPost, tt.post)
			}
			if tt.budget < DefaultMaxRequests && len(r.URLs[0].Skipped) == 0 {
				t.Error("no probe listed as skipped under a small budget")
			}
		})
	}
}

// TestRunInterval checks Run over a network: the interval between the
// requests it sends is kept (a lower bound, measured where they leave),
// within a URL and from one URL to the next, and the report counts them.
func TestRunInterval(t *testing.T) {
	srv := httptest.NewServer(&corsServer{allow: exactOrigin})
	defer srv.Close()
	base := &timedTransport{base: srv.Client().Transport}
	const interval = 20 * time.Millisecond
	r, err := Run(t.Context(), Config{Origin: origin.MustParse(testPage), Interval: interval, MaxRequests: 3, Base: base}, srv.URL+"/items", srv.URL+"/other")
	if err != nil {
		t.Fatal(err)
	}
	if len(base.times) != 6 || r.URLs[0].Requests != 3 || r.URLs[1].Requests != 3 {
		t.Fatalf("%d requests sent, %d and %d reported; want 6, 3 per URL", len(base.times), r.URLs[0].Requests, r.URLs[1].Requests)
	}
	for i := 1; i < len(base.times); i++ {
		if d := base.times[i].Sub(base.times[i-1]); d < interval {
			t.Errorf("request %d left %v after the one before; want at least %v", i, d, interval)
		}
	}
}

// timedTransport notes when each request leaves.
type timedTransport struct {
	base  http.RoundTripper
	mu    sync.Mutex
	times []time.Time
}

func (t *timedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.times = append(t.times, time.Now())
	t.mu.Unlock()
	return t.base.RoundTrip(req)
}

// TestRunErrors checks what cannot be audited: a configuration error is
// returned, a bad URL or a server that does not answer is reported in its
// URLSummary.
func TestRunErrors(t *testing.T) {
	if _, err := Run(t.Context(), Config{}, "https://api.example.com/"); err == nil || !strings.Contains(err.Error(), "Origin is required") {
		t.Errorf("zero origin: %v", err)
	}
	if _, err := Run(t.Context(), Config{Origin: origin.NewOpaque()}, "https://api.example.com/"); err == nil {
		t.Error("opaque origin accepted")
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there now
	r, err := Run(t.Context(), Config{Origin: origin.MustParse(testPage), Interval: -1}, "ftp://x.example/", "/relative", srv.URL+"/gone")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range r.URLs {
		if u.Error == "" {
			t.Errorf("%s: no error", u.URL)
		}
	}
	if len(r.Findings) != 0 {
		t.Errorf("findings without answers: %v", r.Findings)
	}
}

// TestCandidates checks the attacker origins derived from the page's:
// each one an origin an attacker can hold that a flawed check lets pass.
func TestCandidates(t *testing.T) {
	cands, skipped := candidates(origin.MustParse("https://app.example.com"), []string{"_"})
	got := map[Class][]string{}
	for _, c := range cands {
		got[c.class] = append(got[c.class], c.origin)
	}
	want := map[Class]string{
		OriginNull:           "null",                                               // #ascii-serialisation-of-an-origin of an opaque origin
		OriginPrefixMatch:    "https://app.example.com.corsprobe-attacker.example", // startsWith
		OriginSuffixMatch:    "https://corsprobeattackerexample.com",               // endsWith the site without its dot
		OriginUnescapedDot:   "https://appxexample.com",                            // the dot before the site, as a regexp's "."
		OriginSubstringMatch: "https://app.example.co",                             // contained in the page's origin
		OriginAnySubdomain:   "https://corsprobe-sub.example.com",                  // same site
		OriginInsecureScheme: "http://app.example.com",                             // schemeful: another site
		OriginSpecialChars:   "https://app.example.com_.corsprobe-attacker.example",
	}
	for c, o := range want {
		if !slices.Contains(got[c], o) {
			t.Errorf("%s: %v, want %s", c, got[c], o)
		}
	}
	if len(got[OriginThirdParty]) != len(thirdPartyHosts) || len(skipped) != 0 {
		t.Errorf("third party %v, skipped %v", got[OriginThirdParty], skipped)
	}
	// An IP address has no site: no suffix, unescaped-dot, subdomain or
	// special-character origin.
	cands, skipped = candidates(origin.MustParse("http://127.0.0.1:3000"), []string{"_"})
	for _, c := range cands {
		switch c.class {
		case OriginSuffixMatch, OriginUnescapedDot, OriginAnySubdomain, OriginSpecialChars, OriginPrefixMatch, OriginInsecureScheme:
			t.Errorf("%s for an IP address: %s", c.class, c.origin)
		}
	}
	if len(skipped) != 2 {
		t.Errorf("skipped %v", skipped)
	}
	if got := unescapedDot("example.com", "example.com"); got != "" {
		t.Errorf("unescapedDot of a site: %q", got)
	}
}

// TestSeverityText checks the names of the severities, both ways.
func TestSeverityText(t *testing.T) {
	for s := Info; s <= High; s++ {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%s: %v, %v", b, back, err)
		}
	}
	if _, err := ParseSeverity("critical"); err == nil {
		t.Error("critical parsed")
	}
	if _, err := Severity(9).MarshalText(); err == nil {
		t.Error("Severity(9) marshalled")
	}
}
