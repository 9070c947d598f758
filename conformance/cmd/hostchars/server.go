//go:build unix

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The server reads requests itself instead of through net/http, whose
// server refuses a Host header or request target with characters such as
// "{" or "|" before a handler sees it: the point is to see what the browser
// sends, whatever it is. It answers one request per connection. The same
// server is the browser's HTTP proxy (requests in absolute form) or, with
// the names resolved to it, the server of every origin (origin form).

// field is a header field as received.
type field struct{ name, value string }

// request is a request head (and body) as received by the server.
type request struct {
	method, target, proto string
	header                []field
	body                  []byte
}

// get returns the value of the first field called name (any case), and
// whether there was one.
func (r *request) get(name string) (string, bool) {
	for _, f := range r.header {
		if strings.EqualFold(f.name, name) {
			return f.value, true
		}
	}
	return "", false
}

// Bounds on what the server reads of a request.
const (
	maxLine   = 64 << 10
	maxFields = 200
	maxBody   = 1 << 20
)

// readLine reads a line ending in LF, without its CR LF, of at most
// maxLine bytes.
func readLine(br *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			return "", errors.New("line too long")
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return "", err
		}
		return strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r"), nil
	}
}

// readRequest reads a request: the request line (the target is whatever
// lies between the first and the last space), the header fields, and a
// body of Content-Length bytes.
func readRequest(br *bufio.Reader) (*request, error) {
	line, err := readLine(br)
	if err != nil {
		return nil, err
	}
	sp1, sp2 := strings.IndexByte(line, ' '), strings.LastIndexByte(line, ' ')
	if sp1 <= 0 || sp2 <= sp1 {
		return nil, fmt.Errorf("malformed request line %q", line)
	}
	r := &request{method: line[:sp1], target: line[sp1+1 : sp2], proto: line[sp2+1:]}
	for {
		line, err := readLine(br)
		if err != nil {
			return nil, err
		}
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || len(r.header) == maxFields {
			return nil, fmt.Errorf("malformed header field %q", line)
		}
		r.header = append(r.header, field{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	if cl, ok := r.get("Content-Length"); ok {
		n, err := strconv.Atoi(cl)
		if err != nil || n < 0 || n > maxBody {
			return nil, fmt.Errorf("bad Content-Length %q", cl)
		}
		r.body = make([]byte, n)
		if _, err := io.ReadFull(br, r.body); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// splitTarget returns the host and the path (with query) of a request
// target in absolute form ("http://host/path?q"); for a target in origin
// form ("/path"), host is the Host header's value.
func splitTarget(r *request) (host, path string) {
	t := r.target
	if len(t) >= 7 && strings.EqualFold(t[:7], "http://") {
		t = t[7:]
		if i := strings.IndexByte(t, '/'); i >= 0 {
			return t[:i], t[i:]
		}
		return t, "/"
	}
	host, _ = r.get("Host")
	return host, t
}

// response is what the server answers.
type response struct {
	status int
	header []field
	body   string
}

// write writes resp as an HTTP/1.1 response that closes the connection.
func (resp response) write(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", resp.status, statusText(resp.status))
	for _, f := range resp.header {
		fmt.Fprintf(&b, "%s: %s\r\n", f.name, f.value)
	}
	fmt.Fprintf(&b, "Cache-Control: no-store\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(resp.body), resp.body)
	_, err := w.Write(b.Bytes())
	return err
}

func statusText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 204:
		return "No Content"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	}
	return "Bad Gateway"
}

// parsed is what new URL() gave for one candidate in the page.
type parsed struct {
	Host   string `json:"host"`
	Origin string `json:"origin"`
	Error  string `json:"error"`
}

// load is what happened when the tab was sent to one candidate's page.
type load struct {
	// reported: the controlling page came back with prev set to this
	// candidate (from the candidate's page, or at once when location.href
	// threw).
	reported                bool
	navError                string
	pageOrigin, fetchResult string
	// pageRequested: the server served the candidate's page.
	pageRequested        bool
	pageHost, pageTarget string
	apiSeen              bool
	origin               string
	// dnsQueries: the names asked of the DNS server while the tab was at
	// the candidate.
	dnsQueries []string
	// stuck: nothing came back within the step timeout.
	stuck bool
}

// state is what the server saw during a pass, and where the tab is.
type state struct {
	chars []string
	// parseOnly: the controlling page parses the candidates and sends the
	// tab nowhere.
	parseOnly bool

	mu        sync.Mutex
	current   int       // the candidate the tab was last sent to
	lastEvent time.Time // the last request for the pass's pages
	pages     int       // controlling pages served
	parsed    []parsed  // nil until the page posted them
	loads     []load
	done      bool
	log       []string // requests that fit nowhere, CONNECTs
}

func newState(chars []string, parseOnly bool) *state {
	return &state{chars: chars, parseOnly: parseOnly, loads: make([]load, len(chars)), current: -1, lastEvent: time.Now()}
}

// serve answers the server's connections until l is closed.
func (s *state) serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go s.handleConn(c)
	}
}

func (s *state) handleConn(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	r, err := readRequest(bufio.NewReader(c))
	if errors.Is(err, io.EOF) {
		return // a connection opened in advance and closed unused
	}
	if err != nil {
		s.note("unreadable request: " + err.Error())
		return
	}
	s.handle(r).write(c)
}

// note adds a line to the pass's log.
func (s *state) note(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, line)
}

// handle answers one request.
func (s *state) handle(r *request) response {
	if r.method == "CONNECT" {
		s.note("CONNECT " + r.target)
		return response{status: 502}
	}
	host, path := splitTarget(r)
	route, _, _ := strings.Cut(path, "?")
	switch {
	case strings.EqualFold(host, controlHost):
		return s.control(r, route, path)
	case route == "/hc/api":
		return s.api(r)
	case route == "/favicon.ico":
		return response{status: 404}
	case !ours(host):
		// The browser's own requests (updates, say) are no page of the pass.
		s.note(fmt.Sprintf("%s %s: not a page of the pass", r.method, r.target))
		return response{status: 404}
	}
	return s.page(r)
}

// control answers the controlling page's requests: the page itself
// (/hc/go) and the results of new URL() (/hc/parsed).
func (s *state) control(r *request, route, path string) response {
	switch route {
	case "/hc/go":
		_, query, _ := strings.Cut(path, "?")
		v, _ := url.ParseQuery(query)
		return response{status: 200, header: htmlType, body: s.controlPage(v)}
	case "/hc/parsed":
		if r.method != "POST" {
			return response{status: 405}
		}
		var p []parsed
		if err := json.Unmarshal(r.body, &p); err != nil || len(p) != len(s.chars) {
			s.note(fmt.Sprintf("bad /hc/parsed body (%v): %q", err, r.body))
			return response{status: 404}
		}
		s.mu.Lock()
		s.parsed, s.lastEvent = p, time.Now()
		s.mu.Unlock()
		return response{status: 204}
	}
	s.note(fmt.Sprintf("%s %s: not a page of the pass", r.method, r.target))
	return response{status: 404}
}

var htmlType = []field{{"Content-Type", "text/html; charset=utf-8"}}

// controlPage records what the query reports of the previous candidate
// (prev) and returns the controlling page for candidate i: it parses every
// candidate first when nothing was parsed yet, and then sends the tab to
// candidate i's page; past the last candidate, the pass is done.
func (s *state) controlPage(v url.Values) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastEvent = time.Now()
	s.pages++
	if prev, err := strconv.Atoi(v.Get("prev")); err == nil && prev >= 0 && prev < len(s.loads) {
		ld := &s.loads[prev]
		ld.reported = true
		ld.navError = v.Get("nav_error")
		ld.pageOrigin, ld.fetchResult = v.Get("origin"), v.Get("fetch")
	}
	i, err := strconv.Atoi(v.Get("i"))
	if err != nil || i < 0 {
		i = 0
	}
	if s.parseOnly || i >= len(s.chars) {
		if s.parsed == nil {
			return controlHTML(s.chars, -1, true)
		}
		s.done = true
		return "<!doctype html><title>hostchars: done</title>done"
	}
	s.current = i
	return controlHTML(s.chars, i, s.parsed == nil)
}

