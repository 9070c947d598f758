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
	for _, s := range []struct{ name, host string }{{"a", "127.0.0.1"}, {"p", "127.0.0.1"}, {"b", "127.0.0.2"}, {"c", "127.0.0.3"}} {
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
		{"Chrome, include", "the actual request has the cookie (cred-preflight-no-cookies)",
			fetch.Chrome, fetch.CredentialsInclude, []string{"p"}, []string{"c=h1|Bearer t"}},
		{"Chrome, same-origin credentials", "no cookie anywhere for a cross-origin URL (cred-p-same-origin-creds)",
			fetch.Chrome, fetch.CredentialsSameOrigin, []string{"p"}, []string{"|Bearer t"}},
		{"Firefox, include", "as in Chrome", fetch.Firefox, fetch.CredentialsInclude, []string{"p"}, []string{"c=h1|Bearer t"}},
		{"Safari, include", "as in Chrome", fetch.Safari, fetch.CredentialsInclude, []string{"p"}, []string{"c=h1|Bearer t"}},
		{"Spec, include", "as in Chrome", fetch.Spec, fetch.CredentialsInclude, []string{"p"}, []string{"c=h1|Bearer t"}},
		{"Chrome, include, preflights after redirects", "a preflight on every new URL, none with credentials; Authorization is dropped at p to b (redirect-authorization-same-origin-hop, redirect-preflight-after-redirect)",
			fetch.Chrome, fetch.CredentialsInclude, []string{"p", "p", "b"}, []string{"c=h1|Bearer t", "c=h1; set-p=1|Bearer t", "|"}},
		{"Spec, include, preflights after redirects", "the standard's third-party cookies reach b; still none on a preflight",
			fetch.Spec, fetch.CredentialsInclude, []string{"p", "b"}, []string{"c=h1|Bearer t", "c=h2|"}},
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
		{"omit, same origin", "#concept-request-credentials-mode", "omit: nothing sent, nothing stored (cred-same-origin-omit-get, cred-same-origin-omit-set)",
			fetch.CredentialsOmit, fetch.ModeCORS, "GET", []string{"a"}, []string{""}, nil},
		{"omit, same site", "#concept-request-credentials-mode", "omit (cred-same-origin-omit-get)",
			fetch.CredentialsOmit, fetch.ModeCORS, "GET", []string{"p"}, []string{""}, nil},
		{"omit, redirects", "#concept-request-credentials-mode", "omit on every hop",
			fetch.CredentialsOmit, fetch.ModeCORS, "GET", []string{"a", "a", "p"}, []string{"", "", ""}, nil},
		{"omit, preflighted", "#concept-request-credentials-mode", "omit, preflight or not",
			fetch.CredentialsOmit, fetch.ModeCORS, "PUT", []string{"p"}, []string{""}, nil},
		{"omit, no-cors", "#concept-request-credentials-mode", "omit in no-cors mode too (cred-p-set-no-cors)",
			fetch.CredentialsOmit, fetch.ModeNoCORS, "GET", []string{"a", "p"}, []string{"", ""}, nil},
		{"same-origin, same origin", "#concept-http-network-or-cache-fetch", "basic tainting: sent and stored (cred-same-origin-default)",
			fetch.CredentialsSameOrigin, fetch.ModeCORS, "GET", []string{"a"}, []string{"c=h1"}, []string{"set-a"}},
		{"same-origin, same site", "#concept-http-network-or-cache-fetch", "cors tainting: neither sent nor stored (cred-p-same-origin-creds, cred-p-set-same-origin)",
			fetch.CredentialsSameOrigin, fetch.ModeCORS, "GET", []string{"p"}, []string{""}, nil},
		{"same-origin, a to p", "#concept-http-network-or-cache-fetch", "sent to a, not to p once the tainting is cors",
			fetch.CredentialsSameOrigin, fetch.ModeCORS, "GET", []string{"a", "p"}, []string{"c=h1", ""}, []string{"set-a"}},
		{"same-origin, p back to a", "#concept-main-fetch", "the tainting stays cors back at a: no cookie there (redirect-p-to-a)",
			fetch.CredentialsSameOrigin, fetch.ModeCORS, "GET", []string{"p", "a"}, []string{"", ""}, nil},
		{"same-origin, a to b back to a", "#concept-main-fetch", "basic only until the first cross-origin URL",
			fetch.CredentialsSameOrigin, fetch.ModeCORS, "GET", []string{"a", "b", "a"}, []string{"c=h1", "", ""}, []string{"set-a"}},
		{"same-origin, no-cors p back to a", "#concept-main-fetch", "opaque tainting stays opaque back at a (mode-no-cors-redirect-to-a)",
			fetch.CredentialsSameOrigin, fetch.ModeNoCORS, "GET", []string{"p", "a"}, []string{"", ""}, nil},
		{"include, same site", "#concept-http-network-or-cache-fetch", "include: sent and stored (cred-p-include, cred-p-set-include-ok)",
			fetch.CredentialsInclude, fetch.ModeCORS, "GET", []string{"p"}, []string{"c=h1"}, []string{"set-p"}},
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
		{"a to b", "dropped leaving the page's origin (redirect-authorization-a-to-b)", []string{"a", "b"}, []bool{true, false}, true},
		{"b to c", "dropped between two other origins (redirect-authorization-cross-origin-hop)", []string{"b", "c"}, []bool{true, false}, true},
		{"b to b", "kept on a same-origin hop (redirect-authorization-same-origin-hop)", []string{"b", "b"}, []bool{true, true}, false},
		{"a to p", "same site is not same origin: dropped", []string{"a", "p"}, []bool{true, false}, true},
		{"b to c back to b", "the deletion is permanent: not back at b", []string{"b", "c", "b"}, []bool{true, false, false}, true},
		{"a to a to b to a", "kept while same origin, then gone for good", []string{"a", "a", "b", "a"}, []bool{true, true, false, false}, true},
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
		{"basic", "a basic response hides only Set-Cookie (expose-basic-same-origin)", "a", 0, "", fetch.TypeBasic, true},
		{"basic, listed", "listing changes nothing for a basic response", "a", 0, "Set-Cookie, Set-Cookie2", fetch.TypeBasic, true},
		{"cors, listed", "a forbidden name is never exposed, listed or not (expose-set-cookie)", "b", 0, "Set-Cookie, Set-Cookie2, X-Foo", fetch.TypeCORS, true},
		{"cors, listed in lower case", "names match case-insensitively, still not Set-Cookie (expose-case)", "b", 0, "set-cookie, x-foo", fetch.TypeCORS, true},
		{"cors, *", "`*` exposes every name but the forbidden ones (expose-star)", "b", 0, "*", fetch.TypeCORS, true},
		{"cors, * and Set-Cookie with credentials", "with credentials `*` is a name; Set-Cookie still hidden (expose-star-include)", "p", fetch.CredentialsInclude, "*, Set-Cookie, X-Foo", fetch.TypeCORS, true},
		{"cors, * with credentials", "with credentials `*` exposes nothing (expose-star-include)", "p", fetch.CredentialsInclude, "*", fetch.TypeCORS, false},
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
		{"no-cors", "a cross-origin no-cors response (mode-no-cors-get)",
			[]string{"b"}, http.StatusFound, fetch.Options{Mode: fetch.ModeNoCORS}, fetch.TypeOpaque, 0},
		{"no-cors back to the page's origin", "opaque tainting stays (mode-no-cors-redirect-to-a)",
			[]string{"b", "a"}, http.StatusFound, fetch.Options{Mode: fetch.ModeNoCORS}, fetch.TypeOpaque, 0},
		{"no-cors, credentials include", "credentials do not open an opaque response (mode-no-cors-include)",
			[]string{"p"}, http.StatusFound, fetch.Options{Mode: fetch.ModeNoCORS, Credentials: fetch.CredentialsInclude}, fetch.TypeOpaque, 0},
		{"manual redirect", "an opaque-redirect keeps its URL list, nothing else (redirect-mode-manual)",
			[]string{"b", "c"}, http.StatusFound, fetch.Options{Redirect: fetch.RedirectManual}, fetch.TypeOpaqueRedirect, 1},
		{"manual redirect, same origin", "even from the page's own origin (redirect-mode-manual-same-origin)",
			[]string{"a", "a"}, http.StatusMovedPermanently, fetch.Options{Redirect: fetch.RedirectManual}, fetch.TypeOpaqueRedirect, 1},
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
		{"b c a b p", "tainted from c on, and stays (redirect-b-to-c-echo, redirect-b-to-a)",
			"GET", []string{"b", "c", "a", "b", "p"}, []string{"b A", "c null", "a null", "b null", "p null"}},
		{"a a b a", "untainted while leaving the page's origin, tainted back at a (redirect-a-to-b, redirect-b-to-a)",
			"GET", []string{"a", "a", "b", "a"}, []string{"a ", "a ", "b A", "a null"}},
		{"p p c", "same origin hops keep the origin; p to c taints it (redirect-b-to-b-to-c)",
			"GET", []string{"p", "p", "c"}, []string{"p A", "p A", "c null"}},
		{"preflighted b c b", "preflights carry the tainted origin too (div-redirect-preflight-null-only)",
			"PUT", []string{"b", "c", "b"}, []string{"b OPTIONS A", "b A", "c OPTIONS null", "c null", "b OPTIONS null", "b null"}},
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
