package fetch_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsfetch/corsfetch/fetch"
)

// world is a page at a's origin (127.0.0.1), with servers p (127.0.0.1 on
// another port: same site, cross origin), b (127.0.0.2) and c (127.0.0.3),
// both other sites. Its jar holds a cookie for every host: "c=h1" for
// 127.0.0.1 (a and p: cookies do not tell ports apart, RFC 6265 §8.5),
// "c=h2" for b and "c=h3" for c.
type world struct {
	servers map[string]*server
	jar     http.CookieJar

	mu  sync.Mutex
	log []hop
}

// hop is one request as a world's server received it.
type hop struct {
	Server, Method, Path string
	Header               http.Header
}

// label returns "b OPTIONS /hop/0" for h.
func (h hop) label() string { return h.Server + " " + h.Method + " " + h.Path }

func (h hop) preflight() bool {
	return h.Method == http.MethodOptions && h.Header.Get("Access-Control-Request-Method") != ""
}

// newWorld starts the four servers; each logs what it receives and answers
// with handler(name).
func newWorld(t *testing.T, handler func(w *world, name string) http.HandlerFunc) *world {
	w := &world{servers: map[string]*server{}}
	for _, s := range []struct{ name, host string }{{name: "a", host: "127.0.0.1"}, {name: "p", host: "127.0.0.1"}, {name: "b", host: "127.0.0.2"}, {name: "c", host: "127.0.0.3"}} {
		h := handler(w, s.name)
		w.servers[s.name] = newServer(t, s.host, func(rw http.ResponseWriter, r *http.Request) {
			w.mu.Lock()
			w.log = append(w.log, hop{Server: s.name, Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone()})
			w.mu.Unlock()
			h(rw, r)
		})
	}
	jar, _ := cookiejar.New(nil)
	for _, s := range w.servers {
		u, _ := url.Parse(s.URL)
		jar.SetCookies(u, []*http.Cookie{{Name: "c", Value: "h" + u.Hostname()[len("127.0.0."):], Path: "/"}})
	}
	w.jar = jar
	return w
}

func (w *world) page() *server { return w.servers["a"] }

// hops returns the requests received so far, in order.
func (w *world) hops() []hop {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.log)
}

// actual returns the requests received so far that are not preflights.
func (w *world) actual() []hop {
	return slices.DeleteFunc(w.hops(), hop.preflight)
}

// stored returns the names of the cookies the servers set that the jar
// holds, sorted.
func (w *world) stored() []string {
	var names []string
	for _, s := range w.servers {
		u, _ := url.Parse(s.URL)
		for _, c := range w.jar.Cookies(u) {
			if strings.HasPrefix(c.Name, "set-") && !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// chain returns a handler for a world whose request goes through the
// servers of route in order: /hop/i on route[i] redirects with status to
// /hop/i+1 on route[i+1], and the last answers "end". Every response allows
// the request's origin with credentials and sets a cookie "set-NAME";
// preflights allow the method and headers asked for.
func chain(route []string, status int) func(w *world, name string) http.HandlerFunc {
	return func(w *world, name string) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			h := rw.Header()
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			h.Set("Access-Control-Allow-Credentials", "true")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
				h.Set("Access-Control-Allow-Headers", r.Header.Get("Access-Control-Request-Headers"))
				return
			}
			h.Add("Set-Cookie", "set-"+name+"=1; Path=/")
			i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
			if i+1 < len(route) {
				h.Set("Location", fmt.Sprintf("%s/hop/%d", w.servers[route[i+1]].URL, i+1))
				rw.WriteHeader(status)
				return
			}
			io.WriteString(rw, "end")
		}
	}
}

// fetchChain sends a request through tr to the first server of route.
func (w *world) fetchChain(t *testing.T, tr *fetch.Transport, method string, route []string, o fetch.Options, fields ...string) (*http.Response, *fetch.Error) {
	t.Helper()
	var body io.Reader
	if method == "PUT" || method == "POST" {
		body = strings.NewReader("data")
	}
	return do(t, tr, method, w.servers[route[0]].URL+"/hop/0", body, o, fields...)
}

