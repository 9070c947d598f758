// Package httpcache is a browser's HTTP cache: a private cache as RFC 9111
// (HTTP Caching) describes one, partitioned as browsers partition theirs,
// and bounded in memory. It stores responses with their request's Vary
// values, says whether a stored response is fresh or must be validated, and
// freshens a stored response from a 304.
//
// The cache decides nothing about requests: the caller (package fetch,
// running the Fetch Standard's HTTP-network-or-cache fetch) applies the
// request's cache mode, sends the conditional request and passes the
// headers as the request is sent, so that Vary is matched against what the
// server sees.
//
// # Not simulated
//
//   - Range requests and partial (206) responses, which are not stored;
//   - stale-while-revalidate and stale-if-error;
//   - the on-disk cache's persistence: a Cache lives in memory.
package httpcache

import (
	"container/list"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Defaults for the Options fields left zero.
const (
	// DefaultMaxBytes bounds what a Cache holds: bodies and header fields.
	DefaultMaxBytes = 32 << 20
	// DefaultMaxBodyBytes is the largest body stored; a longer response is
	// not cached.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultHeuristicPercent is the share of the time since Last-Modified
	// that a response without explicit freshness stays fresh, the figure
	// RFC 9111 section 4.2.2 suggests and the engines use.
	DefaultHeuristicPercent = 10
)

// Options configure a Cache. The zero Options is valid.
type Options struct {
	// MaxBytes bounds the bytes held, counting for each entry its key,
	// body, field names and values, and overheads per entry and per field
	// that make the count cover the heap the entry takes (BenchmarkMemory
	// checks it); the least recently used entries go first. Zero means
	// DefaultMaxBytes.
	MaxBytes int64

	// MaxBodyBytes is the largest body stored. Zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64

	// HeuristicPercent is the heuristic freshness of a response without
	// explicit freshness but with Last-Modified, as a percentage of the
	// time between Last-Modified and Date. Zero means
	// DefaultHeuristicPercent; a negative value turns heuristic freshness
	// off.
	HeuristicPercent int

	// HeuristicMax, when positive, caps the heuristic freshness lifetime.
	HeuristicMax time.Duration
}

// Key is where a response is stored: the partition (a browser's top-level
// site, so that pages of one site share entries and pages of another site
// do not; "" for a cache that is not partitioned) and the request URL
// without its fragment. One response is stored per Key: a response whose
// Vary values differ from the stored one's replaces it.
type Key struct {
	Partition string
	URL       string
	// Anonymous marks the entries of requests that send no credentials,
	// for a cache that keeps them apart from the others, as Firefox's
	// does; a cache that does not leaves it false.
	Anonymous bool
}

// Stored is a stored response as Lookup returns it. Header is a copy the
// caller may keep and modify (from LookupInto, the stored header itself,
// which must not be modified); Body is shared with the cache and must not be
// modified.
type Stored struct {
	Status     int
	StatusText string // the status line's code and reason, "200 OK"
	Header     http.Header
	Body       []byte
	// Fresh reports whether the response may be used without validation
	// (RFC 9111 section 4.2): its age is below its freshness lifetime and
	// it has no no-cache directive.
	Fresh bool
	// ETag and LastModified are its validators, for a conditional request
	// (RFC 9110 section 13.1); empty when it has none.
	ETag, LastModified string
}

// Cache is an HTTP cache. It is safe for concurrent use. Create one with New.
type Cache struct {
	opts Options

	mu      sync.Mutex
	entries map[Key]*list.Element // of *entry
	lru     list.List             // most recently used at the front
	bytes   int64
}

// entry is a stored response with what freshness needs (RFC 9111 section
// 4.2.3) and the request values its Vary names (section 4.1). It is not
// changed once in the cache: Freshen stores a new one.
type entry struct {
	key                       Key
	status                    int
	statusText                string
	header                    http.Header
	body                      []byte
	requestTime, responseTime time.Time
	vary                      []string // canonical names
	varyValues                []string // the request's combined values, per name
	size                      int64
	// Computed from the header when it is stored or freshened.
	lifetime           time.Duration // freshness lifetime (RFC 9111 section 4.2.1)
	initialAge         time.Duration // corrected initial age (section 4.2.3)
	noCache            bool          // Cache-Control: no-cache
	etag, lastModified string
}

// New returns an empty Cache; a nil o means the zero Options.
func New(o *Options) *Cache {
	c := &Cache{entries: map[Key]*list.Element{}}
	if o != nil {
		c.opts = *o
	}
	if c.opts.MaxBytes <= 0 {
		c.opts.MaxBytes = DefaultMaxBytes
	}
	if c.opts.MaxBodyBytes <= 0 {
		c.opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.opts.HeuristicPercent == 0 {
		c.opts.HeuristicPercent = DefaultHeuristicPercent
	}
	return c
}

// MaxBodyBytes returns the largest body the cache stores, so that a caller
// reads no more of a response than it could store.
func (c *Cache) MaxBodyBytes() int64 { return c.opts.MaxBodyBytes }

// Lookup returns the response stored under k for a request whose header
// fields, as sent, are sent, or nil when there is none or its Vary values
// differ (RFC 9111 section 4.1). It says whether the response is fresh at
// now. The header is a copy; the body is shared and must not be modified.
func (c *Cache) Lookup(k Key, sent http.Header, now time.Time) *Stored {
	var s Stored
	if !c.LookupInto(k, sent, now, &s) {
		return nil
	}
	out := s
	out.Header = s.Header.Clone()
	return &out
}

// LookupInto is Lookup without allocating, for a caller that reads the
// stored header and copies what it keeps: it sets *dst to the response
// stored under k and reports whether there was one. dst.Header is the
// stored header itself, shared by every look-up of the entry and never
// changed by the cache; the caller must not modify it.
//
// An entry never changes once stored (Freshen replaces it), so the lock is
// held only to find it and to mark it used: matching Vary happens outside,
// and pages looking up different URLs at once barely wait for each other.
func (c *Cache) LookupInto(k Key, sent http.Header, now time.Time, dst *Stored) bool {
	c.mu.Lock()
	el, ok := c.entries[k]
	var e *entry
	if ok {
		e = el.Value.(*entry)
	}
	c.mu.Unlock()
	if !ok || !e.varyMatches(sent) {
		return false
	}
	c.mu.Lock()
	// Mark it used, unless it was replaced or removed meanwhile.
	if el2, ok := c.entries[k]; ok && el2 == el && el.Value == e {
		c.lru.MoveToFront(el)
	}
	c.mu.Unlock()
	e.fill(now, dst)
	return true
}

// Store stores the response to a request to k with the header fields sent
// (status, header and the whole body), received between requestTime and
// responseTime, when a private cache may (RFC 9111 section 3), and reports
// whether it did. A response that may not be stored leaves the entry it
// would replace in place.
func (c *Cache) Store(k Key, sent http.Header, status int, statusText string, header http.Header, body []byte, requestTime, responseTime time.Time) bool {
	if !Storable(status, header) || int64(len(body)) > c.opts.MaxBodyBytes {
		return false
	}
	vary, star := VaryNames(header)
	if star {
		return false
	}
	e := &entry{
		key: k, status: status, statusText: statusText, header: header.Clone(), body: slices.Clone(body),
		requestTime: requestTime, responseTime: responseTime, vary: vary,
	}
	for _, name := range vary {
		e.varyValues = append(e.varyValues, strings.Join(sent[name], ", "))
	}
	e.size = e.charge()
	e.compute(c.opts)
	if e.size > c.opts.MaxBytes {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(k)
	c.entries[k] = c.lru.PushFront(e)
	c.bytes += e.size
	for c.bytes > c.opts.MaxBytes {
		c.remove(c.lru.Back().Value.(*entry).key)
	}
	return true
}

// Freshen updates the response stored under k with the header fields of a
// 304 (Not Modified) that validated it, received between requestTime and
// responseTime (RFC 9111 section 4.3.4), and returns it as Lookup would,
// or nil when nothing is stored there any more.
func (c *Cache) Freshen(k Key, notModified http.Header, requestTime, responseTime time.Time) *Stored {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[k]
	if !ok {
		return nil
	}
	// A new entry in the old one's place: a Lookup may still be reading
	// the old one outside the lock.
	old := el.Value.(*entry)
	e := &entry{}
	*e = *old
	e.header = old.header.Clone()
	for name, values := range notModified {
		if keepOnFreshen(name) {
			continue
		}
		e.header[name] = slices.Clone(values)
	}
	e.requestTime, e.responseTime = requestTime, responseTime
	e.compute(c.opts)
	e.size = e.charge()
	c.bytes += e.size - old.size
	el.Value = e
	c.lru.MoveToFront(el)
	s := new(Stored)
	e.fill(responseTime, s)
	s.Header = s.Header.Clone()
	return s
}

// Invalidate removes the response stored under k, as a successful response
// to an unsafe method invalidates it (RFC 9111 section 4.4).
func (c *Cache) Invalidate(k Key) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(k)
}

// Len returns the number of stored responses, and Bytes the bytes they
// count against MaxBytes.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Bytes returns the bytes the stored responses count against MaxBytes.
func (c *Cache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// remove drops the entry under k, if any. c.mu is held.
func (c *Cache) remove(k Key) {
	if el, ok := c.entries[k]; ok {
		c.bytes -= el.Value.(*entry).size
		c.lru.Remove(el)
		delete(c.entries, k)
	}
}

// What an entry and each of its field values take on the heap besides their
// bytes (the entry, its list element and map slot, a header map's slot and
// value slice), rounded up from BenchmarkMemory's measurement with Go 1.26
// on amd64 so that the charge covers the heap.
const (
	entryOverhead = 512
	fieldOverhead = 64
)

// charge returns the bytes e counts towards MaxBytes: its key, body,
// field names and values, and the overheads.
func (e *entry) charge() int64 {
	n := int64(len(e.key.Partition)+len(e.key.URL)+len(e.body)) + entryOverhead
	for name, values := range e.header {
		for _, v := range values {
			n += int64(len(name)+len(v)) + fieldOverhead
		}
	}
	for _, v := range e.varyValues {
		n += int64(len(v)) + fieldOverhead
	}
	return n
}

// keepOnFreshen reports whether a field of a 304 leaves the stored one
// alone: the fields that describe the stored body, which a 304 has none of
// (RFC 9111 section 3.2 lets a cache keep them; the engines do).
func keepOnFreshen(name string) bool {
	switch name {
	case "Content-Length", "Content-Encoding", "Transfer-Encoding", "Content-Range":
		return true
	}
	return false
}

// varyMatches reports whether the request header sent has the values the
// stored request had for every name in Vary.
func (e *entry) varyMatches(sent http.Header) bool {
	for i, name := range e.vary {
		if strings.Join(sent[name], ", ") != e.varyValues[i] {
			return false
		}
	}
	return true
}

// compute sets the fields computed from e's header and times.
func (e *entry) compute(o Options) {
	cc := ParseCacheControl(e.header["Cache-Control"])
	_, e.noCache = cc["no-cache"]
	e.lifetime = freshnessLifetime(e, cc, o)
	e.initialAge = initialAge(e)
	e.etag, e.lastModified = get(e.header, "Etag"), get(e.header, "Last-Modified")
}

// fill sets *dst to e as LookupInto returns it, fresh or not at now: its
// header and body shared.
func (e *entry) fill(now time.Time, dst *Stored) {
	*dst = Stored{
		Status: e.status, StatusText: e.statusText, Header: e.header, Body: e.body,
		ETag: e.etag, LastModified: e.lastModified,
		Fresh: !e.noCache && e.initialAge+now.Sub(e.responseTime) < e.lifetime,
	}
}

// get returns the first value of the field name (canonical) of h.
func get(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}
