package redirect_test

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/redirect"
)

func urls(t testing.TB, ss ...string) []*url.URL {
	t.Helper()
	out := make([]*url.URL, len(ss))
	for i, s := range ss {
		out[i] = mustURL(t, s)
	}
	return out
}

var (
	bodyHeaders = []string{"Content-Encoding", "Content-Language", "Content-Location", "Content-Type", "Content-Length"}
	authHeader  = []string{"Authorization"}
	bodyAndAuth = append(slices.Clone(bodyHeaders), "Authorization")
)

func TestNext(t *testing.T) {
	a := origin.MustParse(pageA)
	// cors is a cross-origin request from A in mode cors; the hop is from
	// the last URL of the list.
	cors := func(method string, body bool, list ...string) redirect.Request {
		return redirect.Request{Origin: a, URLs: urls(t, list...), Method: method, HasBody: body, CORSMode: true, CORSTainting: true}
	}
	tests := []struct {
		desc, spec, reason string
		req                redirect.Request
		status             int
		loc                string
		policy             redirect.Policy
		want               redirect.Hop // URL filled from loc
		wantErr            error
	}{
		{"301 POST to GET", "#concept-http-redirect-fetch step 12", "301 rewrites POST, dropping body and body headers (redirect-301-post)",
			cors("POST", true, hostB+"/r1"), 301, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, nil},
		{"302 POST to GET", "#concept-http-redirect-fetch step 12", "302 rewrites POST (redirect-302-post)",
			cors("POST", true, hostB+"/r1"), 302, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, nil},
		{"303 POST to GET", "#concept-http-redirect-fetch step 12", "303 rewrites POST (redirect-303-post)",
			cors("POST", true, hostB+"/r1"), 303, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, nil},
		{"307 POST kept", "#concept-http-redirect-fetch step 12", "307 keeps method, body and headers (redirect-307-post)",
			cors("POST", true, hostB+"/r1"), 307, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "POST", Count: 1}, nil},
		{"308 POST kept", "#concept-http-redirect-fetch step 12", "308 keeps method, body and headers (redirect-308-post)",
			cors("POST", true, hostB+"/r1"), 308, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "POST", Count: 1}, nil},
		{"301 PUT kept", "#concept-http-redirect-fetch step 12", "301 rewrites only POST; PUT is preflighted again (redirect-301-put)",
			cors("PUT", true, hostB+"/r1"), 301, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "PUT", Count: 1}, nil},
		{"302 PUT kept", "#concept-http-redirect-fetch step 12", "302 rewrites only POST (redirect-302-put)",
			cors("PUT", true, hostB+"/r1"), 302, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "PUT", Count: 1}, nil},
		{"303 PUT to GET", "#concept-http-redirect-fetch step 12", "303 rewrites every method but GET and HEAD (redirect-303-put)",
			cors("PUT", true, hostB+"/r1"), 303, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, nil},
		{"303 HEAD kept", "#concept-http-redirect-fetch step 12", "303 leaves HEAD alone",
			cors("HEAD", false, hostB+"/r1"), 303, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "HEAD", Count: 1}, nil},
		{"303 GET kept", "#concept-http-redirect-fetch step 12", "303 leaves GET alone (redirect-303-get-same-origin-b)",
			cors("GET", false, hostB+"/r1"), 303, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", Count: 1}, nil},
		{"lower-case post not rewritten", "#concept-http-redirect-fetch step 12", "the method compares byte for byte; callers normalize first",
			cors("post", true, hostB+"/r1"), 301, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "post", Count: 1}, nil},
		{"cross-origin drops Authorization", "#concept-http-redirect-fetch step 13", "B to C removes Authorization (redirect-authorization-cross-origin-hop)",
			cors("GET", false, hostB+"/r1"), 307, hostC + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropHeaders: authHeader, CrossOrigin: true, Count: 1}, nil},
		{"same-origin keeps Authorization", "#concept-http-redirect-fetch step 13", "B to B keeps it (redirect-authorization-same-origin-hop)",
			cors("GET", false, hostB+"/r1"), 307, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", Count: 1}, nil},
		{"A to B drops Authorization", "#concept-http-redirect-fetch step 13", "the hop is judged from the current URL, A (redirect-authorization-a-to-b)",
			redirect.Request{Origin: a, URLs: urls(t, pageA+"/r1"), Method: "GET", CORSMode: true}, 307, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropHeaders: authHeader, CrossOrigin: true, Count: 1}, nil},
		{"same site is cross origin", "#concept-http-redirect-fetch step 13", "another port is another origin",
			cors("GET", false, hostP+"/r1"), 302, pageA + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropHeaders: authHeader, CrossOrigin: true, Count: 1}, nil},
		{"default port is the same origin", "#concept-http-redirect-fetch step 13", "http://h:80 and http://h are one origin",
			cors("GET", false, "http://b.example:80/r1"), 302, "http://b.example/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", Count: 1}, nil},
		{"kept by policy", "#concept-http-redirect-fetch step 13", "DangerouslyKeepAuthorization keeps it",
			cors("GET", false, hostB+"/r1"), 307, hostC + "/r2", redirect.Policy{DangerouslyKeepAuthorization: true},
			redirect.Hop{Method: "GET", CrossOrigin: true, Count: 1}, nil},
		{"rewrite and cross-origin", "#concept-http-redirect-fetch steps 12-13", "both lists apply",
			cors("POST", true, hostB+"/r1"), 303, hostC + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyAndAuth, CrossOrigin: true, Count: 1}, nil},
		{"data", "#concept-http-redirect-fetch step 6", "only http(s) is followed (redirect-data-url)",
			cors("GET", false, hostB+"/r1"), 302, "data:text/plain,hi", redirect.Policy{}, redirect.Hop{}, redirect.ErrSchemeNotHTTP},
		{"ftp", "#concept-http-redirect-fetch step 6", "only http(s) is followed (redirect-ftp-url)",
			cors("GET", false, hostB+"/r1"), 302, "ftp://127.0.0.2/r2", redirect.Policy{}, redirect.Hop{}, redirect.ErrSchemeNotHTTP},
		{"about", "#concept-http-redirect-fetch step 6", "only http(s) is followed (redirect-about-blank)",
			cors("GET", false, hostB+"/r1"), 302, "about:blank", redirect.Policy{}, redirect.Hop{}, redirect.ErrSchemeNotHTTP},
		{"count 19 follows", "#concept-http-redirect-fetch step 7", "the 20th redirect is followed (redirect-20-hops)",
			func() redirect.Request { r := cors("GET", false, hostB+"/h19"); r.Count = 19; return r }(), 302, hostB + "/h20", redirect.Policy{},
			redirect.Hop{Method: "GET", Count: 20}, nil},
		{"count 20 fails", "#concept-http-redirect-fetch step 7", "the 21st redirect is a network error (redirect-21-hops, redirect-loop)",
			func() redirect.Request { r := cors("GET", false, hostB+"/h20"); r.Count = 20; return r }(), 302, hostB + "/h21", redirect.Policy{},
			redirect.Hop{}, redirect.ErrTooManyRedirects},
		{"userinfo cross", "#concept-http-redirect-fetch step 9", "cors mode, credentials, not A's origin (redirect-userinfo-cross)",
			cors("GET", false, hostB+"/r1"), 302, "http://u:p@127.0.0.2:8001/r2", redirect.Policy{}, redirect.Hop{}, redirect.ErrContainsCredentials},
		{"user name only", "#concept-http-redirect-fetch step 9", "a user name alone is credentials (redirect-userinfo-user-only)",
			cors("GET", false, hostB+"/r1"), 302, "http://u@127.0.0.2:8001/r2", redirect.Policy{}, redirect.Hop{}, redirect.ErrContainsCredentials},
		{"password only", "URL #include-credentials", "a password alone is credentials",
			cors("GET", false, hostB+"/r1"), 302, "http://:p@127.0.0.2:8001/r2", redirect.Policy{}, redirect.Hop{}, redirect.ErrContainsCredentials},
		{"userinfo to A, tainted", "#concept-http-redirect-fetch step 10", "tainting is cors: credentials fail even on A (redirect-userinfo-to-a)",
			cors("GET", false, hostB+"/r1"), 302, "http://u:p@127.0.0.1:8000/r2", redirect.Policy{}, redirect.Hop{}, redirect.ErrContainsCredentials},
		{"userinfo to A, basic", "#concept-http-redirect-fetch steps 9-10", "same origin with the request's origin and tainting basic: allowed",
			redirect.Request{Origin: a, URLs: urls(t, pageA+"/r1"), Method: "GET", CORSMode: true}, 302, "http://u:p@127.0.0.1:8000/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", Count: 1}, nil},
		{"userinfo no-cors", "#concept-http-redirect-fetch steps 9-10", "neither cors mode nor cors tainting: allowed",
			redirect.Request{Origin: a, URLs: urls(t, hostB+"/r1"), Method: "GET"}, 302, "http://u:p@127.0.0.3:8002/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropHeaders: authHeader, CrossOrigin: true, Count: 1}, nil},
		{"stream body on 307", "#concept-http-redirect-fetch step 11", "a body that cannot be sent again fails any status but 303",
			func() redirect.Request { r := cors("POST", true, hostB+"/r1"); r.NoBodySource = true; return r }(), 307, hostB + "/r2", redirect.Policy{},
			redirect.Hop{}, redirect.ErrBodyNotReplayable},
		{"stream body on 301 POST", "#concept-http-redirect-fetch step 11", "the check comes before the rewrite that would drop the body",
			func() redirect.Request { r := cors("POST", true, hostB+"/r1"); r.NoBodySource = true; return r }(), 301, hostB + "/r2", redirect.Policy{},
			redirect.Hop{}, redirect.ErrBodyNotReplayable},
		{"stream body on 303", "#concept-http-redirect-fetch step 11", "303 drops the body, so its source does not matter",
			func() redirect.Request { r := cors("POST", true, hostB+"/r1"); r.NoBodySource = true; return r }(), 303, hostB + "/r2", redirect.Policy{},
			redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, nil},
		{"scheme before count", "#concept-http-redirect-fetch steps 6-7", "the scheme check comes first",
			func() redirect.Request { r := cors("GET", false, hostB+"/r1"); r.Count = 20; return r }(), 302, "data:,x", redirect.Policy{},
			redirect.Hop{}, redirect.ErrSchemeNotHTTP},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if tt.spec == "" || tt.reason == "" {
				t.Fatal("case without spec or reason")
			}
			loc := mustURL(t, tt.loc)
			got, err := redirect.Next(tt.req, tt.status, loc, tt.policy)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Next(%s %d %s) error %v; want %v (%s: %s)", tt.req.Method, tt.status, tt.loc, err, tt.wantErr, tt.spec, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("Next(%s %d %s) error %v (%s: %s)", tt.req.Method, tt.status, tt.loc, err, tt.spec, tt.reason)
			}
			tt.want.URL = loc
			if got.URL != tt.want.URL || got.Method != tt.want.Method || got.DropBody != tt.want.DropBody ||
				!slices.Equal(got.DropHeaders, tt.want.DropHeaders) || got.CrossOrigin != tt.want.CrossOrigin || got.Count != tt.want.Count {
				t.Errorf("Next(%s %d %s) = %+v; want %+v (%s: %s)", tt.req.Method, tt.status, tt.loc, got, tt.want, tt.spec, tt.reason)
			}
		})
	}
}

