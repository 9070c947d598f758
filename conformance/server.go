package conformance

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// maxLoggedBody bounds how much of a request body the server reads and logs.
const maxLoggedBody = 1 << 20

// LoggedRequest is one request as the scenario server received it. Strings
// that carry the run's origins, hosts or the scenario prefix are stored as
// value templates ({B}, {B.host}, {S}: "{B}{S}/r"), so logs of different runs
// compare equal.
type LoggedRequest struct {
	// Origin is the name (A, P, B or C) of the origin the request reached.
	Origin string `json:"origin"`
	// Method is the request method as it arrived (no case change).
	Method string `json:"method"`
	// Path is the request path under the scenario prefix, e.g. "/r",
	// percent-decoded. A path that carries an origin (a browser that
	// resolved a malformed Location as a relative path) is stored as a value
	// template too. A byte that is not part of valid UTF-8 is stored
	// percent-encoded ("/r%E9"), so that it survives JSON.
	Path string `json:"path"`
	// Query is the raw query, without '?', with bytes that are not valid
	// UTF-8 percent-encoded like Path's.
	Query string `json:"query,omitempty"`
	// Header holds every header field that arrived (Go's canonical names),
	// repeats kept in order. Host is not among them. Values are
	// isomorphic-decoded: each byte is stored as the code point of the same
	// number, so bytes 0x80-0xFF survive JSON (0xE9 is stored as "é").
	Header http.Header `json:"header"`
	// Body is the request body (at most 1 MiB).
	Body string `json:"body,omitempty"`
}

// Server is the loopback scenario server: four origins, A and P on
// 127.0.0.1, B on 127.0.0.2 and C on 127.0.0.3, each on a port of its own. It
// answers every route of the scenarios it was created with under
// /s/<scenario-id>/ on every origin and logs every request that arrives there.
// Paths under /runner/ are left to the handlers given to [Server.HandleRunner]
// (the recorder's page and warm-up) and are not logged. It is safe for
// concurrent use.
type Server struct {
	origins   Origins
	listeners []net.Listener
	servers   []*http.Server
	scenarios map[string]*Scenario
	routes    map[string]map[string]*Route // scenario id → "B/path" → route

	mu      sync.Mutex
	log     map[string][]LoggedRequest
	runners map[string]http.Handler // origin name → handler of /runner/
}

var originHosts = map[string]string{"A": "127.0.0.1", "P": "127.0.0.1", "B": "127.0.0.2", "C": "127.0.0.3"}

// NewServer starts the four origins on free loopback ports and serves the
// given scenarios. Close stops it.
func NewServer(scenarios []Scenario) (*Server, error) {
	s := &Server{
		origins:   Origins{},
		scenarios: map[string]*Scenario{},
		routes:    map[string]map[string]*Route{},
		log:       map[string][]LoggedRequest{},
		runners:   map[string]http.Handler{},
	}
	for i := range scenarios {
		sc := &scenarios[i]
		if _, dup := s.scenarios[sc.ID]; dup {
			return nil, fmt.Errorf("conformance: scenario %q given twice", sc.ID)
		}
		s.scenarios[sc.ID] = sc
		rs := map[string]*Route{}
		for j := range sc.Routes {
			name, p, err := sc.Routes[j].origin()
			if err != nil {
				return nil, fmt.Errorf("conformance: scenario %q: %w", sc.ID, err)
			}
			rs[name+p] = &sc.Routes[j]
		}
		s.routes[sc.ID] = rs
	}
	for _, name := range OriginNames {
		ln, err := net.Listen("tcp", originHosts[name]+":0")
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("conformance: origin %s: %w", name, err)
		}
		s.listeners = append(s.listeners, ln)
		s.origins[name] = "http://" + ln.Addr().String()
	}
	for i, name := range OriginNames {
		srv := &http.Server{
			Handler:           s.handler(name),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          nil,
		}
		s.servers = append(s.servers, srv)
		go srv.Serve(s.listeners[i])
	}
	return s, nil
}

// Origins returns the serialized origins of the running server.
func (s *Server) Origins() Origins {
	o := Origins{}
	for k, v := range s.origins {
		o[k] = v
	}
	return o
}

// RunnerPrefix is the path prefix under which an origin passes requests to
// the handler given to [Server.HandleRunner].
const RunnerPrefix = "/runner/"

// HandleRunner makes the origin named origin (A, P, B or C) pass every
// request whose path starts with [RunnerPrefix] to h; without a handler,
// such requests get 404. They are not logged. The recorder serves its
// runner page, its protocol and its warm-up route on every origin this way.
func (s *Server) HandleRunner(origin string, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runners[origin] = h
}

// Requests returns the requests logged for the scenario with the given id,
// in arrival order; an empty (non-nil) slice when none arrived.
func (s *Server) Requests(id string) []LoggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LoggedRequest{}, s.log[id]...)
}

// Close stops all four origins and waits for their connections to close.
func (s *Server) Close() error {
	var errs []error
	for _, srv := range s.servers {
		errs = append(errs, srv.Close())
	}
	if len(s.servers) == 0 {
		for _, ln := range s.listeners {
			errs = append(errs, ln.Close())
		}
	}
	return errors.Join(errs...)
}

