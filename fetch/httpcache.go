package fetch

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corsfetch/corsfetch/internal/headerlist"
)

// httpCache is the HTTP cache of a Browser, or the private one of a
// Transport with HTTPCache set: a small RFC 9111 cache of GET responses with explicit freshness. It stores
// the unfiltered response; a cached answer goes through the CORS check and
// the filtering of the request that reuses it, like a network answer.
type httpCache struct {
	mu      sync.Mutex
	entries map[string]*cachedResponse
}

// cachedResponse is one stored response.
type cachedResponse struct {
	status     int
	statusText string
	header     http.Header
	body       []byte
	stored     time.Time
	lifetime   time.Duration // freshness lifetime (RFC 9111 section 4.2.1)
	age        time.Duration // the Age the response arrived with
	vary       []string      // request header names listed in Vary, canonical
	varyValues map[string]string
}

const (
	// maxCachedBody is the largest body stored; longer responses are not
	// cached (and are not read ahead).
	maxCachedBody = 1 << 20
	// maxCacheEntries bounds the cache; a full cache stores nothing new
	// until entries are invalidated.
	maxCacheEntries = 4096
)

// cacheableStatus reports whether a response with this status may be stored
// with explicit freshness ("heuristically cacheable" statuses of RFC 9110
// section 15.1, without 206, whose ranges this cache does not combine).
func cacheableStatus(code int) bool {
	switch code {
	case 200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501:
		return true
	}
	return false
}

// httpCacheKey is the key of u in the partition part (the page's top-level
// site, as browsers partition their HTTP cache): u without the fragment.
func httpCacheKey(part string, u *url.URL) string { return part + " " + wireURL(u).String() }

// lookup returns the stored response for a GET of u with the request
// header h, if one may be used: fresh, or any age when stale is acceptable
// (cache mode force-cache or only-if-cached), and with matching Vary.
func (c *httpCache) lookup(part string, u *url.URL, h http.Header, now time.Time, staleOK bool) *http.Response {
	c.mu.Lock()
	e := c.entries[httpCacheKey(part, u)]
	c.mu.Unlock()
	if e == nil {
		return nil
	}
	for _, name := range e.vary {
		if strings.Join(h[name], ", ") != e.varyValues[name] {
			return nil
		}
	}
	age := e.age + now.Sub(e.stored)
	if !staleOK && age >= e.lifetime {
		return nil
	}
	header := e.header.Clone()
	header.Set("Age", strconv.FormatInt(int64(age/time.Second), 10))
	return &http.Response{
		Status:        e.statusText,
		StatusCode:    e.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          io.NopCloser(bytes.NewReader(e.body)),
		ContentLength: int64(len(e.body)),
	}
}

// store keeps raw, the network's answer to a GET of u with request header
// h, when RFC 9111 lets a private cache store it with explicit freshness.
// It reads the body (at most maxCachedBody bytes) and replaces raw.Body with
// one that yields the same bytes.
func (c *httpCache) store(part string, u *url.URL, h http.Header, raw *http.Response, now time.Time) {
	if !cacheableStatus(raw.StatusCode) {
		return
	}
	cc := cacheControl(raw.Header)
	if _, ok := cc["no-store"]; ok {
		return
	}
	if _, ok := cc["no-cache"]; ok {
		return
	}
	lifetime, ok := freshness(raw.Header, cc, now)
	if !ok || lifetime <= 0 {
		return
	}
	var vary []string
	for _, v := range raw.Header["Vary"] {
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			if name == "*" {
				return
			}
			if name != "" {
				vary = append(vary, http.CanonicalHeaderKey(name))
			}
		}
	}
	if raw.ContentLength > maxCachedBody {
		return
	}
	body, err := io.ReadAll(io.LimitReader(raw.Body, maxCachedBody+1))
	rest := raw.Body
	raw.Body = readCloser{io.MultiReader(bytes.NewReader(body), rest), rest}
	if err != nil || len(body) > maxCachedBody {
		return
	}
	var age time.Duration
	if a, err := strconv.ParseInt(strings.TrimSpace(raw.Header.Get("Age")), 10, 64); err == nil && a > 0 {
		age = secondsToDuration(a)
	}
	e := &cachedResponse{
		status: raw.StatusCode, statusText: raw.Status, header: raw.Header.Clone(), body: body,
		stored: now, lifetime: lifetime, age: age, vary: vary, varyValues: map[string]string{},
	}
	for _, name := range vary {
		e.varyValues[name] = strings.Join(h[name], ", ")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]*cachedResponse)
	}
	if _, exists := c.entries[httpCacheKey(part, u)]; !exists && len(c.entries) >= maxCacheEntries {
		return
	}
	c.entries[httpCacheKey(part, u)] = e
}

// invalidate drops the stored response of u, as a non-error response to an
// unsafe method does (RFC 9111 section 4.4).
func (c *httpCache) invalidate(part string, u *url.URL) {
	c.mu.Lock()
	delete(c.entries, httpCacheKey(part, u))
	c.mu.Unlock()
}

// readCloser reads from r and closes c.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }

// cacheControl parses the Cache-Control fields of h into directive -> value.
func cacheControl(h http.Header) map[string]string {
	out := map[string]string{}
	for _, v := range h["Cache-Control"] {
		for _, d := range strings.Split(v, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), "=")
			name = headerlist.ToLower(strings.TrimSpace(name))
			if name != "" {
				out[name] = strings.Trim(strings.TrimSpace(value), `"`)
			}
		}
	}
	return out
}

// freshness returns the freshness lifetime of a response from max-age, or
// from Expires minus Date (RFC 9111 section 4.2.1); false when it has none.
// Heuristic freshness is not applied.
func freshness(h http.Header, cc map[string]string, now time.Time) (time.Duration, bool) {
	if v, ok := cc["max-age"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, false
		}
		return secondsToDuration(n), true
	}
	exp, err := http.ParseTime(h.Get("Expires"))
	if err != nil {
		return 0, len(h["Expires"]) > 0 // an invalid Expires means already expired
	}
	date := now
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		date = d
	}
	return exp.Sub(date), true
}
