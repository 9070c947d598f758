package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
)

// waitGoroutines fails t unless the number of goroutines comes back to at
// most before within 5 s.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left, %d before:\n%s", g, before, buf[:runtime.Stack(buf, true)])
	}
}

// hostileEnv is what a hostile handler may use.
type hostileEnv struct {
	release chan struct{} // closed at the end of the test: blocked handlers return
	closed  chan struct{} // a handler reports that the client closed the connection
}

// reportClosed tells the test that the connection was closed under the
// handler.
func (e *hostileEnv) reportClosed() {
	select {
	case e.closed <- struct{}{}:
	default:
	}
}

// endless writes a body of 'x' until the client closes the connection, at
// most 1 GiB, and reports the close.
func (e *hostileEnv) endless(w http.ResponseWriter, status int, fields ...string) {
	for i := 0; i+1 < len(fields); i += 2 {
		w.Header().Add(fields[i], fields[i+1])
	}
	w.WriteHeader(status)
	chunk := strings.Repeat("x", 32<<10)
	for range 1 << 15 {
		if _, err := io.WriteString(w, chunk); err != nil {
			e.reportClosed()
			return
		}
	}
}

// block waits until the test ends or the client goes away.
func (e *hostileEnv) block(r *http.Request) {
	select {
	case <-e.release:
	case <-r.Context().Done():
	}
}

// hijack takes over the connection, writes raw and closes it.
func hijack(w http.ResponseWriter, raw string) {
	conn, bw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	bw.WriteString(raw)
	bw.Flush()
	conn.Close()
}

// hostileCase is one hostile server behaviour and what the Transport must
// make of it.
type hostileCase struct {
	name, anchor, reason string
	handler              func(e *hostileEnv) http.HandlerFunc
	method               string
	fields               []string
	opts                 fetch.Options
	host                 string // the server's host; "" is 127.0.0.2, another site
	jar                  bool   // give the Transport a cookie jar
	maxHeaderBytes       int64  // Base's MaxResponseHeaderBytes; 0 is net/http's 10 MiB
	// browser is the profile; nil is Chrome without its 256 KiB bound on
	// the response head (MaxResponseHeadBytes), so that huge fields reach
	// the filtering and checks these cases are about.
	browser    *fetch.Profile
	timeout    time.Duration // the request's deadline; 0 is none
	want       []fetch.Reason
	preflight  bool // the failure is found on the preflight
	wantClosed bool // the server must see its connection closed
	check      func(t *testing.T, resp *http.Response, jar http.CookieJar, srv *server)
}

// runHostile runs one hostileCase on a server of its own, through a Base of
// its own, then checks that no goroutine is left behind.
func runHostile(t *testing.T, tt hostileCase) {
	before := runtime.NumGoroutine()
	env := &hostileEnv{release: make(chan struct{}), closed: make(chan struct{}, 1)}
	host := tt.host
	if host == "" {
		host = "127.0.0.2"
	}
	srv := newServer(t, host, tt.handler(env))
	base := &http.Transport{MaxResponseHeaderBytes: tt.maxHeaderBytes}
	unbounded := fetch.Chrome
	unbounded.Response.MaxHeadBytes = 0
	if tt.browser == nil {
		tt.browser = &unbounded
	}
	tr := &fetch.Transport{Origin: page, Base: base, Browser: *tt.browser}
	if tt.jar {
		tr.Jar, _ = cookiejar.New(nil)
	}
	// Without a deadline of its own, the request gets a generous one, so
	// that a Transport reading an endless body fails the test instead of
	// hanging it.
	timeout := tt.timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	method := tt.method
	if method == "" {
		method = "GET"
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL+"/r", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(tt.fields); i += 2 {
		req.Header.Add(tt.fields[i], tt.fields[i+1])
	}
	start := time.Now()
	resp, rerr := tr.RoundTrip(fetch.WithOptions(req, tt.opts))
	elapsed := time.Since(start)

	if elapsed > timeout+10*time.Second {
		t.Errorf("RoundTrip returned after %v; the request's deadline was %v", elapsed, timeout)
	}
	switch {
	case rerr != nil:
		var fe *fetch.Error
		if !errors.As(rerr, &fe) {
			t.Fatalf("error %v (%T) does not unwrap to *fetch.Error", rerr, rerr)
		}
		if resp != nil {
			t.Fatal("both a response and an error")
		}
		if !slices.Contains(tt.want, fe.Reason) || fe.Preflight != tt.preflight {
			t.Fatalf("%s: got %v (reason %s, preflight %v); want one of %v, preflight %v (%s)",
				tt.anchor, rerr, fe.Reason, fe.Preflight, tt.want, tt.preflight, tt.reason)
		}
		if fe.Reason == fetch.ReasonNetwork && fe.Err == nil {
			t.Error("a network error without its cause")
		}
		if tt.timeout > 0 && !errors.Is(rerr, context.DeadlineExceeded) {
			t.Errorf("%v does not wrap context.DeadlineExceeded", rerr)
		}
	case len(tt.want) > 0:
		t.Fatalf("%s: success (type %v, status %d); want one of %v (%s)", tt.anchor, fetch.TypeOf(resp), resp.StatusCode, tt.want, tt.reason)
	default:
		for name := range resp.Header {
			if strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Set-Cookie2") {
				t.Errorf("#forbidden-response-header-name: %s exposed", name)
			}
		}
		if tt.check != nil {
			tt.check(t, resp, tr.Jar, srv)
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 8<<20))
		resp.Body.Close()
	}
	if tt.wantClosed {
		select {
		case <-env.closed:
		case <-time.After(10 * time.Second):
			t.Error("the server never saw its connection closed: the endless body is still being read")
		}
	}
	close(env.release)
	base.CloseIdleConnections()
	srv.Close()
	waitGoroutines(t, before)
}

