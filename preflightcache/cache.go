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
	shards []shard // look-ups lock only the key's shard, for reading

	// mu serializes Store and Clear. It guards the CLOCK ring over every
	// key, and it is taken before any shard lock. Since only its holder
	// changes the shards' maps, its holder may read them without their
	// locks, and takes a shard's write lock only around a change.
	mu   sync.Mutex
	ring []*record // nil slots are listed in free
	free []int
	hand int

	keys      atomic.Int64 // keys held; changed under mu, never above opts.MaxKeys
	evictions atomic.Uint64
	expired   atomic.Uint64

	shardCount int // for tests: the number of shards, if not numShards
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

// numShards is the number of independently locked shards the keys are
// spread over for look-ups: enough that goroutines on different cores
// rarely share a lock, few enough to cost little memory.
const numShards = 32

// setup normalizes c.opts and builds the shards.
func (c *Cache) setup() {
	if c.opts.MaxKeys <= 0 {
		c.opts.MaxKeys = DefaultMaxKeys
	}
	if c.opts.MaxKeyBytes <= 0 {
		c.opts.MaxKeyBytes = DefaultMaxKeyBytes
	}
	c.seed = maphash.MakeSeed()
	if c.shardCount <= 0 {
		c.shardCount = numShards
	}
	c.shards = make([]shard, c.shardCount)
	for i := range c.shards {
		c.shards[i].recs = make(map[uint64]*record)
	}
}

// triple is a Key without its credentials: the unit the cache bounds,
// evicts and clears.
type triple struct {
	partition, origin, url string
}

