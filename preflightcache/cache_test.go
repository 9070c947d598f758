package preflightcache_test

import (
	"strings"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/google/go-cmp/cmp"
)

// t0 is the simulated time at which every stateful table starts.
var t0 = time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC)

// Keys shared by the tables. anon and cred differ only in credentials.
var (
	anon      = preflightcache.Key{Origin: "https://app.example", URL: "https://api.example/v1/items"}
	cred      = withCred(anon)
	otherURL  = preflightcache.Key{Origin: anon.Origin, URL: anon.URL + "?page=2"}
	tainted   = preflightcache.Key{Origin: "null", URL: anon.URL}
	otherSite = preflightcache.Key{Partition: "https://other.example", Origin: anon.Origin, URL: anon.URL}
	wild      = preflightcache.Key{Origin: anon.Origin, URL: "https://api.example/wild"}
	wildCred  = withCred(wild)
)

func withCred(k preflightcache.Key) preflightcache.Key {
	k.Credentials = true
	return k
}

func keyN(i int) preflightcache.Key {
	return preflightcache.Key{Origin: anon.Origin, URL: anon.URL + "/" + strings.Repeat("x", i)}
}

type op int

const (
	opStore op = iota
	opLookup
	opClear
	opStats
)

// step is one operation of a stateful table. Every step has a desc, the
// spec anchor it exercises (or the engine source it follows) and a reason.
type step struct {
	desc   string
	spec   string
	reason string

	at time.Duration // since t0
	op op
	k  preflightcache.Key

	// opStore
	methods, headers []string
	maxAge           time.Duration

	// opLookup
	method string
	names  []string
	want   preflightcache.Outcome

	// opStats
	stats preflightcache.Stats
}

// runSteps runs steps in order on one cache built from opts: each step sees
// what the earlier ones did, and time only moves when a step says so.
func runSteps(t *testing.T, opts preflightcache.Options, steps []step) {
	t.Helper()
	c := preflightcache.New(opts)
	for i, s := range steps {
		if s.desc == "" || s.spec == "" || s.reason == "" {
			t.Fatalf("step %d lacks desc, spec or reason", i)
		}
		now := t0.Add(s.at)
		switch s.op {
		case opStore:
			c.Store(s.k, s.methods, s.headers, s.maxAge, now)
		case opClear:
			c.Clear(s.k)
		case opLookup:
			got := c.Lookup(s.k, s.method, s.names, now)
			if got != s.want {
				t.Errorf("step %d %q: Lookup(%+v, %q, %q, t0+%v) = %v; want %v\nspec %s: %s",
					i, s.desc, s.k, s.method, s.names, s.at, got, s.want, s.spec, s.reason)
			}
		case opStats:
			if diff := cmp.Diff(s.stats, c.Stats()); diff != "" {
				t.Errorf("step %d %q: Stats() mismatch (-want +got):\n%s\nspec %s: %s", i, s.desc, diff, s.spec, s.reason)
			}
		}
	}
}