// page serves the page of the candidate the tab was sent to, whatever its
// path and its host (target.example or a name under attacker.test).
func (s *state) page(r *request) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastEvent = time.Now()
	if s.current < 0 || s.current >= len(s.loads) {
		s.log = append(s.log, fmt.Sprintf("%s %s: no candidate pending", r.method, r.target))
		return response{status: 404}
	}
	ld := &s.loads[s.current]
	if !ld.pageRequested {
		ld.pageRequested = true
		ld.pageHost, _ = r.get("Host")
		ld.pageTarget = r.target
	} else {
		s.log = append(s.log, fmt.Sprintf("candidate %d: another page request %s %s", s.current, r.method, r.target))
	}
	return response{status: 200, header: htmlType, body: probeHTML(s.current)}
}

// api answers the fetch() of a candidate's page, allowing the origin it
// carries, and records that origin.
func (s *state) api(r *request) response {
	origin, hasOrigin := r.get("Origin")
	_, query, _ := strings.Cut(r.target, "?")
	v, _ := url.ParseQuery(query)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastEvent = time.Now()
	i, err := strconv.Atoi(v.Get("i"))
	if err != nil || i < 0 || i >= len(s.loads) {
		s.log = append(s.log, fmt.Sprintf("%s %s: no candidate", r.method, r.target))
		return response{status: 404}
	}
	if r.method == "OPTIONS" {
		s.log = append(s.log, fmt.Sprintf("candidate %d: unexpected preflight", i))
	} else {
		s.loads[i].apiSeen = true
		s.loads[i].origin = origin
	}
	allow := "*"
	if hasOrigin {
		allow = origin
	}
	return response{status: 200, header: []field{
		{"Content-Type", "text/plain"},
		{"Access-Control-Allow-Origin", allow},
		{"Vary", "Origin"},
	}, body: "ok"}
}

// dnsQuery records a name asked of the DNS server, for the candidate the
// tab is at; names of the controlling page are left out.
func (s *state) dnsQuery(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current < 0 || s.current >= len(s.loads) || strings.EqualFold(name, controlHost) {
		return
	}
	ld := &s.loads[s.current]
	for _, q := range ld.dnsQueries {
		if q == name {
			return
		}
	}
	ld.dnsQueries = append(ld.dnsQueries, name)
}

// progress returns where the tab is and when the server last heard from it.
func (s *state) progress() (current, pages int, last time.Time, done bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current, s.pages, s.lastEvent, s.done
}

// markStuck records that nothing came back from candidate i in time.
func (s *state) markStuck(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads[i].stuck = true
}

// touch restarts the step clock (a fresh browser is starting).
func (s *state) touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastEvent = time.Now()
}

// logLines returns the pass's log so far.
func (s *state) logLines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}