func TestNextNilLocation(t *testing.T) {
	if _, err := redirect.Next(redirect.Request{Method: "GET"}, 302, nil, redirect.Policy{}); !errors.Is(err, redirect.ErrInvalidLocation) {
		t.Errorf("Next with nil location: %v; want ErrInvalidLocation", err)
	}
}

func TestNextEmptyURLList(t *testing.T) {
	h, err := redirect.Next(redirect.Request{Method: "GET"}, 302, mustURL(t, hostB+"/r"), redirect.Policy{})
	if err != nil || !h.CrossOrigin || !slices.Equal(h.DropHeaders, authHeader) {
		t.Errorf("Next with no URL list = %+v, %v; want a cross-origin hop", h, err)
	}
}

// TestNextDropHeadersAppend checks that appending to a returned list does
// not change what a later call returns.
func TestNextDropHeadersAppend(t *testing.T) {
	r := redirect.Request{URLs: urls(t, hostB+"/r1"), Method: "POST", HasBody: true}
	h, _ := redirect.Next(r, 301, mustURL(t, hostB+"/r2"), redirect.Policy{})
	_ = append(h.DropHeaders, "X-Mine")
	h2, _ := redirect.Next(r, 301, mustURL(t, hostC+"/r2"), redirect.Policy{})
	if !slices.Equal(h2.DropHeaders, bodyAndAuth) {
		t.Errorf("after an append, DropHeaders = %q; want %q", h2.DropHeaders, bodyAndAuth)
	}
}

// TestNextAllocs checks that Next allocates nothing when the hop stays on
// one origin or leaves it for a host written in canonical form.
func TestNextAllocs(t *testing.T) {
	a := origin.MustParse(pageA)
	r := redirect.Request{Origin: a, URLs: urls(t, hostB+"/r1"), Method: "POST", HasBody: true, CORSMode: true, CORSTainting: true}
	same, other := mustURL(t, hostB+"/r2"), mustURL(t, hostB+"/r3?x")
	for _, c := range []struct {
		name   string
		status int
		loc    *url.URL
	}{{"same origin 307", 307, same}, {"same origin 301 rewrite", 301, other}} {
		if n := testing.AllocsPerRun(100, func() { _, _ = redirect.Next(r, c.status, c.loc, redirect.Policy{}) }); n != 0 {
			t.Errorf("Next %s: %v allocations; want 0", c.name, n)
		}
	}
}