// TestSpec runs the standard's behaviour (the zero Options) as one ordered
// table on one cache.
func TestSpec(t *testing.T) {
	const (
		entry   = "https://fetch.spec.whatwg.org/#cache-entry"
		create  = "https://fetch.spec.whatwg.org/#concept-cache-create-entry"
		match   = "https://fetch.spec.whatwg.org/#concept-cache-match"
		mMethod = "https://fetch.spec.whatwg.org/#concept-cache-match-method"
		mHeader = "https://fetch.spec.whatwg.org/#concept-cache-match-header"
		clr     = "https://fetch.spec.whatwg.org/#concept-cache-clear"
		pf      = "https://fetch.spec.whatwg.org/#cors-preflight-fetch-0"
		hf      = "https://fetch.spec.whatwg.org/#concept-http-fetch"
	)
	sec := time.Second
	runSteps(t, preflightcache.Options{}, []step{
		{desc: "empty cache misses", spec: hf, reason: "nothing stored yet",
			op: opLookup, k: anon, method: "PUT", want: preflightcache.Miss},
		{desc: "request needing nothing is covered", spec: hf, reason: "a safelisted method without unsafe headers never preflights",
			op: opLookup, k: anon, want: preflightcache.Hit},
		{desc: "store PUT and X-Custom for 10s", spec: pf, reason: "the cache update creates one entry per method and per header name",
			op: opStore, k: anon, methods: []string{"PUT"}, headers: []string{"X-Custom"}, maxAge: 10 * sec},
		{desc: "method and header covered", spec: hf, reason: "both names have live entries",
			op: opLookup, k: anon, method: "PUT", names: []string{"x-custom"}, want: preflightcache.Hit},
		{desc: "method compared byte-exactly", spec: mMethod, reason: "`put` is not `PUT`; methods are case-sensitive",
			op: opLookup, k: anon, method: "put", want: preflightcache.Miss},
		{desc: "header compared byte-case-insensitively", spec: mHeader, reason: "X-CUSTOM matches the stored X-Custom",
			op: opLookup, k: anon, names: []string{"X-CUSTOM"}, want: preflightcache.Hit},
		{desc: "every header name must be covered", spec: hf, reason: "x-other has no entry",
			op: opLookup, k: anon, method: "PUT", names: []string{"x-custom", "x-other"}, want: preflightcache.Miss},
		{desc: "a method entry is not a header entry", spec: entry, reason: "an entry holds a method or a header name, never both",
			op: opLookup, k: anon, names: []string{"PUT"}, want: preflightcache.Miss},
		{desc: "uncredentialed entry does not serve credentialed request", spec: match, reason: "entry credentials false matches only a request whose credentials mode is not include",
			op: opLookup, k: cred, method: "PUT", want: preflightcache.Miss},
		{desc: "URL compared exactly", spec: match, reason: "the query makes it another URL",
			op: opLookup, k: otherURL, method: "PUT", want: preflightcache.Miss},
		{desc: "tainted origin is another key", spec: match, reason: "the byte-serialized origin `null` differs",
			op: opLookup, k: tainted, method: "PUT", want: preflightcache.Miss},
		{desc: "other partition is another key", spec: match, reason: "the network partition key differs",
			op: opLookup, k: otherSite, method: "PUT", want: preflightcache.Miss},
		{desc: "live just before max-age", spec: entry, reason: "entries are removed once max-age has passed",
			at: 10*sec - 1, op: opLookup, k: anon, method: "PUT", names: []string{"x-custom"}, want: preflightcache.Hit},
		{desc: "expired at max-age", spec: entry, reason: "10 s have passed since the entries were stored",
			at: 10 * sec, op: opLookup, k: anon, method: "PUT", names: []string{"x-custom"}, want: preflightcache.Stale},
		{desc: "expired and absent names: stale wins", spec: entry, reason: "the outcome is stale when any uncovered name had an expired entry",
			at: 10 * sec, op: opLookup, k: anon, method: "PUT", names: []string{"x-other"}, want: preflightcache.Stale},
		{desc: "refresh PUT only, at 8s for 10s", spec: pf, reason: "an existing entry gets the new max-age instead of a second entry",
			at: 8 * sec, op: opStore, k: anon, methods: []string{"PUT"}, maxAge: 10 * sec},
		{desc: "refreshed method live", spec: pf, reason: "PUT now expires at 18s",
			at: 15 * sec, op: opLookup, k: anon, method: "PUT", want: preflightcache.Hit},
		{desc: "header not refreshed", spec: pf, reason: "X-Custom was not in the new response and expired at 10s",
			at: 15 * sec, op: opLookup, k: anon, names: []string{"X-Custom"}, want: preflightcache.Stale},
		{desc: "refresh header with other case", spec: mHeader, reason: "x-custom is the same header name as X-Custom",
			at: 15 * sec, op: opStore, k: anon, headers: []string{"x-custom"}, maxAge: 10 * sec},
		{desc: "refreshed header live", spec: mHeader, reason: "the one header entry expires at 25s",
			at: 24 * sec, op: opLookup, k: anon, names: []string{"X-Custom"}, want: preflightcache.Hit},
		{desc: "store credentialed DELETE and X-Token", spec: create, reason: "entry credentials true",
			at: 20 * sec, op: opStore, k: cred, methods: []string{"DELETE"}, headers: []string{"X-Token"}, maxAge: 60 * sec},
		{desc: "credentialed entry serves credentialed request", spec: match, reason: "credentials true matches",
			at: 21 * sec, op: opLookup, k: cred, method: "DELETE", names: []string{"x-token"}, want: preflightcache.Hit},
		{desc: "credentialed entry serves uncredentialed request", spec: match, reason: "entry credentials true matches any request",
			at: 21 * sec, op: opLookup, k: anon, method: "DELETE", names: []string{"x-token"}, want: preflightcache.Hit},
		{desc: "clear with the uncredentialed key", spec: clr, reason: "clearing ignores credentials, method and header name",
			at: 22 * sec, op: opClear, k: anon},
		{desc: "credentialed entries cleared", spec: clr, reason: "same partition, origin and URL",
			at: 22 * sec, op: opLookup, k: cred, method: "DELETE", want: preflightcache.Miss},
		{desc: "uncredentialed entries cleared", spec: clr, reason: "same partition, origin and URL",
			at: 22 * sec, op: opLookup, k: anon, names: []string{"x-custom"}, want: preflightcache.Miss},

		{desc: "store wildcards without credentials", spec: pf, reason: "`*` is stored as a name like any other",
			op: opStore, k: wild, methods: []string{"*"}, headers: []string{"*"}, maxAge: 60 * sec},
		{desc: "wildcards cover any method and header", spec: mMethod, reason: "an entry whose method or header name is `*` matches",
			op: opLookup, k: wild, method: "PATCH", names: []string{"x-a", "X-B"}, want: preflightcache.Hit},
		{desc: "wildcard never covers Authorization", spec: mHeader, reason: "Authorization is a CORS non-wildcard request-header name",
			op: opLookup, k: wild, names: []string{"x-a", "AUTHORIZATION"}, want: preflightcache.Miss},
		{desc: "uncredentialed wildcard does not serve credentialed request", spec: match, reason: "the entry is not a cache entry match",
			op: opLookup, k: wildCred, method: "PATCH", want: preflightcache.Miss},
		{desc: "list Authorization explicitly", spec: pf, reason: "a listed name gets its own entry",
			at: sec, op: opStore, k: wild, headers: []string{"Authorization"}, maxAge: 60 * sec},
		{desc: "explicit Authorization covered", spec: mHeader, reason: "byte-case-insensitive match",
			at: sec, op: opLookup, k: wild, names: []string{"authorization"}, want: preflightcache.Hit},
		{desc: "credentialed wildcard with PUT", spec: pf, reason: "step 7 honoured only PUT, but the update stores `*` too, with credentials",
			at: 2 * sec, op: opStore, k: wildCred, methods: []string{"*", "PUT"}, maxAge: 60 * sec},
		{desc: "the standard's quirk: credentialed `*` covers credentialed requests", spec: mMethod, reason: "read literally, a credentialed `*` entry matches any method of a credentialed request",
			at: 3 * sec, op: opLookup, k: wildCred, method: "PATCH", want: preflightcache.Hit},
		{desc: "a `*` with max-age 10s", spec: pf, reason: "setting up the update-through-`*` check",
			at: 100 * sec, op: opStore, k: otherURL, methods: []string{"*"}, maxAge: 10 * sec},
		{desc: "a PUT with max-age 100s", spec: pf, reason: "the update finds a method cache entry match for PUT: the `*` entry, whose max-age it sets",
			at: 105 * sec, op: opStore, k: otherURL, methods: []string{"PUT"}, maxAge: 100 * sec},
		{desc: "`*` extended by the PUT answer", spec: mMethod, reason: "the `*` entry now expires at 205s and still matches any method",
			at: 150 * sec, op: opLookup, k: otherURL, method: "DELETE", want: preflightcache.Hit},
		{desc: "`*` expires at its new time", spec: entry, reason: "105s + 100s",
			at: 205 * sec, op: opLookup, k: otherURL, method: "PUT", want: preflightcache.Stale},
		{desc: "credentialed X-Token for a minute", spec: pf, reason: "setting up the cross-credentials update check",
			at: 300 * sec, op: opStore, k: withCred(otherURL), headers: []string{"X-Token"}, maxAge: 60 * sec},
		{desc: "uncredentialed answer with max-age 0", spec: pf, reason: "for a request without credentials the credentialed entry is a header-name cache entry match, so its max-age is set to 0",
			at: 301 * sec, op: opStore, k: otherURL, headers: []string{"x-token"}, maxAge: 0},
		{desc: "credentialed entry expired by the uncredentialed answer", spec: pf, reason: "its max-age was set to 0 at 301s",
			at: 302 * sec, op: opLookup, k: withCred(otherURL), names: []string{"X-Token"}, want: preflightcache.Stale},

		{desc: "max-age 0 creates nothing", spec: entry, reason: "an entry with max-age 0 is expired at once",
			at: 200 * sec, op: opStore, k: tainted, methods: []string{"PUT"}, maxAge: 0},
		{desc: "nothing stored for max-age 0", spec: entry, reason: "no entry was created",
			at: 200 * sec, op: opLookup, k: tainted, method: "PUT", want: preflightcache.Miss},
		{desc: "store PUT for 60s", spec: create, reason: "setting up the expire-by-zero check",
			at: 200 * sec, op: opStore, k: tainted, methods: []string{"PUT", "PATCH"}, maxAge: 60 * sec},
		{desc: "max-age 0 for PUT", spec: pf, reason: "the matching entry's max-age is set to 0",
			at: 201 * sec, op: opStore, k: tainted, methods: []string{"PUT"}, maxAge: 0},
		{desc: "PUT expired by max-age 0", spec: entry, reason: "its max-age has passed",
			at: 201 * sec, op: opLookup, k: tainted, method: "PUT", want: preflightcache.Stale},
		{desc: "PATCH untouched", spec: pf, reason: "only names in the response are updated",
			at: 201 * sec, op: opLookup, k: tainted, method: "PATCH", want: preflightcache.Hit},
		{desc: "negative max-age as 0", spec: pf, reason: "a negative duration is already over",
			at: 202 * sec, op: opStore, k: tainted, methods: []string{"PATCH"}, maxAge: -time.Hour},
		{desc: "PATCH expired by negative max-age", spec: entry, reason: "its max-age has passed",
			at: 202 * sec, op: opLookup, k: tainted, method: "PATCH", want: preflightcache.Stale},
		{desc: "empty names ignored", spec: "https://fetch.spec.whatwg.org/#concept-method", reason: "the empty string is neither a method nor a header name",
			at: 203 * sec, op: opStore, k: otherSite, methods: []string{""}, headers: []string{""}, maxAge: 60 * sec},
		{desc: "no key created by empty names", spec: entry, reason: "Stats counts keys",
			at: 203 * sec, op: opStats, stats: preflightcache.Stats{Hits: 13, Misses: 13, StaleHits: 7, Keys: 3}},
	})
}