// exposes returns a check that the response is of type typ and exposes
// exactly the header names want (canonical, sorted).
func exposes(typ fetch.ResponseType, want ...string) func(*testing.T, *http.Response, http.CookieJar, *server) {
	return func(t *testing.T, resp *http.Response, _ http.CookieJar, _ *server) {
		t.Helper()
		var got []string
		for name := range resp.Header {
			got = append(got, name)
		}
		slices.Sort(got)
		if fetch.TypeOf(resp) != typ || !slices.Equal(got, want) {
			t.Errorf("#concept-filtered-response: %v response exposing %v; want %v exposing %v", fetch.TypeOf(resp), got, typ, want)
		}
	}
}

// manyFields returns n header fields (name, value pairs) named name, or
// name-i when numbered.
func manyFields(n int, name, value string, numbered bool) []string {
	out := make([]string, 0, 2*n)
	for i := range n {
		nm := name
		if numbered {
			nm = fmt.Sprintf("%s-%d", name, i)
		}
		out = append(out, nm, value)
	}
	return out
}

// setCookies returns a handler allowing the request's origin with
// credentials, exposing every name and Set-Cookie, and setting n cookies.
func setCookies(n int) func(*hostileEnv) http.HandlerFunc {
	return func(*hostileEnv) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header().Set("Access-Control-Expose-Headers", "*, Set-Cookie")
			for i := range n {
				w.Header().Add("Set-Cookie", fmt.Sprintf("c%d=v; Path=/", i))
			}
		}
	}
}

// mib is a 1 MiB header value.
var mib = strings.Repeat("a", 1<<20)

// listOf returns item repeated into a comma-separated list of about 1 MiB.
func listOf(item string) string {
	return strings.Repeat(item+", ", (1<<20)/(len(item)+2))
}