// TestPreflightNeverCarriesCredentials checks that no preflight carries a
// cookie or Authorization, whatever the credentials mode and the jar hold
// (#cors-preflight-fetch-0: the preflight's credentials mode is "omit" and
// its header list is built afresh; cred-preflight-no-cookies), in every
// profile, while the actual requests do carry them.
func TestPreflightNeverCarriesCredentials(t *testing.T) {
	tests := []struct {
		name, reason string
		browser      fetch.Profile
		creds        fetch.Credentials
		route        []string
		wantActual   []string // Cookie, Authorization of each actual request, "" for none
	}{
		{name: "Chrome, include", reason: "the actual request has the cookie (cred-preflight-no-cookies)",
			browser: fetch.Chrome, creds: fetch.CredentialsInclude, route: []string{"p"}, wantActual: []string{"c=h1|Bearer t"}},
		{name: "Chrome, same-origin credentials", reason: "no cookie anywhere for a cross-origin URL (cred-p-same-origin-creds)",
			browser: fetch.Chrome, creds: fetch.CredentialsSameOrigin, route: []string{"p"}, wantActual: []string{"|Bearer t"}},
		{name: "Firefox, include", reason: "as in Chrome", browser: fetch.Firefox, creds: fetch.CredentialsInclude, route: []string{"p"}, wantActual: []string{"c=h1|Bearer t"}},
		{name: "Safari, include", reason: "as in Chrome", browser: fetch.Safari, creds: fetch.CredentialsInclude, route: []string{"p"}, wantActual: []string{"c=h1|Bearer t"}},
		{name: "Spec, include", reason: "as in Chrome", browser: fetch.Spec, creds: fetch.CredentialsInclude, route: []string{"p"}, wantActual: []string{"c=h1|Bearer t"}},
		{name: "Chrome, include, preflights after redirects", reason: "a preflight on every new URL, none with credentials; Authorization is dropped at p to b (redirect-authorization-same-origin-hop, redirect-preflight-after-redirect)",
			browser: fetch.Chrome, creds: fetch.CredentialsInclude, route: []string{"p", "p", "b"}, wantActual: []string{"c=h1|Bearer t", "c=h1; set-p=1|Bearer t", "|"}},
		{name: "Spec, include, preflights after redirects", reason: "the standard's third-party cookies reach b; still none on a preflight",
			browser: fetch.Spec, creds: fetch.CredentialsInclude, route: []string{"p", "b"}, wantActual: []string{"c=h1|Bearer t", "c=h2|"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, chain(tt.route, http.StatusTemporaryRedirect))
			tr := &fetch.Transport{Origin: w.page().Origin, Jar: w.jar, Browser: tt.browser}
			if _, err := w.fetchChain(t, tr, "PUT", tt.route, fetch.Options{Credentials: tt.creds},
				"Authorization", "Bearer t", "X-Custom", "1"); err != nil {
				t.Fatal(err)
			}
			preflights := 0
			var actual []string
			for _, h := range w.hops() {
				if !h.preflight() {
					actual = append(actual, h.Header.Get("Cookie")+"|"+h.Header.Get("Authorization"))
					continue
				}
				preflights++
				if h.Header.Get("Cookie") != "" || h.Header.Get("Authorization") != "" {
					t.Errorf("#cors-preflight-fetch-0: %s carries Cookie %q, Authorization %q", h.label(), h.Header.Get("Cookie"), h.Header.Get("Authorization"))
				}
			}
			if preflights != len(tt.route) {
				t.Errorf("%d preflights, want one per URL (%d)", preflights, len(tt.route))
			}
			if diff := cmp.Diff(tt.wantActual, actual); diff != "" {
				t.Errorf("actual requests' Cookie|Authorization (-want +got): %s\n%s", tt.reason, diff)
			}
		})
	}
}