// TestMaxAgeLimit checks that Store clamps max-age to the configured limit
// and that no limit keeps RFC 9111's greatest value.
func TestMaxAgeLimit(t *testing.T) {
	const pf = "https://fetch.spec.whatwg.org/#cors-preflight-fetch-0"
	runSteps(t, preflightcache.Options{MaxAgeLimit: 2 * time.Hour}, []step{
		{desc: "store for a day", spec: pf, reason: "max-age above the imposed limit",
			op: opStore, k: anon, methods: []string{"PUT"}, maxAge: 24 * time.Hour},
		{desc: "live before the limit", spec: pf, reason: "clamped to 2h, still live",
			at: 2*time.Hour - 1, op: opLookup, k: anon, method: "PUT", want: preflightcache.Hit},
		{desc: "expired at the limit", spec: pf, reason: "max-age is set to the imposed limit",
			at: 2 * time.Hour, op: opLookup, k: anon, method: "PUT", want: preflightcache.Stale},
	})
	greatest := preflightcache.MaxDeltaSeconds * time.Second
	runSteps(t, preflightcache.Options{}, []step{
		{desc: "store for 2^31 s", spec: "https://www.rfc-editor.org/rfc/rfc9111#section-1.2.2", reason: "no limit configured",
			op: opStore, k: anon, methods: []string{"PUT"}, maxAge: greatest},
		{desc: "live 68 years later", spec: pf, reason: "no imposed limit",
			at: greatest - 1, op: opLookup, k: anon, method: "PUT", want: preflightcache.Hit},
		{desc: "expired after 2^31 s", spec: pf, reason: "max-age has passed",
			at: greatest, op: opLookup, k: anon, method: "PUT", want: preflightcache.Stale},
	})
}