// record holds every entry of one triple, with and without credentials.
// Its entries change under its shard's write lock (and Cache.mu).
type record struct {
	key     triple
	hash    uint64  // of key, see Cache.locate
	next    *record // another record with the same hash
	shard   *shard
	slot    int         // index in Cache.ring
	used    atomic.Bool // the CLOCK reference bit, set by hits and stores
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

// shard holds the keys whose hash selects it, under its own lock, with
// its own look-up counters. Its map is keyed by the hash, so that a key is
// hashed once per call; records whose hashes collide are chained.
type shard struct {
	mu   sync.RWMutex
	recs map[uint64]*record

	hits, misses, stale atomic.Uint64

	_ [64]byte // keeps neighbouring shards' locks off one cache line
}

// locate returns the hash of k's partition, origin and URL and the shard
// it selects.
func (c *Cache) locate(k *Key) (uint64, *shard) {
	h := maphash.String(c.seed, k.URL)
	h = h*0x9e3779b97f4a7c15 ^ maphash.String(c.seed, k.Origin)
	h = h*0x9e3779b97f4a7c15 ^ maphash.String(c.seed, k.Partition)
	return h, &c.shards[h%uint64(len(c.shards))]
}

// find returns the record for kt, whose hash is h, or nil. The caller holds
// s.mu or Cache.mu.
func (s *shard) find(h uint64, kt triple) *record {
	for r := s.recs[h]; r != nil; r = r.next {
		if r.key == kt {
			return r
		}
	}
	return nil
}

// add and del put a record into its shard's map and take it out; the
// caller holds Cache.mu and the shard's write lock.
func (s *shard) add(rec *record) {
	rec.next = s.recs[rec.hash]
	s.recs[rec.hash] = rec
}

func (s *shard) del(rec *record) {
	p := s.recs[rec.hash]
	if p == rec {
		if rec.next == nil {
			delete(s.recs, rec.hash)
		} else {
			s.recs[rec.hash] = rec.next
		}
		return
	}
	for p.next != rec {
		p = p.next
	}
	p.next = rec.next
}

// Covers reports whether the cache covers a request that needs a method
// cache entry match for method (unless method is empty) and a header-name
// cache entry match for each of headerNames, at time now: that is, whether
// [HTTP fetch] may skip the CORS-preflight fetch. It is Lookup(...) == Hit;
// see [Cache.Lookup] for the arguments.
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
	out, s := c.find(k, method, headerNames, now)
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

// LookupHit reports whether Lookup would return Hit for the same arguments.
// A hit counts in [Stats] and marks its entries used as Lookup's does; any
// other outcome is neither counted nor marked, so that a caller may then
// look the request up with Lookup, which counts it. It never allocates.
func (c *Cache) LookupHit(k Key, method string, headerNames []string, now time.Time) bool {
	out, s := c.find(k, method, headerNames, now)
	if out == Hit {
		s.hits.Add(1)
	}
	return out == Hit
}

// find returns the outcome of a look-up of k and the shard it is in,
// marking a hit's entries used (the CLOCK reference bit).
func (c *Cache) find(k Key, method string, headerNames []string, now time.Time) (Outcome, *shard) {
	c.once.Do(c.setup)
	h, s := c.locate(&k)
	s.mu.RLock()
	rec := s.find(h, triple{k.Partition, k.Origin, k.URL})
	out := c.lookup(rec, k.Credentials, method, headerNames, now)
	if out == Hit && rec != nil && !rec.used.Load() {
		rec.used.Store(true)
	}
	s.mu.RUnlock()
	return out, s
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

// match is the standard's [method cache entry match] (isMethod) or
// [header-name cache entry match] for one name, as configured. It reports Hit
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
// [cache entry match] for a request with credentials reqCred, as far as
// credentials go.
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

// Store records the result of a successful [CORS-preflight fetch] for a
// request with key k at time now, as the fetch's cache update says: for
// each of methods and headerNames (the values of
// Access-Control-Allow-Methods and Access-Control-Allow-Headers), if a live
// entry matches the name for k as Lookup would match it, that entry gets
// the new expiry; otherwise Store would [create a new cache entry]. The
// expiry is now plus maxAge, after clamping maxAge to Options.MaxAgeLimit.
// The caller applies the default for an absent or unparsable
// Access-Control-Max-Age.
//
// As in the standard, the matching entry may be a `*` (under WildcardSpec)
// or, for a request without credentials, an entry stored with credentials:
// a preflight can so shorten or lengthen answers it did not give itself.
// With Options.ReplaceOnStore, every entry of the key is dropped first, so
// this cannot happen.
//
// A maxAge of zero or less creates no entries (they would expire at once)
// but expires the existing ones it matches. Empty names are ignored. Store
// copies the strings it keeps, so the caller may pass substrings of a
// larger header value.
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
	maxAge = c.opts.ClampMaxAge(maxAge)
	exp := now
	create := maxAge > 0
	if create {
		exp = now.Add(maxAge)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	h, s := c.locate(&k)
	kt := triple{k.Partition, k.Origin, k.URL}
	rec := s.find(h, kt)
	if rec == nil {
		base := len(kt.partition) + len(kt.origin) + len(kt.url)
		if !create || base > c.opts.MaxKeyBytes {
			return
		}
		rec = &record{
			key:   triple{strings.Clone(kt.partition), strings.Clone(kt.origin), strings.Clone(kt.url)},
			hash:  h,
			shard: s,
			bytes: base,
		}
		c.update(rec, k.Credentials, methods, headerNames, now, exp, create)
		if len(rec.entries) > 0 {
			c.insert(rec, now)
		}
		return
	}

	s.mu.Lock()
	if c.opts.ReplaceOnStore {
		rec.keepIf(func(*entry) bool { return false })
	} else {
		rec.keepIf(func(e *entry) bool { return now.Before(e.expires) })
	}
	c.update(rec, k.Credentials, methods, headerNames, now, exp, create)
	empty := len(rec.entries) == 0
	s.mu.Unlock()
	if empty {
		c.remove(rec)
	} else {
		rec.used.Store(true)
	}
}

// update puts every method and header name into rec and recomputes its
// expiry.
func (c *Cache) update(rec *record, cred bool, methods, headerNames []string, now, exp time.Time, create bool) {
	for _, m := range methods {
		c.put(rec, true, cred, m, now, exp, create)
	}
	for _, h := range headerNames {
		c.put(rec, false, cred, h, now, exp, create)
	}
	rec.expires = time.Time{}
	for i := range rec.entries {
		if rec.entries[i].expires.After(rec.expires) {
			rec.expires = rec.entries[i].expires
		}
	}
}

// put refreshes the first live entry of rec that is a method (isMethod) or
// header-name cache entry match for name and a request with credentials
// cred, or, if create is set and the budget allows, appends a new entry.
func (c *Cache) put(rec *record, isMethod, cred bool, name string, now, exp time.Time, create bool) {
	if name == "" {
		return
	}
	for i := range rec.entries {
		e := &rec.entries[i]
		// #cors-preflight-fetch-0, cache update: "If there is a method
		// cache entry match for method using request, then set matching
		// entry's max-age to max-age" (likewise for header names).
		if e.method == isMethod && c.serves(e.credentials, cred) && c.nameMatch(e, name) && now.Before(e.expires) {
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
// and without credentials; k.Credentials is ignored. The standard runs
// [clear cache entries] when a fetch that needed a CORS-preflight fetch
// ends in a network error.
//
// [clear cache entries]: https://fetch.spec.whatwg.org/#concept-cache-clear
func (c *Cache) Clear(k Key) {
	c.once.Do(c.setup)
	h, s := c.locate(&k)
	c.mu.Lock()
	if rec := s.find(h, triple{k.Partition, k.Origin, k.URL}); rec != nil {
		c.remove(rec)
	}
	c.mu.Unlock()
}

// Stats returns the counters and the number of keys held. The look-up
// counters are read one shard at a time, so under concurrent use they are
// not one instant's snapshot.
func (c *Cache) Stats() Stats {
	c.once.Do(c.setup)
	var st Stats
	for i := range c.shards {
		s := &c.shards[i]
		st.Hits += s.hits.Load()
		st.Misses += s.misses.Load()
		st.StaleHits += s.stale.Load()
	}
	st.Evictions = c.evictions.Load()
	st.Expired = c.expired.Load()
	st.Keys = int(c.keys.Load())
	return st
}

// insert adds a new record; c.mu is held. While the cache holds fewer than
// MaxKeys keys the record takes a free slot; once it is full it takes the
// slot of a record that evict removes, so the count never passes MaxKeys.
func (c *Cache) insert(rec *record, now time.Time) {
	switch {
	case c.keys.Load() >= int64(c.opts.MaxKeys):
		rec.slot = c.evict(now)
		c.hand = rec.slot + 1 // the newcomer is looked at last
	case len(c.free) > 0:
		rec.slot = c.free[len(c.free)-1]
		c.free = c.free[:len(c.free)-1]
		c.keys.Add(1)
	default:
		rec.slot = len(c.ring)
		c.ring = append(c.ring, nil)
		c.keys.Add(1)
	}
	c.ring[rec.slot] = rec
	rec.shard.mu.Lock()
	rec.shard.add(rec)
	rec.shard.mu.Unlock()
}

// evict removes one record from the full cache and returns its slot; c.mu
// is held. The CLOCK hand sweeps the ring: an expired record is taken at
// once; a record used since the hand last passed gets a second chance; the
// first one that was not is taken. After one turn every reference bit is
// clear, so the sweep ends within two turns.
func (c *Cache) evict(now time.Time) int {
	for {
		if c.hand >= len(c.ring) {
			c.hand = 0
		}
		r := c.ring[c.hand]
		switch {
		case r == nil:
			c.hand++
			continue
		case !now.Before(r.expires):
			c.expired.Add(1)
		case r.used.Load():
			r.used.Store(false)
			c.hand++
			continue
		default:
			c.evictions.Add(1)
		}
		r.shard.mu.Lock()
		r.shard.del(r)
		r.shard.mu.Unlock()
		return r.slot
	}
}

// remove deletes a record and frees its slot; c.mu is held.
func (c *Cache) remove(rec *record) {
	rec.shard.mu.Lock()
	rec.shard.del(rec)
	rec.shard.mu.Unlock()
	c.ring[rec.slot] = nil
	c.free = append(c.free, rec.slot)
	c.keys.Add(-1)
}

// equalFold reports whether a and b are equal when ASCII upper-case letters
// are mapped to lower case, and nothing else is folded: the standard's
// [byte-case-insensitive] comparison (strings.EqualFold also folds
// Unicode).
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