// TestCredentialsMode checks that cookies are neither sent nor stored in
// omit mode, and in same-origin mode only while the response tainting is
// basic, that is while every URL so far is the page's origin
// (#concept-http-network-or-cache-fetch, includeCredentials; #credentials).
func TestCredentialsMode(t *testing.T) {
	tests := []struct {
		name, anchor, reason string
		creds                fetch.Credentials
		mode                 fetch.Mode
		method               string
		route                []string
		wantSent             []string // the Cookie of each actual request
		wantStored           []string // the cookies the servers set that the jar holds afterwards
	}{
		{name: "omit, same origin", anchor: "#concept-request-credentials-mode", reason: "omit: nothing sent, nothing stored (cred-same-origin-omit-get, cred-same-origin-omit-set)",
			creds: fetch.CredentialsOmit, mode: fetch.ModeCORS, method: "GET", route: []string{"a"}, wantSent: []string{""}, wantStored: nil},
		{name: "omit, same site", anchor: "#concept-request-credentials-mode", reason: "omit (cred-same-origin-omit-get)",
			creds: fetch.CredentialsOmit, mode: fetch.ModeCORS, method: "GET", route: []string{"p"}, wantSent: []string{""}, wantStored: nil},
		{name: "omit, redirects", anchor: "#concept-request-credentials-mode", reason: "omit on every hop",
			creds: fetch.CredentialsOmit, mode: fetch.ModeCORS, method: "GET", route: []string{"a", "a", "p"}, wantSent: []string{"", "", ""}, wantStored: nil},
		{name: "omit, preflighted", anchor: "#concept-request-credentials-mode", reason: "omit, preflight or not",
			creds: fetch.CredentialsOmit, mode: fetch.ModeCORS, method: "PUT", route: []string{"p"}, wantSent: []string{""}, wantStored: nil},
		{name: "omit, no-cors", anchor: "#concept-request-credentials-mode", reason: "omit in no-cors mode too (cred-p-set-no-cors)",
			creds: fetch.CredentialsOmit, mode: fetch.ModeNoCORS, method: "GET", route: []string{"a", "p"}, wantSent: []string{"", ""}, wantStored: nil},
		{name: "same-origin, same origin", anchor: "#concept-http-network-or-cache-fetch", reason: "basic tainting: sent and stored (cred-same-origin-default)",
			creds: fetch.CredentialsSameOrigin, mode: fetch.ModeCORS, method: "GET", route: []string{"a"}, wantSent: []string{"c=h1"}, wantStored: []string{"set-a"}},
		{name: "same-origin, same site", anchor: "#concept-http-network-or-cache-fetch", reason: "cors tainting: neither sent nor stored (cred-p-same-origin-creds, cred-p-set-same-origin)",
			creds: fetch.CredentialsSameOrigin, mode: fetch.ModeCORS, method: "GET", route: []string{"p"}, wantSent: []string{""}, wantStored: nil},
		{name: "same-origin, a to p", anchor: "#concept-http-network-or-cache-fetch", reason: "sent to a, not to p once the tainting is cors",
			creds: fetch.CredentialsSameOrigin, mode: fetch.ModeCORS, method: "GET", route: []string{"a", "p"}, wantSent: []string{"c=h1", ""}, wantStored: []string{"set-a"}},
		{name: "same-origin, p back to a", anchor: "#concept-main-fetch", reason: "the tainting stays cors back at a: no cookie there (redirect-p-to-a)",
			creds: fetch.CredentialsSameOrigin, mode: fetch.ModeCORS, method: "GET", route: []string{"p", "a"}, wantSent: []string{"", ""}, wantStored: nil},
		{name: "same-origin, a to b back to a", anchor: "#concept-main-fetch", reason: "basic only until the first cross-origin URL",
			creds: fetch.CredentialsSameOrigin, mode: fetch.ModeCORS, method: "GET", route: []string{"a", "b", "a"}, wantSent: []string{"c=h1", "", ""}, wantStored: []string{"set-a"}},
		{name: "same-origin, no-cors p back to a", anchor: "#concept-main-fetch", reason: "opaque tainting stays opaque back at a (mode-no-cors-redirect-to-a)",
			creds: fetch.CredentialsSameOrigin, mode: fetch.ModeNoCORS, method: "GET", route: []string{"p", "a"}, wantSent: []string{"", ""}, wantStored: nil},
		{name: "include, same site", anchor: "#concept-http-network-or-cache-fetch", reason: "include: sent and stored (cred-p-include, cred-p-set-include-ok)",
			creds: fetch.CredentialsInclude, mode: fetch.ModeCORS, method: "GET", route: []string{"p"}, wantSent: []string{"c=h1"}, wantStored: []string{"set-p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, chain(tt.route, http.StatusFound))
			tr := &fetch.Transport{Origin: w.page().Origin, Jar: w.jar}
			if _, err := w.fetchChain(t, tr, tt.method, tt.route, fetch.Options{Credentials: tt.creds, Mode: tt.mode}); err != nil {
				t.Fatal(err)
			}
			var sent []string
			for _, h := range w.actual() {
				sent = append(sent, h.Header.Get("Cookie"))
			}
			if diff := cmp.Diff(tt.wantSent, sent); diff != "" {
				t.Errorf("%s: Cookie of each request (-want +got): %s\n%s", tt.anchor, tt.reason, diff)
			}
			for _, h := range w.hops() {
				if h.preflight() && h.Header.Get("Cookie") != "" {
					t.Errorf("#cors-preflight-fetch-0: %s carries a cookie", h.label())
				}
			}
			if diff := cmp.Diff(tt.wantStored, w.stored()); diff != "" {
				t.Errorf("%s: cookies stored (-want +got): %s\n%s", tt.anchor, tt.reason, diff)
			}
		})
	}
}