// Engine profiles, with the values documented on Options.
var (
	chromium = preflightcache.Options{
		MaxAgeLimit:                 2 * time.Hour,
		MaxKeys:                     1024,
		MaxURLLength:                1023,
		Wildcard:                    preflightcache.WildcardUncredentialed,
		WildcardCoversAuthorization: true,
		ReplaceOnStore:              true,
	}
	firefox = preflightcache.Options{
		MaxAgeLimit:                 24 * time.Hour,
		MaxKeys:                     100,
		Wildcard:                    preflightcache.WildcardLiteral,
		WildcardCoversAuthorization: true,
		SeparateCredentials:         true,
	}
	webkit = preflightcache.Options{
		MaxAgeLimit:                 10 * time.Minute,
		MaxKeys:                     1 << 20,
		Wildcard:                    preflightcache.WildcardUncredentialed,
		WildcardCoversAuthorization: true,
		ReplaceOnStore:              true,
	}
)

func TestChromium(t *testing.T) {
	const (
		res   = "chromium services/network/cors/preflight_result.cc"
		cache = "chromium services/network/cors/preflight_cache.cc"
	)
	long := preflightcache.Key{Origin: anon.Origin, URL: "https://api.example/" + strings.Repeat("a", 1024-len("https://api.example/"))}
	short := preflightcache.Key{Origin: anon.Origin, URL: long.URL[:1023]}
	runSteps(t, chromium, []step{
		{desc: "uncredentialed wildcards", spec: res, reason: "`*` from an uncredentialed result is honoured",
			op: opStore, k: wild, methods: []string{"*"}, headers: []string{"*"}, maxAge: time.Hour},
		{desc: "wildcard covers method, headers and Authorization", spec: res, reason: "Chromium lets `*` cover Authorization in practice (whatwg/fetch#1919)",
			op: opLookup, k: wild, method: "PATCH", names: []string{"authorization", "x-a"}, want: preflightcache.Hit},
		{desc: "credentialed result replaces it", spec: res, reason: "one result per key: a new preflight replaces the old one",
			op: opStore, k: wildCred, methods: []string{"*", "PUT"}, headers: []string{"*"}, maxAge: time.Hour},
		{desc: "credentialed `*` not honoured", spec: res, reason: "PreflightResult honours `*` only when its own credentials flag is false",
			op: opLookup, k: wildCred, method: "PATCH", want: preflightcache.Miss},
		{desc: "not even for an uncredentialed request", spec: res, reason: "the check is on the stored result, not on the request",
			op: opLookup, k: wild, method: "PATCH", want: preflightcache.Miss},
		{desc: "listed method still honoured", spec: res, reason: "PUT is listed literally",
			op: opLookup, k: wildCred, method: "PUT", want: preflightcache.Hit},
		{desc: "credentialed result serves uncredentialed request", spec: res, reason: "only the reverse is refused",
			op: opLookup, k: wild, method: "PUT", want: preflightcache.Hit},
		{desc: "new result without PUT", spec: res, reason: "replaces the whole result",
			op: opStore, k: wild, methods: []string{"DELETE"}, maxAge: time.Hour},
		{desc: "PUT gone with the old result", spec: res, reason: "nothing is kept from the replaced result",
			op: opLookup, k: wild, method: "PUT", want: preflightcache.Miss},
		{desc: "Max-Age clamped to 2h", spec: res, reason: "kMaxTimeout",
			op: opStore, k: anon, methods: []string{"PUT"}, maxAge: 24 * time.Hour},
		{desc: "expired after 2h", spec: res, reason: "kMaxTimeout",
			at: 2 * time.Hour, op: opLookup, k: anon, method: "PUT", want: preflightcache.Stale},
		{desc: "URL of 1024 bytes not cached", spec: cache, reason: "kMaxKeyLength",
			op: opStore, k: long, methods: []string{"PUT"}, maxAge: time.Hour},
		{desc: "long URL misses", spec: cache, reason: "never stored",
			op: opLookup, k: long, method: "PUT", want: preflightcache.Miss},
		{desc: "URL of 1023 bytes cached", spec: cache, reason: "below kMaxKeyLength",
			op: opStore, k: short, methods: []string{"PUT"}, maxAge: time.Hour},
		{desc: "1023-byte URL hits", spec: cache, reason: "stored",
			op: opLookup, k: short, method: "PUT", want: preflightcache.Hit},
	})
}