// TestHostileHeaders covers huge header values and counts, many
// Access-Control-Allow-Origin fields, control bytes and invalid UTF-8: the
// Transport fails closed where the browser fails, exposes nothing the
// browser would hide, and leaves nothing behind.
func TestHostileHeaders(t *testing.T) {
	star := []string{"Access-Control-Allow-Origin", "*"}
	with := func(fields ...[]string) []string { return slices.Concat(fields...) }
	preflighted := func(pre []string, actual []string) func(*hostileEnv) http.HandlerFunc {
		return func(*hostileEnv) http.HandlerFunc {
			return withPreflight(answer(200, "", pre...), answer(200, "ok", actual...))
		}
	}
	simple := func(fields ...string) func(*hostileEnv) http.HandlerFunc {
		return func(*hostileEnv) http.HandlerFunc { return answer(200, "ok", fields...) }
	}
	chrome, safari := fetch.Chrome, fetch.Safari
	tests := []hostileCase{
		{name: "1 MiB value, Chrome", anchor: "#concept-http-network-fetch",
			reason:  "Chromium reads at most 256 KiB of response head (expose-header-size-256k-over)",
			handler: simple(with(star, []string{"X-Huge", mib})...), browser: &chrome,
			want: []fetch.Reason{fetch.ReasonNetwork}},
		{name: "10k fields, Safari", anchor: "#concept-http-network-fetch",
			reason:  "WebKitGTK reads at most 64 KiB of status line and fields (expose-header-size-64k-over)",
			handler: simple(with(star, manyFields(10000, "X-Many", "1", true))...), browser: &safari,
			want: []fetch.Reason{fetch.ReasonNetwork}},
		{name: "1 MiB value not exposed", anchor: "#concept-filtered-response-cors",
			reason:  "an unlisted field stays hidden whatever its size (expose-none)",
			handler: simple(with(star, []string{"X-Huge", mib})...),
			check:   exposes(fetch.TypeCORS, "Content-Length", "Content-Type")},
		{name: "1 MiB value exposed", anchor: "#concept-filtered-response-cors",
			reason:  "a listed field is exposed byte for byte (expose-one)",
			handler: simple(with(star, []string{"Access-Control-Expose-Headers", "X-Huge", "X-Huge", mib})...),
			check: func(t *testing.T, resp *http.Response, _ http.CookieJar, _ *server) {
				if got := resp.Header.Get("X-Huge"); got != mib {
					t.Errorf("X-Huge: %d bytes, want the 1 MiB sent", len(got))
				}
			}},
		{name: "1 MiB Access-Control-Allow-Origin", anchor: "#concept-cors-check",
			reason:  "step 4: not the request's origin; Chromium: not an origin at all (check-other-origin)",
			handler: simple("Access-Control-Allow-Origin", mib),
			want:    []fetch.Reason{fetch.ReasonInvalidAllowOriginValue}},
		{name: "1 MiB list of the page's origin in Access-Control-Allow-Origin", anchor: "#concept-cors-check",
			reason:  "step 4: a list never equals the origin (check-list)",
			handler: simple("Access-Control-Allow-Origin", listOf(page.String())),
			want:    []fetch.Reason{fetch.ReasonMultipleAllowOriginValues}},
		{name: "1 MiB Access-Control-Expose-Headers", anchor: "#concept-main-fetch",
			reason:  "the listed names are exposed, the others not, however long the list (expose-list)",
			handler: simple(with(star, []string{"Access-Control-Expose-Headers", listOf("x-a"), "X-A", "1", "X-B", "2"})...),
			check:   exposes(fetch.TypeCORS, "Content-Length", "Content-Type", "X-A")},
		{name: "1 MiB Access-Control-Allow-Methods", anchor: "#cors-preflight-fetch-0",
			reason:  "PUT at the end of a 1 MiB method list allows it (preflight-acam-spaces)",
			method:  "PUT",
			handler: preflighted(with(star, []string{"Access-Control-Allow-Methods", listOf("PATCH") + "PUT"}), star),
			check:   exposes(fetch.TypeCORS, "Content-Length", "Content-Type")},
		{name: "1 MiB Access-Control-Allow-Headers without the name", anchor: "#cors-preflight-fetch-0",
			reason:  "a 1 MiB header list that lacks x-custom does not allow it (preflight-acah-missing)",
			method:  "PUT",
			fields:  []string{"X-Custom", "1"},
			handler: preflighted(with(star, []string{"Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", listOf("x-other")}), star),
			want:    []fetch.Reason{fetch.ReasonHeaderDisallowed}, preflight: true},
		{name: "10k fields not exposed", anchor: "#concept-filtered-response-cors",
			reason:  "ten thousand unlisted fields stay hidden (expose-none)",
			handler: simple(with(star, manyFields(10000, "X-N", "v", true))...),
			check:   exposes(fetch.TypeCORS, "Content-Length", "Content-Type")},
		{name: "10k fields of the page's origin", anchor: "#concept-cors-check",
			reason:  "step 1 joins the fields: never one origin (check-two-fields-same)",
			handler: simple(manyFields(10000, "Access-Control-Allow-Origin", page.String(), false)...),
			want:    []fetch.Reason{fetch.ReasonMultipleAllowOriginValues}},
		{name: "10k fields of *", anchor: "#concept-cors-check",
			reason:  "`*, *, ...` is not `*` (check-two-fields-star)",
			handler: simple(manyFields(10000, "Access-Control-Allow-Origin", "*", false)...),
			want:    []fetch.Reason{fetch.ReasonMultipleAllowOriginValues}},
		{name: "10k Access-Control-Expose-Headers fields", anchor: "#extract-header-list-values",
			reason:  "every field is parsed and concatenated (expose-two-fields)",
			handler: simple(with(star, manyFields(10000, "Access-Control-Expose-Headers", "x-a", false), []string{"X-A", "1"})...),
			check:   exposes(fetch.TypeCORS, "Content-Length", "Content-Type", "X-A")},
		{name: "10k Access-Control-Allow-Methods fields without PUT", anchor: "#cors-preflight-fetch-0",
			reason:  "ten thousand methods, none of them PUT (preflight-acam-two-fields)",
			method:  "PUT",
			handler: preflighted(with(star, manyFields(10000, "Access-Control-Allow-Methods", "PATCH", false)), star),
			want:    []fetch.Reason{fetch.ReasonMethodDisallowed}, preflight: true},
		{name: "10k Set-Cookie fields, credentials include", anchor: "#forbidden-response-header-name",
			reason: "none exposed, even listed and under * (expose-set-cookie); net/http parses none past 3000 (GODEBUG httpcookiemaxnum), so none is stored",
			host:   "127.0.0.1", jar: true, opts: fetch.Options{Credentials: fetch.CredentialsInclude},
			handler: setCookies(10000),
			check:   exposes(fetch.TypeCORS, "Content-Length")},
		{name: "2000 Set-Cookie fields, credentials include", anchor: "#concept-http-network-or-cache-fetch",
			reason: "cookies are stored (Chromium keeps the newest 180 of a domain), none exposed (cred-p-set-include-ok, expose-set-cookie)",
			host:   "127.0.0.1", jar: true, opts: fetch.Options{Credentials: fetch.CredentialsInclude},
			handler: setCookies(2000),
			check: func(t *testing.T, resp *http.Response, jar http.CookieJar, srv *server) {
				u, _ := url.Parse(srv.URL)
				if len(jar.Cookies(u)) == 0 {
					t.Error("no cookie stored")
				}
				exposes(fetch.TypeCORS, "Content-Length")(t, resp, jar, srv)
			}},
		{name: "headers past the client's limit", anchor: "#concept-http-network-fetch",
			reason:         "the network layer refuses them, as Chromium's does past its own limit (net::ERR_RESPONSE_HEADERS_TOO_BIG): a network error",
			maxHeaderBytes: 64 << 10,
			handler:        simple(with(star, []string{"X-Huge", mib})...),
			want:           []fetch.Reason{fetch.ReasonNetwork}},
		{name: "control byte in Access-Control-Allow-Origin", anchor: "RFC 9110 §5.5",
			reason:  "a CTL is not a field value: net/http rejects the response; a browser would fail the CORS check instead (check-other-origin); the fetch fails either way",
			handler: simple("Access-Control-Allow-Origin", page.String()+"\x01"),
			want:    []fetch.Reason{fetch.ReasonNetwork, fetch.ReasonInvalidAllowOriginValue, fetch.ReasonAllowOriginMismatch}},
		{name: "NUL in a field value", anchor: "RFC 9110 §5.5",
			reason:  "a recipient must reject or replace NUL: net/http rejects the response",
			handler: simple(with(star, []string{"Access-Control-Expose-Headers", "X-A", "X-A", "a\x00b"})...),
			want:    []fetch.Reason{fetch.ReasonNetwork}},
		{name: "invalid UTF-8 in Access-Control-Allow-Origin", anchor: "#concept-cors-check",
			reason:  "step 4: not the request's origin; Chromium: not an origin (check-other-origin)",
			handler: simple("Access-Control-Allow-Origin", "\xff\xfe"),
			want:    []fetch.Reason{fetch.ReasonInvalidAllowOriginValue}},
		{name: "the page's origin and a byte of obs-text", anchor: "#concept-cors-check",
			reason:  "step 4 compares bytes: one more byte is another value (check-origin-trailing-slash)",
			handler: simple("Access-Control-Allow-Origin", page.String()+"\xff"),
			want:    []fetch.Reason{fetch.ReasonInvalidAllowOriginValue, fetch.ReasonAllowOriginMismatch}},
		{name: "invalid UTF-8 in Access-Control-Expose-Headers", anchor: "#concept-main-fetch",
			reason:  "a list that does not parse exposes nothing beyond the safelist (expose-unparsable)",
			handler: simple(with(star, []string{"Access-Control-Expose-Headers", "x-a, x-\xff", "X-A", "1"})...),
			check:   exposes(fetch.TypeCORS, "Content-Length", "Content-Type")},
		{name: "invalid UTF-8 in an exposed value", anchor: "#concept-header-value",
			reason:  "a header value is a byte sequence: exposed as sent (expose-one)",
			handler: simple(with(star, []string{"Access-Control-Expose-Headers", "X-A", "X-A", "\xff\xfe\x80"})...),
			check: func(t *testing.T, resp *http.Response, _ http.CookieJar, _ *server) {
				if got := resp.Header.Get("X-A"); got != "\xff\xfe\x80" {
					t.Errorf("X-A = %q, want the bytes sent", got)
				}
			}},
		{name: "invalid UTF-8 in Access-Control-Allow-Methods", anchor: "#extract-header-list-values",
			reason:  "a method list that does not parse fails the preflight (preflight-acam-unparsable)",
			method:  "PUT",
			handler: preflighted(with(star, []string{"Access-Control-Allow-Methods", "PUT, P\xffT"}), star),
			want:    []fetch.Reason{fetch.ReasonInvalidAllowMethods}, preflight: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runHostile(t, tt) })
	}
}