// TestAuthorizationDroppedAcrossOrigins checks that an Authorization header
// the page set does not follow a redirect to another origin, and never
// comes back on a later hop (#concept-http-redirect-fetch step 13,
// whatwg/fetch PR #1544), in every profile.
func TestAuthorizationDroppedAcrossOrigins(t *testing.T) {
	keep := fetch.Chrome
	keep.Name = "Chrome keeping Authorization"
	keep.Redirect.Location.DangerouslyKeepAuthorization = true
	tests := []struct {
		name, reason string
		route        []string
		want         []bool // Authorization sent with each request
		keep         bool   // also with keep, which must send it everywhere
	}{
		{name: "a to b", reason: "dropped leaving the page's origin (redirect-authorization-a-to-b)", route: []string{"a", "b"}, want: []bool{true, false}, keep: true},
		{name: "b to c", reason: "dropped between two other origins (redirect-authorization-cross-origin-hop)", route: []string{"b", "c"}, want: []bool{true, false}, keep: true},
		{name: "b to b", reason: "kept on a same-origin hop (redirect-authorization-same-origin-hop)", route: []string{"b", "b"}, want: []bool{true, true}, keep: false},
		{name: "a to p", reason: "same site is not same origin: dropped", route: []string{"a", "p"}, want: []bool{true, false}, keep: true},
		{name: "b to c back to b", reason: "the deletion is permanent: not back at b", route: []string{"b", "c", "b"}, want: []bool{true, false, false}, keep: true},
		{name: "a to a to b to a", reason: "kept while same origin, then gone for good", route: []string{"a", "a", "b", "a"}, want: []bool{true, true, false, false}, keep: true},
	}
	for _, tt := range tests {
		for _, b := range []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari, fetch.Spec, keep} {
			if b.Name == keep.Name && !tt.keep {
				continue
			}
			t.Run(tt.name+"/"+b.Name, func(t *testing.T) {
				w := newWorld(t, chain(tt.route, http.StatusFound))
				tr := &fetch.Transport{Origin: w.page().Origin, Browser: b}
				if _, err := w.fetchChain(t, tr, "GET", tt.route, fetch.Options{}, "Authorization", "Bearer t"); err != nil {
					t.Fatal(err)
				}
				want := tt.want
				if b.Name == keep.Name {
					// redirect.Policy.DangerouslyKeepAuthorization: the
					// control showing this test sees Authorization sent.
					want = slices.Repeat([]bool{true}, len(tt.want))
				}
				var got []bool
				for _, h := range w.actual() {
					got = append(got, h.Header.Get("Authorization") != "")
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("#concept-http-redirect-fetch step 13: Authorization sent (-want +got): %s\n%s", tt.reason, diff)
				}
			})
		}
	}
}