func TestFirefox(t *testing.T) {
	const cors = "gecko netwerk/protocol/http/nsCORSListenerProxy.cpp"
	runSteps(t, firefox, []step{
		{desc: "store wildcards", spec: cors, reason: "`*` is kept as a token",
			op: opStore, k: wild, methods: []string{"*"}, headers: []string{"*"}, maxAge: time.Hour},
		{desc: "`*` not a wildcard on look-up", spec: cors, reason: "CheckRequest compares tokens literally",
			op: opLookup, k: wild, method: "PATCH", want: preflightcache.Miss},
		{desc: "`*` header not a wildcard", spec: cors, reason: "CheckRequest compares tokens literally",
			op: opLookup, k: wild, names: []string{"x-a"}, want: preflightcache.Miss},
		{desc: "literal `*` method matches", spec: cors, reason: "a method named `*` equals the token",
			op: opLookup, k: wild, method: "*", want: preflightcache.Hit},
		{desc: "credentialed PUT", spec: cors, reason: "the cache key includes the credentials flag",
			op: opStore, k: cred, methods: []string{"PUT"}, maxAge: time.Hour},
		{desc: "credentialed entry does not serve uncredentialed request", spec: cors, reason: "another key",
			op: opLookup, k: anon, method: "PUT", want: preflightcache.Miss},
		{desc: "credentialed entry serves credentialed request", spec: cors, reason: "same key",
			op: opLookup, k: cred, method: "PUT", want: preflightcache.Hit},
		{desc: "second preflight adds DELETE", spec: cors, reason: "tokens are added with their own expiry, not replaced",
			at: time.Minute, op: opStore, k: cred, methods: []string{"DELETE"}, maxAge: time.Hour},
		{desc: "PUT kept", spec: cors, reason: "per-token expiry",
			at: 2 * time.Minute, op: opLookup, k: cred, method: "PUT", want: preflightcache.Hit},
		{desc: "DELETE added", spec: cors, reason: "per-token expiry",
			at: 2 * time.Minute, op: opLookup, k: cred, method: "DELETE", want: preflightcache.Hit},
		{desc: "PUT expires on its own", spec: cors, reason: "stored at 0 for an hour",
			at: time.Hour, op: opLookup, k: cred, method: "PUT", want: preflightcache.Stale},
		{desc: "DELETE still live", spec: cors, reason: "stored at 1 min for an hour",
			at: time.Hour, op: opLookup, k: cred, method: "DELETE", want: preflightcache.Hit},
		{desc: "Max-Age clamped to 24h", spec: cors, reason: "std::min(age, 86400U)",
			op: opStore, k: anon, methods: []string{"PUT"}, maxAge: 48 * time.Hour},
		{desc: "expired after 24h", spec: cors, reason: "clamped",
			at: 24 * time.Hour, op: opLookup, k: anon, method: "PUT", want: preflightcache.Stale},
	})
}