// TestHostileSlowAndBrokenServers covers preflights that are slow or never
// answer, endless bodies on responses the page may not read, and
// connections closed mid-preflight: the request's deadline holds, nothing
// is read without bound, and the failure is a clear *fetch.Error.
func TestHostileSlowAndBrokenServers(t *testing.T) {
	okPreflight := []string{"Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"}
	isPreflight := func(r *http.Request) bool {
		return r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	}
	tests := []hostileCase{
		{name: "preflight never answers", anchor: "#concept-fetch",
			reason: "the request's deadline ends the preflight: a network error of the preflight",
			method: "PUT", timeout: 300 * time.Millisecond,
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { e.block(r) }
			},
			want: []fetch.Reason{fetch.ReasonNetwork}, preflight: true},
		{name: "preflight headers drip forever", anchor: "#concept-fetch",
			reason: "a status line, then one header byte every 20 ms: the deadline still holds",
			method: "PUT", timeout: 300 * time.Millisecond,
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					conn, bw, _ := http.NewResponseController(w).Hijack()
					defer conn.Close()
					bw.WriteString("HTTP/1.1 200 OK\r\nX-Drip: ")
					for range 1500 {
						if bw.WriteByte('x') != nil || bw.Flush() != nil {
							return
						}
						select {
						case <-e.release:
							return
						case <-time.After(20 * time.Millisecond):
						}
					}
				}
			},
			want: []fetch.Reason{fetch.ReasonNetwork}, preflight: true},
		{name: "slow preflight within the deadline", anchor: "#cors-preflight-fetch-0",
			reason: "a slow but valid preflight is a valid preflight (preflight-status-200)",
			method: "PUT", timeout: 20 * time.Second,
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if isPreflight(r) {
						time.Sleep(200 * time.Millisecond)
					}
					answer(200, "ok", okPreflight...)(w, r)
				}
			},
			check: exposes(fetch.TypeCORS, "Content-Length", "Content-Type")},
		{name: "actual request never answers", anchor: "#concept-fetch",
			reason: "after a valid preflight the deadline ends the actual request: a network error, not the preflight's",
			method: "PUT", timeout: 300 * time.Millisecond,
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if isPreflight(r) {
						answer(200, "", okPreflight...)(w, r)
						return
					}
					e.block(r)
				}
			},
			want: []fetch.Reason{fetch.ReasonNetwork}},
		{name: "endless body, no Access-Control-Allow-Origin", anchor: "#concept-cors-check",
			reason: "blocked on the headers; the body is abandoned, its connection closed (check-no-acao)",
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { e.endless(w, 200) }
			},
			want: []fetch.Reason{fetch.ReasonMissingAllowOriginHeader}, wantClosed: true},
		{name: "endless body, credentials and *", anchor: "#concept-cors-check",
			reason: "step 3 needs credentials omitted (check-include-star)",
			opts:   fetch.Options{Credentials: fetch.CredentialsInclude},
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { e.endless(w, 200, "Access-Control-Allow-Origin", "*") }
			},
			want: []fetch.Reason{fetch.ReasonWildcardOriginNotAllowed}, wantClosed: true},
		{name: "endless body, opaque", anchor: "#concept-filtered-response-opaque",
			reason: "an opaque response has a null body; the real one is abandoned (mode-no-cors-get)",
			opts:   fetch.Options{Mode: fetch.ModeNoCORS},
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { e.endless(w, 200) }
			},
			check: exposes(fetch.TypeOpaque), wantClosed: true},
		{name: "endless body of a failed preflight", anchor: "#cors-preflight-fetch-0",
			reason: "a 404 preflight fails on its status (preflight-status-404)",
			method: "PUT",
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { e.endless(w, 404, "Access-Control-Allow-Origin", "*") }
			},
			want: []fetch.Reason{fetch.ReasonPreflightInvalidStatus}, preflight: true, wantClosed: true},
		{name: "endless body of a valid preflight", anchor: "#cors-preflight-fetch-0",
			reason: "only the preflight's status and headers count: the actual request follows (preflight-status-200)",
			method: "PUT",
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if isPreflight(r) {
						e.endless(w, 200, okPreflight...)
						return
					}
					answer(200, "ok", okPreflight...)(w, r)
				}
			},
			check: exposes(fetch.TypeCORS, "Content-Length", "Content-Type"), wantClosed: true},
		{name: "endless body of a redirect", anchor: "#concept-http-redirect-fetch",
			reason: "the redirect is followed; its body is abandoned (redirect-relative)",
			handler: func(e *hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/r" {
						e.endless(w, 302, "Access-Control-Allow-Origin", "*", "Location", "/end")
						return
					}
					answer(200, "end", "Access-Control-Allow-Origin", "*")(w, r)
				}
			},
			check: exposes(fetch.TypeCORS, "Content-Length", "Content-Type"), wantClosed: true},
		{name: "connection closed before the preflight's status line", anchor: "#concept-http-network-fetch",
			reason: "no response at all: a network error of the preflight",
			method: "PUT",
			handler: func(*hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { hijack(w, "") }
			},
			want: []fetch.Reason{fetch.ReasonNetwork}, preflight: true},
		{name: "connection closed in the preflight's headers", anchor: "#concept-http-network-fetch",
			reason: "an incomplete header block is no response: a network error of the preflight",
			method: "PUT",
			handler: func(*hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					hijack(w, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Me")
				}
			},
			want: []fetch.Reason{fetch.ReasonNetwork}, preflight: true},
		{name: "connection closed in the preflight's body", anchor: "#cors-preflight-fetch-0",
			reason: "the headers are complete and allow PUT; the body does not count (preflight-status-200)",
			method: "PUT",
			handler: func(*hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if isPreflight(r) {
						hijack(w, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT\r\nContent-Length: 100\r\n\r\nshort")
						return
					}
					answer(200, "ok", okPreflight...)(w, r)
				}
			},
			check: exposes(fetch.TypeCORS, "Content-Length", "Content-Type")},
		{name: "connection closed in the actual response's headers", anchor: "#concept-http-network-fetch",
			reason: "after a valid preflight: a network error of the actual request",
			method: "PUT",
			handler: func(*hostileEnv) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if isPreflight(r) {
						answer(200, "", okPreflight...)(w, r)
						return
					}
					hijack(w, "HTTP/1.1 200 OK\r\nAccess-Con")
				}
			},
			want: []fetch.Reason{fetch.ReasonNetwork}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runHostile(t, tt) })
	}
}

