package preflightcache_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/preflightcache"
)

// oracle is a slow, literal transcription of the standard's CORS-preflight
// cache: a list of entries, searched in full every time, updated exactly as
// the cache update of the CORS-preflight fetch says (through any matching
// entry, `*` and credentialed ones included). It is written to be read next
// to the standard, not to be fast.
//
// https://fetch.spec.whatwg.org/#concept-cache
type oracle struct {
	entries []oracleEntry
}

// oracleEntry is a cache entry (#cache-entry): one of method and header is
// set.
type oracleEntry struct {
	partition, origin, url string
	credentials            bool
	method, header         string
	expires                time.Time
}

// matches is #concept-cache-match: same key, origin and URL, and either the
// entry's credentials is true, or it is false and the request's
// credentials mode is not "include".
func (e *oracleEntry) matches(k preflightcache.Key) bool {
	return e.partition == k.Partition && e.origin == k.Origin && e.url == k.URL &&
		(e.credentials || !k.Credentials)
}

// methodMatch is #concept-cache-match-method: a cache entry match whose
// method is method or `*`. It returns the entry, or nil.
func (o *oracle) methodMatch(k preflightcache.Key, method string, now time.Time) *oracleEntry {
	for i := range o.entries {
		e := &o.entries[i]
		if e.method != "" && e.matches(k) && (e.method == method || e.method == "*") && now.Before(e.expires) {
			return e
		}
	}
	return nil
}

// headerMatch is #concept-cache-match-header: a cache entry match whose
// header name is a byte-case-insensitive match for name, or is `*` while
// name is not `Authorization`.
func (o *oracle) headerMatch(k preflightcache.Key, name string, now time.Time) *oracleEntry {
	for i := range o.entries {
		e := &o.entries[i]
		if e.header != "" && e.matches(k) && now.Before(e.expires) &&
			(asciiLower(e.header) == asciiLower(name) || (e.header == "*" && asciiLower(name) != "authorization")) {
			return e
		}
	}
	return nil
}

// store is the cache update of #cors-preflight-fetch-0: for each method
// (header name), set a matching entry's max-age or create a new entry. An
// entry's expiry is the time it was set plus max-age; expired entries are
// gone ("must be removed"), so they never match.
func (o *oracle) store(k preflightcache.Key, methods, headers []string, maxAge time.Duration, now time.Time) {
	for _, m := range methods {
		if e := o.methodMatch(k, m, now); e != nil {
			e.expires = now.Add(maxAge)
		} else {
			o.entries = append(o.entries, oracleEntry{k.Partition, k.Origin, k.URL, k.Credentials, m, "", now.Add(maxAge)})
		}
	}
	for _, h := range headers {
		if e := o.headerMatch(k, h, now); e != nil {
			e.expires = now.Add(maxAge)
		} else {
			o.entries = append(o.entries, oracleEntry{k.Partition, k.Origin, k.URL, k.Credentials, "", h, now.Add(maxAge)})
		}
	}
}

// clear is #concept-cache-clear.
func (o *oracle) clear(k preflightcache.Key) {
	kept := o.entries[:0]
	for _, e := range o.entries {
		if e.partition != k.Partition || e.origin != k.Origin || e.url != k.URL {
			kept = append(kept, e)
		}
	}
	o.entries = kept
}

// covers is the question of #concept-http-fetch: a method entry match (if
// a method is needed) and a header-name entry match for every name.
func (o *oracle) covers(k preflightcache.Key, method string, names []string, now time.Time) bool {
	if method != "" && o.methodMatch(k, method, now) == nil {
		return false
	}
	for _, n := range names {
		if o.headerMatch(k, n, now) == nil {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// TestAgainstOracle runs random sequences of stores, clears and look-ups on
// the cache (zero Options, bound out of reach) and on the oracle, which
// must agree on every look-up. The names include `*`, Authorization and
// case variants; keys vary in every field.
func TestAgainstOracle(t *testing.T) {
	for seed := range uint64(400) {
		checkOracle(t, seed)
	}
}

func checkOracle(t *testing.T, seed uint64) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(seed, 1))
	methods := []string{"PUT", "put", "DELETE", "PATCH", "*"}
	headers := []string{"X-A", "x-a", "X-B", "Authorization", "authorization", "*"}
	pick := func(from []string) []string {
		var out []string
		for _, s := range from {
			if rnd.IntN(3) == 0 {
				out = append(out, s)
			}
		}
		return out
	}
	key := func() preflightcache.Key {
		k := preflightcache.Key{
			Partition: []string{"", "https://top.example"}[rnd.IntN(2)],
			Origin:    []string{"https://app.example", "null"}[rnd.IntN(2)],
			URL:       []string{"https://api.example/a", "https://api.example/b"}[rnd.IntN(2)],
		}
		k.Credentials = rnd.IntN(2) == 0
		return k
	}

	c := preflightcache.New(preflightcache.Options{})
	var o oracle
	now := t0
	var log []string
	for i := range 150 {
		now = now.Add(time.Duration(rnd.IntN(4000)) * time.Millisecond)
		k := key()
		switch r := rnd.IntN(10); {
		case r < 4:
			ms, hs := pick(methods), pick(headers)
			maxAge := time.Duration(rnd.IntN(8)) * time.Second
			c.Store(k, ms, hs, maxAge, now)
			o.store(k, ms, hs, maxAge, now)
			log = append(log, "store "+keyString(k)+" "+strings.Join(ms, ",")+" / "+strings.Join(hs, ",")+" "+maxAge.String())
		case r < 5:
			c.Clear(k)
			o.clear(k)
			log = append(log, "clear "+keyString(k))
		default:
			method := ""
			if rnd.IntN(3) > 0 {
				method = methods[rnd.IntN(len(methods))]
			}
			names := pick(headers)
			got := c.Covers(k, method, names, now)
			want := o.covers(k, method, names, now)
			if got != want {
				t.Fatalf("seed %d step %d: Covers(%s, %q, %q) = %v; the standard says %v\nsteps so far:\n  %s",
					seed, i, keyString(k), method, names, got, want, strings.Join(log, "\n  "))
			}
		}
	}
}

func keyString(k preflightcache.Key) string {
	s := "{" + k.Partition + " " + k.Origin + " " + k.URL
	if k.Credentials {
		s += " credentials"
	}
	return s + "}"
}

// FuzzAgainstOracle explores more random operation sequences than
// TestAgainstOracle, one per seed.
func FuzzAgainstOracle(f *testing.F) {
	for _, seed := range []uint64{0, 147, 1 << 40} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		checkOracle(t, seed)
	})
}
