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
		{desc: "301 POST to GET", spec: "#concept-http-redirect-fetch step 12", reason: "301 rewrites POST, dropping body and body headers (redirect-301-post)",
			req: cors("POST", true, hostB+"/r1"), status: 301, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, wantErr: nil},
		{desc: "302 POST to GET", spec: "#concept-http-redirect-fetch step 12", reason: "302 rewrites POST (redirect-302-post)",
			req: cors("POST", true, hostB+"/r1"), status: 302, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, wantErr: nil},
		{desc: "303 POST to GET", spec: "#concept-http-redirect-fetch step 12", reason: "303 rewrites POST (redirect-303-post)",
			req: cors("POST", true, hostB+"/r1"), status: 303, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, wantErr: nil},
		{desc: "307 POST kept", spec: "#concept-http-redirect-fetch step 12", reason: "307 keeps method, body and headers (redirect-307-post)",
			req: cors("POST", true, hostB+"/r1"), status: 307, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "POST", Count: 1}, wantErr: nil},
		{desc: "308 POST kept", spec: "#concept-http-redirect-fetch step 12", reason: "308 keeps method, body and headers (redirect-308-post)",
			req: cors("POST", true, hostB+"/r1"), status: 308, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "POST", Count: 1}, wantErr: nil},
		{desc: "301 PUT kept", spec: "#concept-http-redirect-fetch step 12", reason: "301 rewrites only POST; PUT is preflighted again (redirect-301-put)",
			req: cors("PUT", true, hostB+"/r1"), status: 301, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "PUT", Count: 1}, wantErr: nil},
		{desc: "302 PUT kept", spec: "#concept-http-redirect-fetch step 12", reason: "302 rewrites only POST (redirect-302-put)",
			req: cors("PUT", true, hostB+"/r1"), status: 302, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "PUT", Count: 1}, wantErr: nil},
		{desc: "303 PUT to GET", spec: "#concept-http-redirect-fetch step 12", reason: "303 rewrites every method but GET and HEAD (redirect-303-put)",
			req: cors("PUT", true, hostB+"/r1"), status: 303, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, wantErr: nil},
		{desc: "303 HEAD kept", spec: "#concept-http-redirect-fetch step 12", reason: "303 leaves HEAD alone",
			req: cors("HEAD", false, hostB+"/r1"), status: 303, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "HEAD", Count: 1}, wantErr: nil},
		{desc: "303 GET kept", spec: "#concept-http-redirect-fetch step 12", reason: "303 leaves GET alone (redirect-303-get-same-origin-b)",
			req: cors("GET", false, hostB+"/r1"), status: 303, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", Count: 1}, wantErr: nil},
		{desc: "lower-case post not rewritten", spec: "#concept-http-redirect-fetch step 12", reason: "the method compares byte for byte; callers normalize first",
			req: cors("post", true, hostB+"/r1"), status: 301, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "post", Count: 1}, wantErr: nil},
		{desc: "cross-origin drops Authorization", spec: "#concept-http-redirect-fetch step 13", reason: "B to C removes Authorization (redirect-authorization-cross-origin-hop)",
			req: cors("GET", false, hostB+"/r1"), status: 307, loc: hostC + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropHeaders: authHeader, CrossOrigin: true, Count: 1}, wantErr: nil},
		{desc: "same-origin keeps Authorization", spec: "#concept-http-redirect-fetch step 13", reason: "B to B keeps it (redirect-authorization-same-origin-hop)",
			req: cors("GET", false, hostB+"/r1"), status: 307, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", Count: 1}, wantErr: nil},
		{desc: "A to B drops Authorization", spec: "#concept-http-redirect-fetch step 13", reason: "the hop is judged from the current URL, A (redirect-authorization-a-to-b)",
			req: redirect.Request{Origin: a, URLs: urls(t, pageA+"/r1"), Method: "GET", CORSMode: true}, status: 307, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropHeaders: authHeader, CrossOrigin: true, Count: 1}, wantErr: nil},
		{desc: "same site is cross origin", spec: "#concept-http-redirect-fetch step 13", reason: "another port is another origin",
			req: cors("GET", false, hostP+"/r1"), status: 302, loc: pageA + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropHeaders: authHeader, CrossOrigin: true, Count: 1}, wantErr: nil},
		{desc: "default port is the same origin", spec: "#concept-http-redirect-fetch step 13", reason: "http://h:80 and http://h are one origin",
			req: cors("GET", false, "http://b.example:80/r1"), status: 302, loc: "http://b.example/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", Count: 1}, wantErr: nil},
		{desc: "kept by policy", spec: "#concept-http-redirect-fetch step 13", reason: "DangerouslyKeepAuthorization keeps it",
			req: cors("GET", false, hostB+"/r1"), status: 307, loc: hostC + "/r2", policy: redirect.Policy{DangerouslyKeepAuthorization: true},
			want: redirect.Hop{Method: "GET", CrossOrigin: true, Count: 1}, wantErr: nil},
		{desc: "rewrite and cross-origin", spec: "#concept-http-redirect-fetch steps 12-13", reason: "both lists apply",
			req: cors("POST", true, hostB+"/r1"), status: 303, loc: hostC + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyAndAuth, CrossOrigin: true, Count: 1}, wantErr: nil},
		{desc: "data", spec: "#concept-http-redirect-fetch step 6", reason: "only http(s) is followed (redirect-data-url)",
			req: cors("GET", false, hostB+"/r1"), status: 302, loc: "data:text/plain,hi", policy: redirect.Policy{}, want: redirect.Hop{}, wantErr: redirect.ErrSchemeNotHTTP},
		{desc: "ftp", spec: "#concept-http-redirect-fetch step 6", reason: "only http(s) is followed (redirect-ftp-url)",
			req: cors("GET", false, hostB+"/r1"), status: 302, loc: "ftp://127.0.0.2/r2", policy: redirect.Policy{}, want: redirect.Hop{}, wantErr: redirect.ErrSchemeNotHTTP},
		{desc: "about", spec: "#concept-http-redirect-fetch step 6", reason: "only http(s) is followed (redirect-about-blank)",
			req: cors("GET", false, hostB+"/r1"), status: 302, loc: "about:blank", policy: redirect.Policy{}, want: redirect.Hop{}, wantErr: redirect.ErrSchemeNotHTTP},
		{desc: "count 19 follows", spec: "#concept-http-redirect-fetch step 7", reason: "the 20th redirect is followed (redirect-20-hops)",
			req: func() redirect.Request { r := cors("GET", false, hostB+"/h19"); r.Count = 19; return r }(), status: 302, loc: hostB + "/h20", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", Count: 20}, wantErr: nil},
		{desc: "count 20 fails", spec: "#concept-http-redirect-fetch step 7", reason: "the 21st redirect is a network error (redirect-21-hops, redirect-loop)",
			req: func() redirect.Request { r := cors("GET", false, hostB+"/h20"); r.Count = 20; return r }(), status: 302, loc: hostB + "/h21", policy: redirect.Policy{},
			want: redirect.Hop{}, wantErr: redirect.ErrTooManyRedirects},
		{desc: "userinfo cross", spec: "#concept-http-redirect-fetch step 9", reason: "cors mode, credentials, not A's origin (redirect-userinfo-cross)",
			req: cors("GET", false, hostB+"/r1"), status: 302, loc: "http://u:p@127.0.0.2:8001/r2", policy: redirect.Policy{}, want: redirect.Hop{}, wantErr: redirect.ErrContainsCredentials},
		{desc: "user name only", spec: "#concept-http-redirect-fetch step 9", reason: "a user name alone is credentials (redirect-userinfo-user-only)",
			req: cors("GET", false, hostB+"/r1"), status: 302, loc: "http://u@127.0.0.2:8001/r2", policy: redirect.Policy{}, want: redirect.Hop{}, wantErr: redirect.ErrContainsCredentials},
		{desc: "password only", spec: "URL #include-credentials", reason: "a password alone is credentials",
			req: cors("GET", false, hostB+"/r1"), status: 302, loc: "http://:p@127.0.0.2:8001/r2", policy: redirect.Policy{}, want: redirect.Hop{}, wantErr: redirect.ErrContainsCredentials},
		{desc: "userinfo to A, tainted", spec: "#concept-http-redirect-fetch step 10", reason: "tainting is cors: credentials fail even on A (redirect-userinfo-to-a)",
			req: cors("GET", false, hostB+"/r1"), status: 302, loc: "http://u:p@127.0.0.1:8000/r2", policy: redirect.Policy{}, want: redirect.Hop{}, wantErr: redirect.ErrContainsCredentials},
		{desc: "userinfo to A, basic", spec: "#concept-http-redirect-fetch steps 9-10", reason: "same origin with the request's origin and tainting basic: allowed",
			req: redirect.Request{Origin: a, URLs: urls(t, pageA+"/r1"), Method: "GET", CORSMode: true}, status: 302, loc: "http://u:p@127.0.0.1:8000/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", Count: 1}, wantErr: nil},
		{desc: "userinfo no-cors", spec: "#concept-http-redirect-fetch steps 9-10", reason: "neither cors mode nor cors tainting: allowed",
			req: redirect.Request{Origin: a, URLs: urls(t, hostB+"/r1"), Method: "GET"}, status: 302, loc: "http://u:p@127.0.0.3:8002/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropHeaders: authHeader, CrossOrigin: true, Count: 1}, wantErr: nil},
		{desc: "stream body on 307", spec: "#concept-http-redirect-fetch step 11", reason: "a body that cannot be sent again fails any status but 303",
			req: func() redirect.Request { r := cors("POST", true, hostB+"/r1"); r.NoBodySource = true; return r }(), status: 307, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{}, wantErr: redirect.ErrBodyNotReplayable},
		{desc: "stream body on 301 POST", spec: "#concept-http-redirect-fetch step 11", reason: "the check comes before the rewrite that would drop the body",
			req: func() redirect.Request { r := cors("POST", true, hostB+"/r1"); r.NoBodySource = true; return r }(), status: 301, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{}, wantErr: redirect.ErrBodyNotReplayable},
		{desc: "stream body on 303", spec: "#concept-http-redirect-fetch step 11", reason: "303 drops the body, so its source does not matter",
			req: func() redirect.Request { r := cors("POST", true, hostB+"/r1"); r.NoBodySource = true; return r }(), status: 303, loc: hostB + "/r2", policy: redirect.Policy{},
			want: redirect.Hop{Method: "GET", DropBody: true, DropHeaders: bodyHeaders, Count: 1}, wantErr: nil},
		{desc: "scheme before count", spec: "#concept-http-redirect-fetch steps 6-7", reason: "the scheme check comes first",
			req: func() redirect.Request { r := cors("GET", false, hostB+"/r1"); r.Count = 20; return r }(), status: 302, loc: "data:,x", policy: redirect.Policy{},
			want: redirect.Hop{}, wantErr: redirect.ErrSchemeNotHTTP},
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
	}{{name: "same origin 307", status: 307, loc: same}, {name: "same origin 301 rewrite", status: 301, loc: other}} {
		if n := testing.AllocsPerRun(100, func() { _, _ = redirect.Next(r, c.status, c.loc, redirect.Policy{}) }); n != 0 {
			t.Errorf("Next %s: %v allocations; want 0", c.name, n)
		}
	}
}
