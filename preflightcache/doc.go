// Package preflightcache is the Fetch Standard's [CORS-preflight cache]:
// what a browser remembers from successful CORS preflights so that later
// requests to the same URL can skip them.
//
// # Concepts
//
// Each [cache entry] of the standard holds one allowed method or one allowed
// header name, with a key (the network partition key, the byte-serialized
// request origin, the URL and whether credentials were included) and its
// own expiry. [Key] holds that key; [Cache.Store] records a preflight's
// Access-Control-Allow-Methods and Access-Control-Allow-Headers names with
// an expiry of now plus the Access-Control-Max-Age (see [ParseMaxAge]),
// creating an entry per name or refreshing the one already there.
// [Cache.Covers] and [Cache.Lookup] answer the question [HTTP fetch] asks
// before a preflight, for a method and a list of header names in one call
// and without allocating: a method matches byte for byte, a header name
// byte-case-insensitively, and `*` as [Options.Wildcard] says;
// [Cache.LookupHit] asks only whether it is a hit, counting nothing else, for
// a caller that otherwise looks the request up again with Lookup.
// [Cache.Clear] removes every entry for an origin and URL, as
// [clear cache entries] does after a failed fetch.
//
// Time is never read from the clock: every call takes now, so tests and
// simulations control it. An entry is live while now is before its expiry.
//
// The zero [Options] is the standard. The engines differ in how `*` is
// honoured, whether `*` covers Authorization, whether credentialed and
// uncredentialed results are kept apart, whether a new preflight replaces
// or extends the old result, the max-age limit and the bounds; each is an
// Options field whose documentation gives the engines' values.
//
// # Bounds, eviction and concurrency
//
// Entries are grouped by partition, origin and URL, the unit every engine
// counts and evicts; [Options.MaxKeys] bounds how many such keys are held
// (default 1024 as in Chromium; Firefox keeps 100, WebKit has no bound)
// and [Options.MaxKeyBytes] bounds what one key holds, so memory stays flat
// however many URLs pass through.
//
// When a new key needs room, a CLOCK sweep over every key picks the
// victim: an expired key is reclaimed at once, a key looked up or stored
// since the sweep last passed it gets a second chance, and the first one
// that was not is evicted. This approximates least recently used (Firefox
// evicts its least recently used entry after purging expired ones;
// Chromium erases ten consecutive entries from a random position; WebKit
// only drops expired or failing entries) and resists scans: a flood of URLs
// used once cannot push out the ones in use. A key's expired entries are
// dropped when it is next stored to.
//
// Look-ups, the hot path, take only the read lock of one of 32 shards that
// the keys are spread over by hash, and allocate nothing. Store and Clear
// are serialized by one mutex, which also guards the sweep: they follow
// network round trips, so they are rare next to look-ups, and serializing
// them keeps the bound exact and the eviction order independent of the
// sharding. [Cache.Stats] reports hits, misses, stale hits, evictions and
// the keys held.
//
// # Deviations
//
// A max-age of zero (or less) creates no entry, since it would expire at
// once; it still expires the existing entries it matches. A look-up then
// reports Miss where the standard's expired entry would give Stale; Covers
// answers the same.
//
// The bounds (MaxKeys, MaxKeyBytes, MaxURLLength) drop entries the standard
// would keep until they expire; the standard allows that ("may be removed
// before max-age"), and a dropped entry only costs a new preflight.
//
// Where the standard is ambiguous, the cache reads it this way: a refreshed
// entry expires max-age after the refresh (the standard sets max-age but
// not the time it counts from; Firefox does the same); when several live
// entries match a name in the cache update, the one stored first is
// refreshed; an expired entry never matches, in look-ups or in the update.
// A test keeps a literal transcription of the standard's cache as an oracle
// and checks the two agree on random sequences of operations.
//
// # Not implemented
//
// Firefox's check that drops an entry when the host's DNS record changed
// after the preflight; Chromium's target IP address space in the key
// (Private Network Access) and its random-run eviction; its erasing of a
// result that a look-up finds stale or not covering the request (with
// ReplaceOnStore the preflight that follows replaces it, or fails and
// clears it, so only the counters differ); clearing on
// browsing-data removal or private-window close (a new Cache does that);
// persistence. The URL is compared as the caller serializes it: whether its
// fragment takes part is the caller's choice.
//
// [CORS-preflight cache]: https://fetch.spec.whatwg.org/#concept-cache
// [cache entry]: https://fetch.spec.whatwg.org/#cache-entry
// [HTTP fetch]: https://fetch.spec.whatwg.org/#concept-http-fetch
// [clear cache entries]: https://fetch.spec.whatwg.org/#concept-cache-clear
package preflightcache
