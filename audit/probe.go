package audit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
)

// maxBody bounds the bytes of an answer the audit reads and keeps.
const maxBody = 64 << 10

// userAgent is sent with every probe, so that a server's owner can tell
// the audit's requests in their logs.
const userAgent = "corsprobe-audit (+https://github.com/corsfetch/corsfetch)"

// result is a probe's exchange with what the audit reads from it, and the
// answer's bytes for replaying it to a browser profile.
type result struct {
	x    *Exchange
	a    answer
	body []byte
	// head is the answer's header as received, Cookie hidden nowhere (the
	// Exchange's copy is for the report).
	head http.Header
}

// ok reports whether the probe got an answer.
func (r *result) ok() bool { return r != nil && r.x.Response != nil }

// prober sends the probes of one URL: within the budget, at the interval,
// with the user's cookies on the legitimate origin's requests only.
type prober struct {
	base     http.RoundTripper
	interval time.Duration
	budget   int
	sum      *URLSummary
	last     *time.Time         // the auditor's: when the last answer came back
	cookies  *cookiestore.Store // the user's cookies; nil when none given
	extra    http.Header
}

// probeSpec is one probe to send.
type probeSpec struct {
	method, url string
	origin      string      // the Origin field; "" sends none
	header      http.Header // more fields (Access-Control-Request-*)
	cookies     bool        // attach the user's cookies
	body        string      // a request body (unsafe methods only)
	what        string      // names the probe when it is skipped
}

// send sends s and reads the answer; it returns nil, and lists the probe
// as skipped, when the budget is spent.
func (p *prober) send(ctx context.Context, s probeSpec) *result {
	if p.sum.Requests >= p.budget {
		p.skip(s.what, fmt.Sprintf("the budget of %d requests for the URL is spent", p.budget))
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, s.method, s.url, strings.NewReader(s.body))
	if err != nil {
		p.skip(s.what, err.Error())
		return nil
	}
	if s.body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	p.header(req, s)
	x := &Exchange{Request: reportRequest(req)}
	if err := p.wait(ctx); err != nil {
		x.Error = err.Error()
		return &result{x: x}
	}
	p.sum.Requests++
	resp, err := p.base.RoundTrip(req)
	*p.last = time.Now()
	if err != nil {
		x.Error = err.Error()
		return &result{x: x}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		x.Error = "reading the body: " + err.Error()
	}
	x.Response = &ProbeResponse{Status: resp.StatusCode, Header: resp.Header.Clone(), BodyLength: len(body)}
	return &result{x: x, a: parseAnswer(resp.StatusCode, resp.Header), body: body, head: resp.Header.Clone()}
}

// header sets the request's fields as a browser's fetch() would have them
// for the probe, plus Config.Header.
func (p *prober) header(req *http.Request, s probeSpec) {
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "*/*")
	for name, values := range p.extra {
		req.Header[http.CanonicalHeaderKey(name)] = slices.Clone(values)
	}
	for name, values := range s.header {
		req.Header[name] = slices.Clone(values)
	}
	if s.origin != "" {
		req.Header.Set("Origin", s.origin)
		req.Header.Set("Sec-Fetch-Mode", "cors")
	}
	if s.method != http.MethodGet && s.method != http.MethodHead && s.method != http.MethodOptions && s.body != "" {
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	}
	if s.cookies && p.cookies != nil {
		for _, c := range p.cookies.Cookies(req.URL) {
			req.AddCookie(c)
		}
	}
}

// wait keeps the interval after the previous exchange of the audit, of
// this URL or the one before: p.last is when its answer's header (or its
// failure) came back, so the next request leaves at least the interval
// after the previous one left, however long the previous took or the time
// between the timer and the send.
func (p *prober) wait(ctx context.Context) error {
	if p.interval <= 0 || p.last.IsZero() {
		return nil
	}
	d := time.Until(p.last.Add(p.interval))
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// skip lists a probe that was not sent.
func (p *prober) skip(what, why string) {
	p.sum.Skipped = append(p.sum.Skipped, what+": "+why)
}

// reportRequest returns req as the report shows it: the Cookie field's
// values replaced by the cookies' names.
func reportRequest(req *http.Request) ProbeRequest {
	h := req.Header.Clone()
	if cs := req.Cookies(); len(cs) > 0 {
		names := make([]string, len(cs))
		for i, c := range cs {
			names[i] = c.Name + "=…"
		}
		h["Cookie"] = []string{strings.Join(names, "; ")}
	}
	return ProbeRequest{Method: req.Method, URL: req.URL.String(), Header: h}
}

// replay is a network that answers every request with a recorded answer:
// the OPTIONS answer for a preflight, the other for anything else, and
// notes what each request carried. The verdicts run a browser profile's
// pages against it, so that no request of an attacker's page, and no
// cookie, reaches the server.
type replay struct {
	main, preflight *result
	// sent is every request the browser sent, in order.
	sent []*http.Request
}

// RoundTrip answers req with the recorded answer.
func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	r.sent = append(r.sent, req)
	res := r.main
	if req.Method == http.MethodOptions && r.preflight != nil {
		res = r.preflight
	}
	if !res.ok() {
		return nil, fmt.Errorf("audit: no recorded answer for %s %s", req.Method, req.URL)
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", res.x.Response.Status, http.StatusText(res.x.Response.Status)),
		StatusCode:    res.x.Response.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        res.head.Clone(),
		Body:          io.NopCloser(bytes.NewReader(res.body)),
		ContentLength: int64(len(res.body)),
		Request:       req,
	}, nil
}

// handlerTransport serves requests with an http.Handler in process, as if
// it answered at the requests' URLs.
type handlerTransport struct{ h http.Handler }

// RoundTrip runs the handler for req.
func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	w := &recorder{header: http.Header{}}
	r := req.Clone(req.Context())
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = "192.0.2.1:1234"
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	t.h.ServeHTTP(w, r)
	w.WriteHeader(http.StatusOK) // a handler that wrote nothing answered 200
	return &http.Response{
		Status:     fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		StatusCode: w.status,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     w.sent,
		Body:       io.NopCloser(bytes.NewReader(w.body.Bytes())),
		Request:    req,
	}, nil
}

// recorder is the http.ResponseWriter of handlerTransport: it keeps the
// header as it was when the handler wrote the status, and at most maxBody
// bytes of the body.
type recorder struct {
	header, sent http.Header
	status       int
	body         bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	w.sent = w.header.Clone()
}

func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if room := maxBody - w.body.Len(); room > 0 {
		w.body.Write(b[:min(len(b), room)])
	}
	return len(b), nil
}

// urlWithPath returns u with its path replaced.
func urlWithPath(u *url.URL, path string) string {
	v := *u
	v.Path, v.RawPath = path, ""
	return v.String()
}
