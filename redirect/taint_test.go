package redirect_test

import (
	"net/url"
	"testing"

	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/redirect"
)

func TestTaintOf(t *testing.T) {
	a := origin.MustParse(pageA)
	tests := []struct {
		desc, spec, reason string
		list               []string
		want               redirect.Taint
		wantOrigin         string // SerializeOrigin
	}{
		{desc: "no redirect", spec: "#concept-request-tainted-origin", reason: "no pairs: untainted",
			list: []string{hostB + "/r"}, want: redirect.SameOrigin, wantOrigin: pageA},
		{desc: "A to B", spec: "#concept-request-tainted-origin step 3", reason: "lastURL is the request's origin (redirect-a-to-b: Origin A at B)",
			list: []string{pageA + "/r", hostB + "/r"}, want: redirect.SameOrigin, wantOrigin: pageA},
		{desc: "A to A", spec: "#concept-request-tainted-origin step 3", reason: "same origin all the way (redirect-a-to-a)",
			list: []string{pageA + "/r", pageA + "/r2"}, want: redirect.SameOrigin, wantOrigin: pageA},
		{desc: "B to B", spec: "#concept-request-tainted-origin step 3", reason: "url same origin with lastURL (redirect-302-get-same-origin-b: Origin A at r2)",
			list: []string{hostB + "/r1", hostB + "/r2"}, want: redirect.SameOrigin, wantOrigin: pageA},
		{desc: "B to C", spec: "#concept-request-tainted-origin step 3.2", reason: "B is not A's site and C is not B's (redirect-b-to-c-echo: Origin null at C)",
			list: []string{hostB + "/r", hostC + "/r"}, want: redirect.CrossSite, wantOrigin: "null"},
		{desc: "B to B to C", spec: "#concept-request-tainted-origin step 3.2", reason: "taint happens at the B to C hop (redirect-b-to-b-to-c)",
			list: []string{hostB + "/r1", hostB + "/r2", hostC + "/r"}, want: redirect.CrossSite, wantOrigin: "null"},
		{desc: "B to A", spec: "#concept-request-tainted-origin step 3.2", reason: "coming back to A is tainted (redirect-b-to-a: Origin null at A)",
			list: []string{hostB + "/r", pageA + "/back"}, want: redirect.CrossSite, wantOrigin: "null"},
		{desc: "B to P", spec: "#concept-request-tainted-origin step 3.2", reason: "P is same site with A but not with B (redirect-b-to-p: Origin null at P)",
			list: []string{hostB + "/r", hostP + "/r"}, want: redirect.CrossSite, wantOrigin: "null"},
		{desc: "P to A", spec: "#concept-request-tainted-origin step 3.3", reason: "same site, cross origin, and A is not P's origin (redirect-p-to-a: Origin null at A)",
			list: []string{hostP + "/r", pageA + "/r"}, want: redirect.SameSite, wantOrigin: "null"},
		{desc: "A to P to B", spec: "#concept-request-tainted-origin step 3.2", reason: "P to B: B not same site with P, A is same site with P: not cross-site; A not same origin with P: same-site",
			list: []string{pageA + "/r", hostP + "/r", hostB + "/r"}, want: redirect.SameSite, wantOrigin: "null"},
		{desc: "A to B to B", spec: "#concept-request-tainted-origin step 3", reason: "every pair passes",
			list: []string{pageA + "/r", hostB + "/r", hostB + "/r2"}, want: redirect.SameOrigin, wantOrigin: pageA},
		{desc: "cross-site wins", spec: "#concept-request-tainted-origin step 3.2", reason: "cross-site returns at once, after an earlier same-site",
			list: []string{hostP + "/r", pageA + "/r", hostB + "/r", hostC + "/r"}, want: redirect.CrossSite, wantOrigin: "null"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			list := urls(t, tt.list...)
			if got := redirect.TaintOf(a, list); got != tt.want {
				t.Errorf("TaintOf(A, %q) = %v; want %v (%s: %s)", tt.list, got, tt.want, tt.spec, tt.reason)
			}
			if got := redirect.SerializeOrigin(a, list); got != tt.wantOrigin {
				t.Errorf("SerializeOrigin(A, %q) = %q; want %q (#serializing-a-request-origin)", tt.list, got, tt.wantOrigin)
			}
		})
	}
}