func TestWebKit(t *testing.T) {
	const src = "webkit Source/WebCore/loader/CrossOriginPreflightResultCache.cpp"
	runSteps(t, webkit, []step{
		{desc: "uncredentialed wildcards", spec: src, reason: "`*` honoured when the stored policy is not to use credentials",
			op: opStore, k: wild, methods: []string{"*"}, headers: []string{"*"}, maxAge: time.Hour},
		{desc: "wildcard covers Authorization", spec: src, reason: "validateCrossOriginHeaders lets `*` match every header",
			op: opLookup, k: wild, method: "PATCH", names: []string{"Authorization"}, want: preflightcache.Hit},
		{desc: "Max-Age clamped to 600s", spec: src, reason: "maxPreflightCacheTimeout",
			op: opStore, k: anon, methods: []string{"PUT"}, maxAge: time.Hour},
		{desc: "live before 600s", spec: src, reason: "clamped to 600s",
			at: 10*time.Minute - 1, op: opLookup, k: anon, method: "PUT", want: preflightcache.Hit},
		{desc: "expired at 600s", spec: src, reason: "clamped to 600s",
			at: 10 * time.Minute, op: opLookup, k: anon, method: "PUT", want: preflightcache.Stale},
	})
}

// TestEviction checks the bound and the CLOCK order, which is exact
// whatever the sharding.
func TestEviction(t *testing.T) {
	const rm = "https://fetch.spec.whatwg.org/#cache-entry"
	h := time.Hour
	runSteps(t, preflightcache.Options{MaxKeys: 3}, []step{
		{desc: "fill 1", spec: rm, reason: "setting up a full cache", op: opStore, k: keyN(1), methods: []string{"PUT"}, maxAge: h},
		{desc: "fill 2", spec: rm, reason: "setting up a full cache", op: opStore, k: keyN(2), methods: []string{"PUT"}, maxAge: h},
		{desc: "fill 3", spec: rm, reason: "setting up a full cache", op: opStore, k: keyN(3), methods: []string{"PUT"}, maxAge: h},
		{desc: "use 1", spec: rm, reason: "a hit gives key 1 a second chance",
			op: opLookup, k: keyN(1), method: "PUT", want: preflightcache.Hit},
		{desc: "store 4 into a full cache", spec: rm, reason: "one key must go; entries may be removed before max-age",
			op: opStore, k: keyN(4), methods: []string{"PUT"}, maxAge: h},
		{desc: "used key kept", spec: rm, reason: "it was used since it was stored",
			op: opLookup, k: keyN(1), method: "PUT", want: preflightcache.Hit},
		{desc: "oldest unused key evicted", spec: rm, reason: "key 2 was never used",
			op: opLookup, k: keyN(2), method: "PUT", want: preflightcache.Miss},
		{desc: "key 3 kept", spec: rm, reason: "only one key was needed",
			op: opLookup, k: keyN(3), method: "PUT", want: preflightcache.Hit},
		{desc: "key 4 stored", spec: rm, reason: "the newcomer",
			op: opLookup, k: keyN(4), method: "PUT", want: preflightcache.Hit},
		{desc: "bound held", spec: rm, reason: "MaxKeys is 3",
			op: opStats, stats: preflightcache.Stats{Hits: 4, Misses: 1, Evictions: 1, Keys: 3}},
		{desc: "refresh existing key into a full cache", spec: rm, reason: "no new key, nothing evicted",
			op: opStore, k: keyN(3), methods: []string{"DELETE"}, maxAge: h},
		{desc: "clear frees a slot", spec: "https://fetch.spec.whatwg.org/#concept-cache-clear", reason: "removes key 3",
			op: opClear, k: keyN(3)},
		{desc: "store into the freed slot", spec: rm, reason: "no eviction needed",
			op: opStore, k: keyN(5), methods: []string{"PUT"}, maxAge: h},
		{desc: "nothing more evicted", spec: rm, reason: "clear made room",
			op: opStats, stats: preflightcache.Stats{Hits: 4, Misses: 1, Evictions: 1, Keys: 3}},
	})
	runSteps(t, preflightcache.Options{MaxKeys: 2}, []step{
		{desc: "short-lived key", spec: rm, reason: "expires after 1s", op: opStore, k: keyN(1), methods: []string{"PUT"}, maxAge: time.Second},
		{desc: "long-lived key", spec: rm, reason: "expires after 1h", op: opStore, k: keyN(2), methods: []string{"PUT"}, maxAge: h},
		{desc: "store a third key later", spec: rm, reason: "entries must be removed once max-age has passed",
			at: 5 * time.Second, op: opStore, k: keyN(3), methods: []string{"PUT"}, maxAge: h},
		{desc: "unused live key kept", spec: rm, reason: "the expired key made room",
			at: 5 * time.Second, op: opLookup, k: keyN(2), method: "PUT", want: preflightcache.Hit},
		{desc: "expired key reclaimed", spec: rm, reason: "counted as expired, not evicted",
			at: 5 * time.Second, op: opStats, stats: preflightcache.Stats{Hits: 1, Expired: 1, Keys: 2}},
	})
}