// TestSetCookieNeverExposed checks that Set-Cookie and Set-Cookie2 never
// reach the caller, in basic and cors responses, even listed in
// Access-Control-Expose-Headers or under `*` (#forbidden-response-header-name;
// #concept-filtered-response-basic, -cors; expose-set-cookie), while a field
// listed beside them is exposed.
func TestSetCookieNeverExposed(t *testing.T) {
	tests := []struct {
		name, reason string
		server       string // a is the page's origin
		creds        fetch.Credentials
		expose       string
		wantType     fetch.ResponseType
		wantXFoo     bool
	}{
		{name: "basic", reason: "a basic response hides only Set-Cookie (expose-basic-same-origin)", server: "a", creds: 0, expose: "", wantType: fetch.TypeBasic, wantXFoo: true},
		{name: "basic, listed", reason: "listing changes nothing for a basic response", server: "a", creds: 0, expose: "Set-Cookie, Set-Cookie2", wantType: fetch.TypeBasic, wantXFoo: true},
		{name: "cors, listed", reason: "a forbidden name is never exposed, listed or not (expose-set-cookie)", server: "b", creds: 0, expose: "Set-Cookie, Set-Cookie2, X-Foo", wantType: fetch.TypeCORS, wantXFoo: true},
		{name: "cors, listed in lower case", reason: "names match case-insensitively, still not Set-Cookie (expose-case)", server: "b", creds: 0, expose: "set-cookie, x-foo", wantType: fetch.TypeCORS, wantXFoo: true},
		{name: "cors, *", reason: "`*` exposes every name but the forbidden ones (expose-star)", server: "b", creds: 0, expose: "*", wantType: fetch.TypeCORS, wantXFoo: true},
		{name: "cors, * and Set-Cookie with credentials", reason: "with credentials `*` is a name; Set-Cookie still hidden (expose-star-include)", server: "p", creds: fetch.CredentialsInclude, expose: "*, Set-Cookie, X-Foo", wantType: fetch.TypeCORS, wantXFoo: true},
		{name: "cors, * with credentials", reason: "with credentials `*` exposes nothing (expose-star-include)", server: "p", creds: fetch.CredentialsInclude, expose: "*", wantType: fetch.TypeCORS, wantXFoo: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, func(w *world, name string) http.HandlerFunc {
				return func(rw http.ResponseWriter, r *http.Request) {
					h := rw.Header()
					h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
					h.Set("Access-Control-Allow-Credentials", "true")
					h.Add("Set-Cookie", "s=1; Path=/")
					h.Add("Set-Cookie2", "s2=1")
					h.Set("X-Foo", "foo")
					if tt.expose != "" {
						h.Set("Access-Control-Expose-Headers", tt.expose)
					}
					io.WriteString(rw, "body")
				}
			})
			tr := &fetch.Transport{Origin: w.page().Origin, Jar: w.jar}
			resp, err := do(t, tr, "GET", w.servers[tt.server].URL+"/r", nil, fetch.Options{Credentials: tt.creds})
			if err != nil {
				t.Fatal(err)
			}
			for name := range resp.Header {
				if strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Set-Cookie2") {
					t.Errorf("#forbidden-response-header-name: %s exposed (%s)", name, tt.reason)
				}
			}
			if got := fetch.TypeOf(resp); got != tt.wantType {
				t.Errorf("type %v, want %v", got, tt.wantType)
			}
			if got := resp.Header.Get("X-Foo") != ""; got != tt.wantXFoo {
				t.Errorf("X-Foo exposed %v, want %v (%s)", got, tt.wantXFoo, tt.reason)
			}
		})
	}
}