// TestHostileMaxAge checks that an Access-Control-Max-Age that overflows
// every integer type neither fails the preflight nor caches it wrongly: each
// profile reads it its engine's way (cache-max-age-huge).
func TestHostileMaxAge(t *testing.T) {
	const huge = "99999999999999999999"
	tests := []struct {
		name, anchor, reason string
		browser              fetch.Profile
		maxAge               string
		wait                 time.Duration
		wantPreflights       int
	}{
		{name: "Chrome, at once", anchor: "cache-max-age-huge", reason: "the recording: one preflight for two requests",
			browser: fetch.Chrome, maxAge: huge, wait: 0, wantPreflights: 1},
		{name: "Chrome, after 6 s", anchor: "preflight_result.cc ParseAccessControlMaxAge", reason: "not an int64: the default 5 s, expired",
			browser: fetch.Chrome, maxAge: huge, wait: 6 * time.Second, wantPreflights: 2},
		{name: "Chrome, a negative overflow", anchor: "preflight_result.cc ParseAccessControlMaxAge", reason: "not an int64 either: the default 5 s",
			browser: fetch.Chrome, maxAge: "-" + huge, wait: 0, wantPreflights: 1},
		{name: "Spec, after a day", anchor: "#cors-preflight-fetch-0", reason: "delta-seconds past 2^31 s are 2^31 s (RFC 9111 §1.2.2): still fresh",
			browser: fetch.Spec, maxAge: huge, wait: 24 * time.Hour, wantPreflights: 1},
		{name: "Firefox, after 25 h", anchor: "nsCORSListenerProxy.cpp", reason: "digits, capped at 24 h: expired",
			browser: fetch.Firefox, maxAge: huge, wait: 25 * time.Hour, wantPreflights: 2},
		{name: "Safari, after 11 min", anchor: "CrossOriginPreflightResultCache.cpp", reason: "the default 5 s for a value that is no integer, or the 10 min cap: expired under either reading",
			browser: fetch.Safari, maxAge: huge, wait: 11 * time.Minute, wantPreflights: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			srv := newServer(t, "127.0.0.2", withPreflight(
				echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", tt.maxAge), echoOrigin()))
			base := &http.Transport{}
			now := time.Unix(1e9, 0)
			tr := &fetch.Transport{Origin: page, Base: base, Browser: tt.browser, Now: func() time.Time { return now }}
			for i := 0; i < 2; i++ {
				resp, err := do(t, tr, "PUT", srv.URL, nil, fetch.Options{})
				if err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				now = now.Add(tt.wait)
			}
			if n := srv.preflights(); n != tt.wantPreflights {
				t.Errorf("%s: %d preflights, want %d (%s)", tt.anchor, n, tt.wantPreflights, tt.reason)
			}
			base.CloseIdleConnections()
			srv.Close()
			waitGoroutines(t, before)
		})
	}
}

// TestHostileRedirects covers redirect loops and cycles and redirects to
// schemes other than HTTP(S): each ends in a clear error after as many
// requests as the browser sends.
func TestHostileRedirects(t *testing.T) {
	tests := []struct {
		name, anchor, reason string
		method               string
		fields               []string
		opts                 fetch.Options
		location             func(b, c *server, path string) string // where path redirects; "" is no redirect
		want                 fetch.Reason
		wantRequests         int // requests other than preflights, on both servers
	}{
		{name: "redirect to itself", anchor: "#concept-http-redirect-fetch", reason: "the 21st redirect fails (redirect-loop)",
			method: "GET", fields: nil, opts: fetch.Options{},
			location: func(b, c *server, path string) string { return b.URL + "/r" }, want: fetch.ReasonTooManyRedirects, wantRequests: 21},
		{name: "cycle between two origins", anchor: "#concept-http-redirect-fetch", reason: "a cycle is a loop: the 21st redirect fails (redirect-loop, redirect-b-to-c-acao-star)",
			method: "GET", fields: nil, opts: fetch.Options{},
			location: cycle, want: fetch.ReasonTooManyRedirects, wantRequests: 21},
		{name: "preflighted cycle", anchor: "#concept-http-redirect-fetch", reason: "a preflight on every new URL, Origin null after the first hop; still 21 redirects (div-redirect-preflight-null-only)",
			method: "PUT", fields: []string{"X-Custom", "1"}, opts: fetch.Options{},
			location: cycle, want: fetch.ReasonTooManyRedirects, wantRequests: 21},
		{name: "no-cors cycle", anchor: "#concept-http-redirect-fetch", reason: "the limit holds in every mode (mode-no-cors-a-redirect-to-b)",
			method: "GET", fields: nil, opts: fetch.Options{Mode: fetch.ModeNoCORS},
			location: func(b, c *server, path string) string { return b.URL + "/r" }, want: fetch.ReasonTooManyRedirects, wantRequests: 21},
		{name: "ftp:", anchor: "#concept-http-redirect-fetch", reason: "not an HTTP(S) scheme (redirect-ftp-url)",
			method: "GET", fields: nil, opts: fetch.Options{}, location: constLocation("ftp://127.0.0.2/r2"), want: fetch.ReasonRedirectSchemeNotHTTP, wantRequests: 1},
		{name: "data:", anchor: "#concept-http-redirect-fetch", reason: "not an HTTP(S) scheme (redirect-data-url)",
			method: "GET", fields: nil, opts: fetch.Options{}, location: constLocation("data:text/plain,hi"), want: fetch.ReasonRedirectSchemeNotHTTP, wantRequests: 1},
		{name: "javascript:", anchor: "#concept-http-redirect-fetch", reason: "not an HTTP(S) scheme, like data: (redirect-data-url)",
			method: "GET", fields: nil, opts: fetch.Options{}, location: constLocation("javascript:alert(document.cookie)"), want: fetch.ReasonRedirectSchemeNotHTTP, wantRequests: 1},
		{name: "about:blank", anchor: "#concept-http-redirect-fetch", reason: "not an HTTP(S) scheme (redirect-about-blank)",
			method: "GET", fields: nil, opts: fetch.Options{}, location: constLocation("about:blank"), want: fetch.ReasonRedirectSchemeNotHTTP, wantRequests: 1},
		{name: "file:", anchor: "#concept-http-redirect-fetch", reason: "not an HTTP(S) scheme, like ftp: (redirect-ftp-url)",
			method: "GET", fields: nil, opts: fetch.Options{}, location: constLocation("file:///etc/passwd"), want: fetch.ReasonRedirectSchemeNotHTTP, wantRequests: 1},
		{name: "javascript: in no-cors mode", anchor: "#concept-http-redirect-fetch", reason: "the scheme check is not a CORS check: it holds in no-cors mode",
			method: "GET", fields: nil, opts: fetch.Options{Mode: fetch.ModeNoCORS}, location: constLocation("javascript:alert(1)"), want: fetch.ReasonRedirectSchemeNotHTTP, wantRequests: 1},
		{name: "data: with a preflight", anchor: "#concept-http-redirect-fetch", reason: "after a valid preflight, the redirect still fails (redirect-data-url)",
			method: "PUT", fields: []string{"X-Custom", "1"}, opts: fetch.Options{}, location: constLocation("data:,x"), want: fetch.ReasonRedirectSchemeNotHTTP, wantRequests: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			var b, c *server
			handler := func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				if r.Method == http.MethodOptions {
					w.Header().Set("Access-Control-Allow-Methods", "PUT")
					w.Header().Set("Access-Control-Allow-Headers", "x-custom")
					return
				}
				if loc := tt.location(b, c, r.URL.Path); loc != "" {
					w.Header().Set("Location", loc)
					w.WriteHeader(http.StatusTemporaryRedirect)
				}
			}
			b = newServer(t, "127.0.0.2", handler)
			c = newServer(t, "127.0.0.3", handler)
			base := &http.Transport{}
			tr := &fetch.Transport{Origin: page, Base: base}
			_, err := do(t, tr, tt.method, b.URL+"/r", nil, tt.opts, tt.fields...)
			if err == nil || err.Reason != tt.want {
				t.Fatalf("%s: got %v; want %s (%s)", tt.anchor, err, tt.want, tt.reason)
			}
			n := 0
			for _, r := range append(b.requests(), c.requests()...) {
				if r.Method != http.MethodOptions {
					n++
				}
			}
			if n != tt.wantRequests {
				t.Errorf("%s: %d requests sent, want %d (%s)", tt.anchor, n, tt.wantRequests, tt.reason)
			}
			base.CloseIdleConnections()
			b.Close()
			c.Close()
			waitGoroutines(t, before)
		})
	}
}

// cycle redirects B's /r and /b to C's /c, and everything else back to B's
// /b: a loop across two origins.
func cycle(b, c *server, path string) string {
	if path == "/b" || path == "/r" {
		return c.URL + "/c"
	}
	return b.URL + "/b"
}

func constLocation(loc string) func(b, c *server, path string) string {
	return func(_, _ *server, path string) string {
		if path == "/r" {
			return loc
		}
		return ""
	}
}
