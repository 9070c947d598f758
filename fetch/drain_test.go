package fetch_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
)

// drip returns a handler that sends the header fields (name, value pairs)
// and status, then a body one byte every 20 ms until the connection is
// closed, which it reports on closed. It gives up after 30 s, so that a
// failing test ends.
func drip(closed chan<- struct{}, status int, fields ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(fields); i += 2 {
			w.Header().Add(fields[i], fields[i+1])
		}
		w.WriteHeader(status)
		for range 1500 {
			if _, err := io.WriteString(w, "x"); err != nil {
				break
			}
			if err := http.NewResponseController(w).Flush(); err != nil {
				break
			}
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Millisecond):
				continue
			}
			break
		}
		select {
		case closed <- struct{}{}:
		default:
		}
	}
}

// TestSlowBodiesAreNotAwaited checks that a body the page may not read is
// never waited for without bound: a server that drips it forever does not
// hold the fetch. The browser fails a blocked fetch as soon as the CORS
// check fails on the headers (#concept-http-fetch runs the check on the
// response, not its body), and a preflight's body is never read
// (#cors-preflight-fetch-0 uses only its status and headers). Before the
// fix the Transport drained up to 64 KiB of such a body however slowly it
// came: at one byte every 20 ms, 22 minutes. Each case runs over an
// *http.Transport, whose bodies the Transport drains in the caller's
// goroutine, and over a wrapper of it, another RoundTripper, whose bodies
// it drains in a goroutine of their own.
func TestSlowBodiesAreNotAwaited(t *testing.T) {
	tests := []struct {
		name, anchor, reason string
		handler              func(closed chan<- struct{}) http.HandlerFunc
		method               string
		fields               []string
		opts                 fetch.Options
		want                 fetch.Reason // "" for success
	}{
		{name: "blocked response", anchor: "#concept-cors-check", reason: "no Access-Control-Allow-Origin: blocked on the headers (check-no-acao)",
			handler: func(c chan<- struct{}) http.HandlerFunc { return drip(c, 200) },
			method:  "GET", fields: nil, opts: fetch.Options{}, want: fetch.ReasonMissingAllowOriginHeader},
		{name: "opaque response", anchor: "#concept-filtered-response-opaque", reason: "an opaque response has a null body (mode-no-cors-get)",
			handler: func(c chan<- struct{}) http.HandlerFunc { return drip(c, 200) },
			method:  "GET", fields: nil, opts: fetch.Options{Mode: fetch.ModeNoCORS}, want: ""},
		{name: "preflight", anchor: "#cors-preflight-fetch-0", reason: "only the preflight's status and headers count (preflight-status-200)",
			handler: func(c chan<- struct{}) http.HandlerFunc {
				return withPreflight(drip(c, 200, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"), answer(200, "ok", "Access-Control-Allow-Origin", "*"))
			},
			method: "PUT", fields: nil, opts: fetch.Options{}, want: ""},
		{name: "redirect", anchor: "#concept-http-redirect-fetch", reason: "a redirect's body is not the page's (redirect-b-to-c-acao-star)",
			handler: func(c chan<- struct{}) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/end" {
						answer(200, "end", "Access-Control-Allow-Origin", "*")(w, r)
						return
					}
					drip(c, 302, "Access-Control-Allow-Origin", "*", "Location", "/end")(w, r)
				}
			},
			method: "GET", fields: nil, opts: fetch.Options{}, want: ""},
	}
	for _, tt := range tests {
		for _, wrapped := range []bool{false, true} {
			name := tt.name + "/net-http"
			if wrapped {
				name = tt.name + "/other-base"
			}
			t.Run(name, func(t *testing.T) {
				closed := make(chan struct{}, 1)
				srv := newServer(t, "127.0.0.2", tt.handler(closed))
				std := &http.Transport{}
				defer std.CloseIdleConnections()
				var base http.RoundTripper = std
				if wrapped {
					base = struct{ http.RoundTripper }{std}
				}
				tr := &fetch.Transport{Origin: page, Base: base}
				type result struct {
					resp *http.Response
					err  *fetch.Error
				}
				done := make(chan result, 1)
				go func() {
					req, _ := http.NewRequest(tt.method, srv.URL+"/r", nil)
					resp, err := tr.RoundTrip(fetch.WithOptions(req, tt.opts))
					r := result{resp: resp}
					if err != nil {
						r.err = err.(*fetch.Error)
					}
					done <- r
				}()
				var r result
				select {
				case r = <-done:
				case <-time.After(10 * time.Second):
					t.Fatalf("%s: RoundTrip has not returned after 10 s; the body drips forever (%s)", tt.anchor, tt.reason)
				}
				if r.resp != nil {
					r.resp.Body.Close()
				}
				if (r.err == nil) != (tt.want == "") || r.err != nil && r.err.Reason != tt.want {
					t.Fatalf("%s: got %v; want reason %q (%s)", tt.anchor, r.err, tt.want, tt.reason)
				}
				select {
				case <-closed:
				case <-time.After(10 * time.Second):
					t.Fatal("the server never saw the connection of the dripping body closed")
				}
			})
		}
	}
}