// TestOpaqueExposesNothing checks opaque and opaque-redirect responses:
// status 0, no status text, an empty non-nil Header, an empty body, and for
// opaque ones an empty URL list (#concept-filtered-response-opaque,
// #concept-filtered-response-opaque-redirect), whatever the server sent.
func TestOpaqueExposesNothing(t *testing.T) {
	tests := []struct {
		name, reason string
		route        []string
		status       int
		opts         fetch.Options
		wantType     fetch.ResponseType
		wantURLs     int
	}{
		{name: "no-cors", reason: "a cross-origin no-cors response (mode-no-cors-get)",
			route: []string{"b"}, status: http.StatusFound, opts: fetch.Options{Mode: fetch.ModeNoCORS}, wantType: fetch.TypeOpaque, wantURLs: 0},
		{name: "no-cors back to the page's origin", reason: "opaque tainting stays (mode-no-cors-redirect-to-a)",
			route: []string{"b", "a"}, status: http.StatusFound, opts: fetch.Options{Mode: fetch.ModeNoCORS}, wantType: fetch.TypeOpaque, wantURLs: 0},
		{name: "no-cors, credentials include", reason: "credentials do not open an opaque response (mode-no-cors-include)",
			route: []string{"p"}, status: http.StatusFound, opts: fetch.Options{Mode: fetch.ModeNoCORS, Credentials: fetch.CredentialsInclude}, wantType: fetch.TypeOpaque, wantURLs: 0},
		{name: "manual redirect", reason: "an opaque-redirect keeps its URL list, nothing else (redirect-mode-manual)",
			route: []string{"b", "c"}, status: http.StatusFound, opts: fetch.Options{Redirect: fetch.RedirectManual}, wantType: fetch.TypeOpaqueRedirect, wantURLs: 1},
		{name: "manual redirect, same origin", reason: "even from the page's own origin (redirect-mode-manual-same-origin)",
			route: []string{"a", "a"}, status: http.StatusMovedPermanently, opts: fetch.Options{Redirect: fetch.RedirectManual}, wantType: fetch.TypeOpaqueRedirect, wantURLs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, func(w *world, name string) http.HandlerFunc {
				next := chain(tt.route, tt.status)(w, name)
				return func(rw http.ResponseWriter, r *http.Request) {
					h := rw.Header()
					h.Set("Access-Control-Expose-Headers", "*")
					h.Set("X-Secret", "s")
					h.Set("Content-Type", "text/plain")
					h.Set("Cache-Control", "no-store")
					next(rw, r)
					io.WriteString(rw, "secret body")
				}
			})
			tr := &fetch.Transport{Origin: w.page().Origin, Jar: w.jar}
			resp, err := w.fetchChain(t, tr, "GET", tt.route, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			got := struct {
				Type                  fetch.ResponseType
				StatusCode            int
				Status                string
				HeaderNil             bool
				Header                http.Header
				Body                  string
				URLs                  int
				ContentLengthPositive bool
			}{fetch.TypeOf(resp), resp.StatusCode, resp.Status, resp.Header == nil, resp.Header, string(body), len(fetch.URLList(resp)), resp.ContentLength > 0}
			want := got
			want.Type, want.StatusCode, want.Status, want.HeaderNil, want.Header, want.Body, want.URLs, want.ContentLengthPositive =
				tt.wantType, 0, "", false, http.Header{}, "", tt.wantURLs, false
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestTaintedOriginNeverReverts checks the Origin header of every request of
// redirect chains, preflights included: once the request's redirect-taint
// is not "same-origin" it serializes as "null" on every later hop, even back
// at the page's origin (#concept-request-tainted-origin,
// #serializing-a-request-origin), in every profile; the expected values are
// also computed with redirectTainted, the standard's steps.
func TestTaintedOriginNeverReverts(t *testing.T) {
	tests := []struct {
		name, reason string
		method       string
		route        []string
		want         []string // Origin of each request, preflights included; A is the page's
	}{
		{name: "b c a b p", reason: "tainted from c on, and stays (redirect-b-to-c-echo, redirect-b-to-a)",
			method: "GET", route: []string{"b", "c", "a", "b", "p"}, want: []string{"b A", "c null", "a null", "b null", "p null"}},
		{name: "a a b a", reason: "untainted while leaving the page's origin, tainted back at a (redirect-a-to-b, redirect-b-to-a)",
			method: "GET", route: []string{"a", "a", "b", "a"}, want: []string{"a ", "a ", "b A", "a null"}},
		{name: "p p c", reason: "same origin hops keep the origin; p to c taints it (redirect-b-to-b-to-c)",
			method: "GET", route: []string{"p", "p", "c"}, want: []string{"p A", "p A", "c null"}},
		{name: "preflighted b c b", reason: "preflights carry the tainted origin too (div-redirect-preflight-null-only)",
			method: "PUT", route: []string{"b", "c", "b"}, want: []string{"b OPTIONS A", "b A", "c OPTIONS null", "c null", "b OPTIONS null", "b null"}},
	}
	for _, tt := range tests {
		for _, b := range []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari, fetch.Spec} {
			t.Run(tt.name+"/"+b.Name, func(t *testing.T) { checkTaint(t, b, tt.method, tt.route, tt.want, tt.reason) })
		}
	}
}

// checkTaint runs TestTaintedOriginNeverReverts's case under profile b.
// Firefox sends the untainted origin on preflights only
// (Profile.Preflight.OriginUntainted; div-redirect-preflight-null-only): its
// actual requests still never revert.
func checkTaint(t *testing.T, b fetch.Profile, method string, route, want []string, reason string) {
	untaintedPreflights := func(labels []string) []string {
		if !b.Preflight.OriginUntainted {
			return labels
		}
		out := slices.Clone(labels)
		for i, l := range out {
			if strings.Contains(l, " OPTIONS ") {
				out[i] = strings.Replace(l, "null", "A", 1)
			}
		}
		return out
	}
	w := newWorld(t, chain(route, http.StatusTemporaryRedirect))
	tr := &fetch.Transport{Origin: w.page().Origin, Browser: b}
	var fields []string
	if method == "PUT" {
		fields = []string{"X-Custom", "1"}
	}
	if _, err := w.fetchChain(t, tr, method, route, fetch.Options{}, fields...); err != nil {
		t.Fatal(err)
	}
	page := w.page().Origin.String()
	var got, oracle []string
	var urls []*url.URL
	for _, h := range w.hops() {
		o := strings.Replace(h.Header.Get("Origin"), page, "A", 1)
		label := h.Server + " "
		if h.preflight() {
			label += "OPTIONS "
		}
		got = append(got, label+o)
		// The URL list when h was sent: the actual requests so far and h's
		// URL (a preflight's is that of the request it precedes).
		u, _ := url.Parse(w.servers[h.Server].URL + h.Path)
		list := append(slices.Clone(urls), u)
		if !h.preflight() {
			urls = list
		}
		switch {
		case o == "":
			oracle = append(oracle, label) // a same-origin GET has no Origin
		case redirectTainted(w.page().Origin, list):
			oracle = append(oracle, label+"null")
		default:
			oracle = append(oracle, label+"A")
		}
	}
	if diff := cmp.Diff(untaintedPreflights(want), got); diff != "" {
		t.Errorf("#concept-request-tainted-origin: Origin of each request (-want +got): %s\n%s", reason, diff)
	}
	if diff := cmp.Diff(untaintedPreflights(oracle), got); diff != "" {
		t.Errorf("Origin of each request against the standard's steps (-oracle +got):\n%s", diff)
	}
}
