package preflightcache

import (
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Key is what the Fetch Standard's [cache entry] records about the request
// besides the method or header name: the network partition key, the
// byte-serialized request origin, the request's current URL and its
// credentials. Strings are compared byte for byte; the caller serializes
// them once, the same way for storing and for looking up.
//
// [cache entry]: https://fetch.spec.whatwg.org/#cache-entry
type Key struct {
	// Partition is the request's network partition key, serialized by the
	// caller (top-level site and second key). The empty string is the null
	// key, used when the request has no client.
	Partition string

	// Origin is the byte-serialized request origin: `null` once the
	// request is redirect-tainted.
	Origin string

	// URL is the request's current URL, serialized. Whether the fragment
	// takes part is the caller's choice.
	URL string

	// Credentials reports whether the request's credentials mode is
	// "include".
	Credentials bool
}

// Outcome is what a look-up found.
type Outcome uint8

const (
	// Miss: some method or header name the request needs has no entry.
	Miss Outcome = iota
	// Hit: every method and header name the request needs has a live
	// entry, so no CORS-preflight fetch is needed.
	Hit
	// Stale: not every name is covered, and at least one name that is not
	// had a matching entry that has expired.
	Stale
)

// String returns "miss", "hit" or "stale".
func (o Outcome) String() string {
	switch o {
	case Miss:
		return "miss"
	case Hit:
		return "hit"
	case Stale:
		return "stale"
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// Stats counts what a [Cache] did since it was created.
type Stats struct {
	Hits      uint64 // look-ups whose outcome was Hit
	Misses    uint64 // look-ups whose outcome was Miss
	StaleHits uint64 // look-ups whose outcome was Stale
	Evictions uint64 // live keys removed to keep within MaxKeys
	Expired   uint64 // expired keys reclaimed to make room
	Keys      int    // keys held now
}

// Cache is the user agent's [CORS-preflight cache]. It is safe for use by
// many goroutines. The zero value is an empty cache configured with
// Options{}; a Cache must not be copied after first use.
//
// [CORS-preflight cache]: https://fetch.spec.whatwg.org/#concept-cache
type Cache struct {
	once   sync.Once
	opts   Options
	seed   maphash.Seed
	shards []shard
}

// New returns an empty cache configured by opts. It panics if
// opts.Wildcard is not one of the Wildcard constants.
func New(opts Options) *Cache {
	if opts.Wildcard > WildcardLiteral {
		panic(fmt.Sprintf("preflightcache: invalid Options.Wildcard %d", opts.Wildcard))
	}
	c := &Cache{opts: opts}
	c.once.Do(c.setup)
	return c
}

// maxShards bounds the number of independently locked shards;
// minShardKeys is the fewest keys a shard holds, so that eviction inside a
// shard stays close to eviction over the whole cache.
const (
	maxShards    = 64
	minShardKeys = 64
)

// setup normalizes c.opts and builds the shards. The number of shards is
// the largest power of two not above MaxKeys/minShardKeys, between 1 and
// maxShards; the MaxKeys slots are spread over them so that the shards'
// bounds add up to exactly MaxKeys.
func (c *Cache) setup() {
	if c.opts.MaxKeys <= 0 {
		c.opts.MaxKeys = DefaultMaxKeys
	}
	if c.opts.MaxKeyBytes <= 0 {
		c.opts.MaxKeyBytes = DefaultMaxKeyBytes
	}
	c.seed = maphash.MakeSeed()
	n := 1
	for n*2 <= maxShards && n*2*minShardKeys <= c.opts.MaxKeys {
		n *= 2
	}
	c.shards = make([]shard, n)
	for i := range c.shards {
		limit := c.opts.MaxKeys / n
		if i < c.opts.MaxKeys%n {
			limit++
		}
		c.shards[i].limit = limit
		c.shards[i].recs = make(map[triple]*record)
	}
}

// triple is a Key without its credentials: the unit the cache bounds,
// evicts and clears.
type triple struct {
	partition, origin, url string
}

// record holds every entry of one triple, with and without credentials.
type record struct {
	key     triple
	slot    int         // index in the shard's ring
	used    atomic.Bool // the clock's reference bit, set by hits and stores
	expires time.Time   // latest expiry of the entries
	bytes   int         // cost against MaxKeyBytes
	entries []entry
}

// entry is one cache entry of the standard: a method or a header name,
// with its credentials and expiry. The name is stored as received.
type entry struct {
	name        string
	expires     time.Time // live while the time is before this
	method      bool      // a method entry; otherwise a header-name entry
	credentials bool
}

// shard is an independently locked part of the cache. Keys live in a ring
// of at most limit slots, swept by a CLOCK hand when a new key needs room.
type shard struct {
	mu    sync.RWMutex
	recs  map[triple]*record
	ring  []*record // nil slots are listed in free
	free  []int
	hand  int
	limit int

	hits, misses, stale, evictions, expired atomic.Uint64

	_ [64]byte // keeps neighbouring shards' locks off one cache line
}

func (c *Cache) shardFor(k *Key) *shard {
	if len(c.shards) == 1 {
		return &c.shards[0]
	}
	h := maphash.String(c.seed, k.URL)
	h = h*31 + maphash.String(c.seed, k.Origin)
	h = h*31 + maphash.String(c.seed, k.Partition)
	return &c.shards[h&uint64(len(c.shards)-1)]
}

// Covers reports whether the cache covers a request that needs a method
// cache entry match for method (unless method is empty) and a header-name
// cache entry match for each of headerNames, at time now: that is, whether
// the request may skip the CORS-preflight fetch. It is Lookup(...) == Hit.
//
// [HTTP fetch]: https://fetch.spec.whatwg.org/#concept-http-fetch
func (c *Cache) Covers(k Key, method string, headerNames []string, now time.Time) bool {
	return c.Lookup(k, method, headerNames, now) == Hit
}

// Lookup reports what the cache holds for a request with key k at time now,
// as the standard's [HTTP fetch] asks before a CORS-preflight fetch:
//
//   - method is the request's method when it needs a
//     [method cache entry match], or the empty string when it does not (a
//     CORS-safelisted method without the use-CORS-preflight flag). The
//     caller decides; the empty string is never a method.
//   - headerNames are the request's CORS-unsafe request-header names, each
//     of which needs a [header-name cache entry match].
//
// An entry matches when its key's Partition, Origin and URL equal k's and
// its credentials serve k's (see Options.SeparateCredentials). A method
// entry matches byte for byte, a header-name entry byte-case-insensitively;
// a `*` entry matches any name as Options.Wildcard and
// Options.WildcardCoversAuthorization say. An entry is live while now is
// before the time it was stored (or last refreshed) plus its max-age.
//
// Lookup never allocates and does not modify entries; each call counts once
// in [Stats] (Hits, Misses or StaleHits).
//
// [HTTP fetch]: https://fetch.spec.whatwg.org/#concept-http-fetch
// [method cache entry match]: https://fetch.spec.whatwg.org/#concept-cache-match-method
// [header-name cache entry match]: https://fetch.spec.whatwg.org/#concept-cache-match-header
func (c *Cache) Lookup(k Key, method string, headerNames []string, now time.Time) Outcome {
	c.once.Do(c.setup)
	s := c.shardFor(&k)
	s.mu.RLock()
	rec := s.recs[triple{k.Partition, k.Origin, k.URL}]
	out := c.lookup(rec, k.Credentials, method, headerNames, now)
	if out == Hit && rec != nil && !rec.used.Load() {
		rec.used.Store(true)
	}
	s.mu.RUnlock()
	switch out {
	case Hit:
		s.hits.Add(1)
	case Stale:
		s.stale.Add(1)
	default:
		s.misses.Add(1)
	}
	return out
}

// lookup is Lookup under the shard's lock.
func (c *Cache) lookup(rec *record, cred bool, method string, headerNames []string, now time.Time) Outcome {
	if method == "" && len(headerNames) == 0 {
		return Hit
	}
	if rec == nil {
		return Miss
	}
	out := Hit
	if method != "" {
		out = worse(out, c.match(rec, true, cred, method, now))
	}
	for _, name := range headerNames {
		out = worse(out, c.match(rec, false, cred, name, now))
	}
	return out
}

// worse combines the outcomes of two names: Hit only if both are, Stale if
// either is.
func worse(a, b Outcome) Outcome {
	switch {
	case a == Stale || b == Stale:
		return Stale
	case a == Miss || b == Miss:
		return Miss
	}
	return Hit
}

// match is the standard's method cache entry match (isMethod) or
// header-name cache entry match for one name, as configured. It reports Hit
// for a live matching entry, Stale if only expired ones match, Miss if none
// does.
//
// [method cache entry match]: https://fetch.spec.whatwg.org/#concept-cache-match-method
// [header-name cache entry match]: https://fetch.spec.whatwg.org/#concept-cache-match-header
func (c *Cache) match(rec *record, isMethod, cred bool, name string, now time.Time) Outcome {
	out := Miss
	for i := range rec.entries {
		e := &rec.entries[i]
		if e.method != isMethod || !c.serves(e.credentials, cred) || !c.nameMatch(e, name) {
			continue
		}
		if now.Before(e.expires) {
			return Hit
		}
		out = Stale
	}
	return out
}

// serves reports whether an entry stored with credentials entryCred is a
// cache entry match for a request with credentials reqCred.
//
// [cache entry match]: https://fetch.spec.whatwg.org/#concept-cache-match
func (c *Cache) serves(entryCred, reqCred bool) bool {
	if c.opts.SeparateCredentials {
		return entryCred == reqCred
	}
	// #concept-cache-match: "entry's credentials is true", or it is false
	// and the request's credentials mode is not "include".
	return entryCred || !reqCred
}

// nameMatch reports whether entry e's method or header name matches name.
func (c *Cache) nameMatch(e *entry, name string) bool {
	if e.method {
		// #concept-cache-match-method: "its method is method or `*`".
		if e.name == name {
			return true
		}
	} else if equalFold(e.name, name) {
		// #concept-cache-match-header: "a byte-case-insensitive match for
		// headerName".
		return true
	}
	if e.name != "*" {
		return false
	}
	switch c.opts.Wildcard {
	case WildcardUncredentialed:
		if e.credentials {
			return false
		}
	case WildcardLiteral:
		return false
	}
	// #concept-cache-match-header: "its header name is `*` and headerName
	// is not a CORS non-wildcard request-header name".
	return e.method || c.opts.WildcardCoversAuthorization || !equalFold(name, "authorization")
}

// Store records the result of a successful CORS-preflight fetch for a
// request with key k at time now, as its last step (the cache update) says:
// for each of methods and headerNames (the values of
// Access-Control-Allow-Methods and Access-Control-Allow-Headers), an entry
// with the same key, credentials and name (a method byte for byte, a header
// name byte-case-insensitively) gets the new expiry, and otherwise a new
// entry is created. The expiry is now plus maxAge, after clamping maxAge to
// Options.MaxAgeLimit. The caller applies the default for an absent or
// unparsable Access-Control-Max-Age.
//
// A maxAge of zero or less creates no entries but expires the existing ones
// it names. With Options.ReplaceOnStore, every entry of the key is dropped
// first. Empty names are ignored. Store copies the strings it keeps, so the
// caller may pass substrings of a larger header value.
//
// Store may evict another key to stay within Options.MaxKeys, and skips
// what Options.MaxKeyBytes and Options.MaxURLLength do not allow.
//
// [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
// [create a new cache entry]: https://fetch.spec.whatwg.org/#concept-cache-create-entry
func (c *Cache) Store(k Key, methods, headerNames []string, maxAge time.Duration, now time.Time) {
	c.once.Do(c.setup)
	if c.opts.MaxURLLength > 0 && len(k.URL) > c.opts.MaxURLLength {
		return
	}
	if c.opts.MaxAgeLimit > 0 && maxAge > c.opts.MaxAgeLimit {
		maxAge = c.opts.MaxAgeLimit
	}
	exp := now
	create := maxAge > 0
	if create {
		exp = now.Add(maxAge)
	}

	s := c.shardFor(&k)
	kt := triple{k.Partition, k.Origin, k.URL}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.recs[kt]
	isNew := rec == nil
	if isNew {
		if !create {
			return
		}
		base := len(kt.partition) + len(kt.origin) + len(kt.url)
		if base > c.opts.MaxKeyBytes {
			return
		}
		rec = &record{
			key:   triple{strings.Clone(kt.partition), strings.Clone(kt.origin), strings.Clone(kt.url)},
			bytes: base,
		}
	} else if c.opts.ReplaceOnStore {
		rec.keepIf(func(*entry) bool { return false })
	} else {
		rec.keepIf(func(e *entry) bool { return now.Before(e.expires) })
	}

	for _, m := range methods {
		c.put(rec, true, k.Credentials, m, exp, create)
	}
	for _, h := range headerNames {
		c.put(rec, false, k.Credentials, h, exp, create)
	}
	rec.expires = now
	for i := range rec.entries {
		if rec.entries[i].expires.After(rec.expires) {
			rec.expires = rec.entries[i].expires
		}
	}

	switch {
	case len(rec.entries) == 0:
		if !isNew {
			s.remove(rec)
		}
	case isNew:
		s.insert(rec, now)
	default:
		rec.used.Store(true)
	}
}

// put refreshes the entry of rec with the same kind, credentials and name,
// or, if create is set and the budget allows, appends a new one.
func (c *Cache) put(rec *record, isMethod, cred bool, name string, exp time.Time, create bool) {
	if name == "" {
		return
	}
	for i := range rec.entries {
		e := &rec.entries[i]
		if e.method != isMethod || e.credentials != cred {
			continue
		}
		if (isMethod && e.name == name) || (!isMethod && equalFold(e.name, name)) {
			e.expires = exp
			return
		}
	}
	cost := len(name) + EntryOverhead
	if !create || rec.bytes+cost > c.opts.MaxKeyBytes {
		return
	}
	rec.entries = append(rec.entries, entry{
		name:        strings.Clone(name),
		expires:     exp,
		method:      isMethod,
		credentials: cred,
	})
	rec.bytes += cost
}

// keepIf drops the entries for which keep reports false.
func (r *record) keepIf(keep func(*entry) bool) {
	kept := r.entries[:0]
	for i := range r.entries {
		if keep(&r.entries[i]) {
			kept = append(kept, r.entries[i])
		} else {
			r.bytes -= len(r.entries[i].name) + EntryOverhead
		}
	}
	clear(r.entries[len(kept):]) // let dropped names be collected
	r.entries = kept
}

// Clear removes every entry whose partition, origin and URL are k's, with
// and without credentials; k.Credentials is ignored. The standard runs it
// when a fetch that needed a CORS-preflight fetch ends in a network error.
//
// [clear cache entries]: https://fetch.spec.whatwg.org/#concept-cache-clear
func (c *Cache) Clear(k Key) {
	c.once.Do(c.setup)
	s := c.shardFor(&k)
	s.mu.Lock()
	if rec := s.recs[triple{k.Partition, k.Origin, k.URL}]; rec != nil {
		s.remove(rec)
	}
	s.mu.Unlock()
}

// Stats returns the counters and the number of keys held. The counters are
// read one shard at a time, so under concurrent use they are not one
// instant's snapshot.
func (c *Cache) Stats() Stats {
	c.once.Do(c.setup)
	var st Stats
	for i := range c.shards {
		s := &c.shards[i]
		st.Hits += s.hits.Load()
		st.Misses += s.misses.Load()
		st.StaleHits += s.stale.Load()
		st.Evictions += s.evictions.Load()
		st.Expired += s.expired.Load()
		s.mu.RLock()
		st.Keys += len(s.recs)
		s.mu.RUnlock()
	}
	return st
}

// insert adds a new record, evicting one first if the shard is full.
func (s *shard) insert(rec *record, now time.Time) {
	switch {
	case len(s.recs) >= s.limit:
		rec.slot = s.evict(now)
		s.hand = rec.slot + 1 // the newcomer is looked at last
	case len(s.free) > 0:
		rec.slot = s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
	default:
		rec.slot = len(s.ring)
		s.ring = append(s.ring, nil)
	}
	s.ring[rec.slot] = rec
	s.recs[rec.key] = rec
}

// evict removes one record from a full shard and returns its slot. The
// CLOCK hand sweeps the ring: an expired record is taken at once; a record
// used since the hand last passed gets a second chance; the first one that
// was not is taken. A full shard has no free slots, and after one turn
// every reference bit is clear, so the sweep ends within two turns.
func (s *shard) evict(now time.Time) int {
	for {
		if s.hand >= len(s.ring) {
			s.hand = 0
		}
		r := s.ring[s.hand]
		switch {
		case !now.Before(r.expires):
			s.expired.Add(1)
		case r.used.Load():
			r.used.Store(false)
			s.hand++
			continue
		default:
			s.evictions.Add(1)
		}
		delete(s.recs, r.key)
		return r.slot
	}
}

// remove deletes a record and frees its slot.
func (s *shard) remove(rec *record) {
	delete(s.recs, rec.key)
	s.ring[rec.slot] = nil
	s.free = append(s.free, rec.slot)
}

// equalFold reports whether a and b are equal when ASCII upper-case letters
// are mapped to lower case, and nothing else is folded: the standard's
// byte-case-insensitive comparison (strings.EqualFold also folds Unicode).
//
// [byte-case-insensitive]: https://fetch.spec.whatwg.org/#byte-case-insensitive
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