// slowTaintOf is a literal transcription of #concept-request-tainted-origin,
// computing every origin through origin.FromURL.
func slowTaintOf(o origin.Origin, list []*url.URL) redirect.Taint {
	taint := redirect.SameOrigin
	var lastURL *url.URL
	for _, u := range list {
		if lastURL == nil {
			lastURL = u
			continue
		}
		uo, lo := origin.FromURL(u), origin.FromURL(lastURL)
		if !uo.SameSite(lo) && !o.SameSite(lo) {
			return redirect.CrossSite
		}
		if !uo.SameOrigin(lo) && !o.SameOrigin(lo) {
			taint = redirect.SameSite
		}
		lastURL = u
	}
	return taint
}

// taintPool holds URLs for the oracle comparison: the corpus origins, the
// same origins written differently (default port, upper case, other
// paths), another scheme and a sub-domain pair.
var taintPool = []string{
	pageA + "/r", pageA + "/x?q", "HTTP://127.0.0.1:8000/r", hostP + "/r", hostB + "/r", hostB + "/r2",
	hostC + "/r", "http://a.example/", "http://a.example:80/x", "https://a.example/", "http://b.a.example/",
	"http://A.Example/", "http://[::1]:8000/", "http://0x7f.0.0.1:8000/",
}

var taintOrigins = []string{pageA, "http://a.example", "https://a.example", hostB, "null"}

// TestTaintOfOracle compares TaintOf with slowTaintOf on every URL list of
// up to three URLs from taintPool, for several request origins.
func TestTaintOfOracle(t *testing.T) {
	pool := urls(t, taintPool...)
	for _, os := range taintOrigins {
		o := origin.MustParse(os)
		var walk func(list []*url.URL)
		walk = func(list []*url.URL) {
			if got, want := redirect.TaintOf(o, list), slowTaintOf(o, list); got != want {
				t.Errorf("TaintOf(%s, %v) = %v; slow oracle says %v", os, list, got, want)
			}
			if len(list) == 3 {
				return
			}
			for _, u := range pool {
				walk(append(list[:len(list):len(list)], u))
			}
		}
		walk(nil)
	}
}

// FuzzTaintOf compares TaintOf with slowTaintOf on URL lists chosen by the
// fuzzer from taintPool.
func FuzzTaintOf(f *testing.F) {
	f.Add(uint8(0), []byte{4, 6, 0})
	f.Add(uint8(1), []byte{3, 0, 4, 6})
	pool := urls(f, taintPool...)
	f.Fuzz(func(t *testing.T, oi uint8, picks []byte) {
		if len(picks) > 8 {
			picks = picks[:8]
		}
		o := origin.MustParse(taintOrigins[int(oi)%len(taintOrigins)])
		list := make([]*url.URL, len(picks))
		for i, p := range picks {
			list[i] = pool[int(p)%len(pool)]
		}
		if got, want := redirect.TaintOf(o, list), slowTaintOf(o, list); got != want {
			t.Errorf("TaintOf(%s, %v) = %v; slow oracle says %v", o, list, got, want)
		}
	})
}

// TestTaintOfAllocs checks that untainted chains whose hosts are written in
// canonical form cost no allocation.
func TestTaintOfAllocs(t *testing.T) {
	a := origin.MustParse(pageA)
	for _, list := range [][]*url.URL{
		urls(t, pageA+"/r", hostB+"/r"),
		urls(t, hostB+"/r1", hostB+"/r2", hostB+"/r3"),
	} {
		if n := testing.AllocsPerRun(100, func() { redirect.TaintOf(a, list) }); n != 0 {
			t.Errorf("TaintOf(A, %v): %v allocations; want 0", list, n)
		}
	}
}
