package fetch_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/corsfetch/corsfetch/origin"
)

// seen is one request as a test server received it.
type seen struct {
	Method string
	Path   string
	Header http.Header
	Body   string
}

// server is a loopback test server that logs every request and answers
// with its handler.
type server struct {
	*httptest.Server
	Origin origin.Origin

	mu    sync.Mutex
	reqs  []seen
	conns int
}

// newServer starts a server on host (an IP literal such as "127.0.0.2";
// 127.0.0.1 and its other ports are same site with each other, 127.0.0.2 and
// 127.0.0.3 are other sites).
func newServer(t testing.TB, host string, h http.HandlerFunc) *server {
	t.Helper()
	l, err := net.Listen("tcp", host+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", host, err)
	}
	s := &server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: string(body)})
		s.mu.Unlock()
		h(w, r)
	}))
	s.Server.Listener.Close()
	s.Server.Listener = l
	s.Server.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	s.Origin = origin.MustParse(s.URL)
	return s
}

// requests returns the requests received so far.
func (s *server) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

// preflights returns the number of OPTIONS requests received so far.
func (s *server) preflights() int {
	n := 0
	for _, r := range s.requests() {
		if r.Method == http.MethodOptions {
			n++
		}
	}
	return n
}

// connections returns the number of connections accepted so far.
func (s *server) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// answer returns a handler that writes header fields (name, value pairs),
// then status and body, for every request; preflight, when not nil, answers
// OPTIONS requests instead.
func answer(status int, body string, fields ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(fields); i += 2 {
			w.Header().Add(fields[i], fields[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// withPreflight returns a handler answering CORS preflights (OPTIONS with
// Access-Control-Request-Method) with pre and everything else with actual.
func withPreflight(pre, actual http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			pre(w, r)
			return
		}
		actual(w, r)
	}
}

// echoOrigin answers every request with Access-Control-Allow-Origin set to
// the request's Origin and the extra fields.
func echoOrigin(fields ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		for i := 0; i+1 < len(fields); i += 2 {
			w.Header().Add(fields[i], fields[i+1])
		}
		io.WriteString(w, "ok")
	}
}
