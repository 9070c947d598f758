package preflightcache

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// Tests of unexported helpers; public behaviour is tested in
// preflightcache_test.

func TestEqualFold(t *testing.T) {
	const bci = "https://fetch.spec.whatwg.org/#byte-case-insensitive"
	for _, tc := range []struct {
		desc, spec, reason string
		a, b               string
		want               bool
	}{
		{desc: "equal", spec: bci, reason: "identical bytes", a: "x-token", b: "x-token", want: true},
		{desc: "ASCII case", spec: bci, reason: "0x41-0x5A match 0x61-0x7A", a: "Content-Type", b: "content-TYPE", want: true},
		{desc: "all letters", spec: bci, reason: "every ASCII letter folds", a: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", b: "abcdefghijklmnopqrstuvwxyz", want: true},
		{desc: "different length", spec: bci, reason: "byte for byte", a: "x-a", b: "x-ab", want: false},
		{desc: "different letter", spec: bci, reason: "byte for byte", a: "x-a", b: "x-b", want: false},
		{desc: "@ and `", spec: bci, reason: "0x40 and 0x60 are not letters", a: "@", b: "`", want: false},
		{desc: "[ and {", spec: bci, reason: "0x5B and 0x7B are not letters", a: "[", b: "{", want: false},
		{desc: "Kelvin sign", spec: bci, reason: "no Unicode folding: U+212A is not k (strings.EqualFold says it is)", a: "\u212a", b: "k", want: false},
		{desc: "Latin-1 bytes", spec: bci, reason: "bytes above 0x7F never fold", a: "\xc0", b: "\xe0", want: false},
		{desc: "empty", spec: bci, reason: "trivially equal", a: "", b: "", want: true},
	} {
		if got := equalFold(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: equalFold(%q, %q) = %v; want %v\nspec %s: %s", tc.desc, tc.a, tc.b, got, tc.want, tc.spec, tc.reason)
		}
	}
}

// TestExtremeTimes checks that an entry stored in a far past or far future
// does not wrap around and expire early.
func TestExtremeTimes(t *testing.T) {
	c := New(Options{})
	k := Key{Origin: "https://a.example", URL: "https://b.example/"}
	for _, now := range []time.Time{{}, time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1e9, 1, 1, 0, 0, 0, 0, time.UTC)} {
		c.Store(k, []string{"PUT"}, nil, time.Hour, now)
		if got := c.Lookup(k, "PUT", nil, now.Add(time.Hour-1)); got != Hit {
			t.Errorf("Lookup at %v, 1ns before expiry = %v; want hit", now, got)
		}
		if got := c.Lookup(k, "PUT", nil, now.Add(time.Hour)); got != Stale {
			t.Errorf("Lookup at %v, at expiry = %v; want stale", now, got)
		}
	}
}

// TestStoreClones checks that Store keeps copies, not the caller's string
// data: a name resliced from a large header value must not keep that value
// alive.
func TestStoreClones(t *testing.T) {
	c := New(Options{})
	value := "X-Secret, " + strings.Repeat("X-Filler, ", 1000) + "X-Last"
	url := "https://b.example/path?" + strings.Repeat("q", 100)
	k := Key{Partition: "https://top.example", Origin: "https://a.example", URL: url[:30]}
	c.Store(k, []string{value[:1]}, []string{value[:8]}, time.Hour, time.Unix(0, 0))
	rec := c.shardFor(&k).recs[triple{k.Partition, k.Origin, k.URL}]
	if rec == nil {
		t.Fatal("Store did not create the key")
	}
	in := map[*byte]string{
		unsafe.StringData(value): "header value",
		unsafe.StringData(url):   "URL",
	}
	for _, s := range []string{rec.key.partition, rec.key.origin, rec.key.url, rec.entries[0].name, rec.entries[1].name} {
		if what, ok := in[unsafe.StringData(s)]; ok {
			t.Errorf("stored %q shares memory with the caller's %s", s, what)
		}
	}
}

// TestShardLayout checks that the shards' bounds add up to MaxKeys exactly
// and that small caches have one shard.
func TestShardLayout(t *testing.T) {
	for _, tc := range []struct {
		desc, spec, reason string
		maxKeys, shards    int
	}{
		{desc: "default", spec: "DefaultMaxKeys", reason: "1024/64 = 16 shards", maxKeys: 0, shards: 16},
		{desc: "Firefox", spec: "PREFLIGHT_CACHE_SIZE", reason: "below 128 keys: one shard, exact order", maxKeys: 100, shards: 1},
		{desc: "one", spec: "MaxKeys", reason: "smallest", maxKeys: 1, shards: 1},
		{desc: "127", spec: "MaxKeys", reason: "one shard below 2*64", maxKeys: 127, shards: 1},
		{desc: "128", spec: "MaxKeys", reason: "two shards of 64", maxKeys: 128, shards: 2},
		{desc: "odd", spec: "MaxKeys", reason: "remainder spread over the first shards", maxKeys: 1000, shards: 8},
		{desc: "huge", spec: "MaxKeys", reason: "at most 64 shards", maxKeys: 1 << 30, shards: 64},
	} {
		c := New(Options{MaxKeys: tc.maxKeys})
		want := tc.maxKeys
		if want == 0 {
			want = DefaultMaxKeys
		}
		sum := 0
		for i := range c.shards {
			sum += c.shards[i].limit
		}
		if len(c.shards) != tc.shards || sum != want {
			t.Errorf("%s: New(MaxKeys %d): %d shards holding %d keys; want %d shards holding %d (%s: %s)",
				tc.desc, tc.maxKeys, len(c.shards), sum, tc.shards, want, tc.spec, tc.reason)
		}
	}
}

// TestClockInvariants stores, clears and looks up many keys in a small
// sharded cache and checks the ring, free list and map agree after every
// step.
func TestClockInvariants(t *testing.T) {
	c := New(Options{MaxKeys: 130}) // two shards of 65
	now := time.Unix(1e9, 0)
	for i := range 5000 {
		k := Key{Origin: "https://a.example", URL: "https://b.example/" + string(rune('a'+i%7)) + strings.Repeat("x", i%300)}
		switch i % 5 {
		case 0, 1, 2:
			c.Store(k, []string{"PUT"}, nil, time.Duration(i%4)*time.Second, now)
		case 3:
			c.Lookup(k, "PUT", nil, now)
		case 4:
			c.Clear(k)
		}
		now = now.Add(time.Second / 3)
		for j := range c.shards {
			s := &c.shards[j]
			live := 0
			for slot, r := range s.ring {
				if r == nil {
					continue
				}
				live++
				if r.slot != slot || s.recs[r.key] != r || len(r.entries) == 0 {
					t.Fatalf("step %d shard %d: ring slot %d holds a record that disagrees (slot %d, in map %v, %d entries)",
						i, j, slot, r.slot, s.recs[r.key] == r, len(r.entries))
				}
			}
			if live != len(s.recs) || live+len(s.free) != len(s.ring) || len(s.ring) > s.limit {
				t.Fatalf("step %d shard %d: %d live in ring, %d in map, %d free, ring %d, limit %d",
					i, j, live, len(s.recs), len(s.free), len(s.ring), s.limit)
			}
		}
	}
}