// TestMaxKeyBytes checks the per-key budget.
func TestMaxKeyBytes(t *testing.T) {
	const rm = "https://fetch.spec.whatwg.org/#cache-entry"
	base := len(anon.Origin) + len(anon.URL)
	budget := base + 2*(preflightcache.EntryOverhead+len("X-A"))
	huge := preflightcache.Key{Origin: anon.Origin, URL: anon.URL + strings.Repeat("z", budget)}
	runSteps(t, preflightcache.Options{MaxKeyBytes: budget}, []step{
		{desc: "three names, room for two", spec: rm, reason: "entries may be removed before max-age; the third does not fit",
			op: opStore, k: anon, headers: []string{"X-A", "X-B", "X-C"}, maxAge: time.Hour},
		{desc: "first two stored", spec: rm, reason: "they fit",
			op: opLookup, k: anon, names: []string{"x-a", "x-b"}, want: preflightcache.Hit},
		{desc: "third not stored", spec: rm, reason: "over the budget",
			op: opLookup, k: anon, names: []string{"x-c"}, want: preflightcache.Miss},
		{desc: "refreshing a stored name costs nothing", spec: rm, reason: "the entry exists",
			at: time.Minute, op: opStore, k: anon, headers: []string{"x-a"}, maxAge: 2 * time.Hour},
		{desc: "refreshed", spec: rm, reason: "new expiry",
			at: 90 * time.Minute, op: opLookup, k: anon, names: []string{"X-A"}, want: preflightcache.Hit},
		{desc: "expired names free their budget", spec: rm, reason: "X-B expired at 1h and is dropped by the next store",
			at: 90 * time.Minute, op: opStore, k: anon, headers: []string{"X-C"}, maxAge: time.Hour},
		{desc: "X-C now stored", spec: rm, reason: "X-B's budget was reclaimed",
			at: 90 * time.Minute, op: opLookup, k: anon, names: []string{"X-C", "x-a"}, want: preflightcache.Hit},
		{desc: "key larger than the budget", spec: rm, reason: "not cached at all",
			op: opStore, k: huge, methods: []string{"PUT"}, maxAge: time.Hour},
		{desc: "huge key misses", spec: rm, reason: "never stored",
			op: opLookup, k: huge, method: "PUT", want: preflightcache.Miss},
	})
}

func TestZeroCache(t *testing.T) {
	var c preflightcache.Cache // usable without New
	c.Store(anon, []string{"PUT"}, nil, time.Minute, t0)
	if !c.Covers(anon, "PUT", nil, t0) {
		t.Errorf("zero Cache: Covers(anon, PUT) = false after Store; want true")
	}
	if got := c.Stats(); got.Keys != 1 || got.Hits != 1 {
		t.Errorf("zero Cache: Stats() = %+v; want 1 key, 1 hit", got)
	}
}

func TestNewPanicsOnBadWildcard(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("New(Options{Wildcard: 3}) did not panic")
		}
	}()
	preflightcache.New(preflightcache.Options{Wildcard: preflightcache.WildcardLiteral + 1})
}

func TestOutcomeString(t *testing.T) {
	for _, tc := range []struct {
		o    preflightcache.Outcome
		want string
	}{{o: preflightcache.Miss, want: "miss"}, {o: preflightcache.Hit, want: "hit"}, {o: preflightcache.Stale, want: "stale"}, {o: 7, want: "Outcome(7)"}} {
		if got := tc.o.String(); got != tc.want {
			t.Errorf("Outcome(%d).String() = %q; want %q", uint8(tc.o), got, tc.want)
		}
	}
}