func (s *Server) handler(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, RunnerPrefix) {
			s.mu.Lock()
			h := s.runners[name]
			s.mu.Unlock()
			if h != nil {
				h.ServeHTTP(w, r)
				return
			}
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/s/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		id, p, _ := strings.Cut(rest, "/")
		sc := s.scenarios[id]
		if sc == nil {
			http.NotFound(w, r)
			return
		}
		p = "/" + p
		prefix := Prefix(id)
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxLoggedBody))
		un := valueUntemplater(s.origins, prefix)
		h := http.Header{}
		for k, vs := range r.Header {
			for _, v := range vs {
				h[k] = append(h[k], un.Replace(isomorphicDecode(v)))
			}
		}
		s.mu.Lock()
		s.log[id] = append(s.log[id], LoggedRequest{
			Origin: name,
			Method: r.Method,
			Path:   un.Replace(escapeInvalidUTF8(p)),
			Query:  un.Replace(escapeInvalidUTF8(r.URL.RawQuery)),
			Header: h,
			Body:   string(body),
		})
		s.mu.Unlock()

		route := s.routes[id][name+p]
		if route == nil {
			w.Header()["Date"] = nil
			w.Header()["Content-Type"] = nil
			w.WriteHeader(http.StatusNotFound)
			return
		}
		writeAnswer(w, route.answer(r), name, p, s.origins, prefix, r.Header)
	})
}

// answer returns the answer of rt to r: Preflight for a CORS preflight
// (OPTIONS with Access-Control-Request-Method), Conditional for any other
// request with If-None-Match or If-Modified-Since, else Response (also when
// the answer chosen is not given).
func (rt *Route) answer(r *http.Request) *Answer {
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	_, inm := r.Header["If-None-Match"]
	_, ims := r.Header["If-Modified-Since"]
	switch {
	case preflight && rt.Preflight != nil:
		return rt.Preflight
	case !preflight && (inm || ims) && rt.Conditional != nil:
		return rt.Conditional
	}
	return &rt.Response
}

// writeAnswer writes a as the response. Go adds no Date and no sniffed
// Content-Type: the only fields are the configured ones plus Content-Length.
func writeAnswer(w http.ResponseWriter, a *Answer, name, p string, o Origins, prefix string, req http.Header) {
	if a.Raw {
		writeRaw(w, a, name, p, o, prefix, req)
		return
	}
	h := w.Header()
	h["Date"] = nil
	// A name goes out spelled as the scenario writes it, so that case rules
	// can be exercised. net/http writes fields grouped by map key, so when
	// one name is spelled in several ways the canonical spelling is used
	// for all of them, which keeps the order of the repeats.
	spelling := map[string]string{}
	for _, f := range a.Headers {
		c := textproto.CanonicalMIMEHeaderKey(f.Name)
		if prev, ok := spelling[c]; ok && prev != f.Name {
			spelling[c] = c
		} else if !ok {
			spelling[c] = f.Name
		}
	}
	hasType := false
	for _, f := range a.Headers {
		v, ok := expandValue(f.Value, o, prefix, req)
		if !ok {
			continue
		}
		c := textproto.CanonicalMIMEHeaderKey(f.Name)
		h[spelling[c]] = append(h[spelling[c]], v)
		if c == "Content-Type" {
			hasType = true
		}
	}
	if !hasType {
		h["Content-Type"] = nil
	} else if _, ok := h["Content-Type"]; !ok {
		// A non-canonical spelling such as "content-type" was given;
		// keep Go from adding a sniffed Content-Type next to it.
		h["Content-Type"] = nil
	}
	if a.Location != "" {
		h["Location"] = append(h["Location"], expandURL(a.Location, o, prefix))
	}
	status := a.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := name + " " + p
	if a.Body != nil {
		body = *a.Body
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// writeRaw writes a raw answer (see Answer.Raw) on the hijacked connection
// and closes it.
func writeRaw(w http.ResponseWriter, a *Answer, name, p string, o Origins, prefix string, req http.Header) {
	status := a.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := name + " " + p
	if a.Body != nil {
		body = *a.Body
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	hasLength := false
	for _, f := range a.Headers {
		v, ok := expandValue(f.Value, o, prefix, req)
		if !ok {
			continue
		}
		b.WriteString(byteString(f.Name))
		b.WriteString(": ")
		b.WriteString(byteString(v))
		b.WriteString("\r\n")
		hasLength = hasLength || strings.EqualFold(f.Name, "Content-Length")
	}
	if a.Location != "" {
		b.WriteString("Location: " + byteString(expandURL(a.Location, o, prefix)) + "\r\n")
	}
	if !hasLength {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	// The connection is closed after the body; saying so keeps clients
	// from putting it back in their pool, where the next request would
	// find it dead.
	b.WriteString("Connection: close\r\n\r\n")
	b.WriteString(body)
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "raw answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	buf.WriteString(b.String())
	buf.Flush()
}

// byteString is toByteString for the names and values of a raw answer,
// which Validate checked to be ByteStrings.
func byteString(s string) string {
	b, _ := toByteString(s)
	return b
}

// escapeInvalidUTF8 returns s with every byte that is not part of valid
// UTF-8 percent-encoded.
func escapeInvalidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			fmt.Fprintf(&b, "%%%02X", s[i])
			i++
			continue
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

// isomorphicDecode maps each byte of s to the code point of the same value
// (Infra's "isomorphic decode"), so that any byte string survives as UTF-8.
func isomorphicDecode(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			r := make([]rune, len(s))
			for j := 0; j < len(s); j++ {
				r[j] = rune(s[j])
			}
			return string(r)
		}
	}
	return s
}
