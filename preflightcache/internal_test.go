package preflightcache

import (
	"strconv"
	"strings"
	"sync/atomic"
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
	h, s := c.locate(&k)
	rec := s.find(h, triple{k.Partition, k.Origin, k.URL})
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

// TestClockInvariants stores, clears and looks up many keys in a small
// cache and checks after every step that the ring, the free list, the
// shards' maps and the key count agree, and that the bound holds.
func TestClockInvariants(t *testing.T) {
	const maxKeys = 130
	c := New(Options{MaxKeys: maxKeys})
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

		live := 0
		for slot, r := range c.ring {
			if r == nil {
				continue
			}
			live++
			if r.slot != slot || r.shard.find(r.hash, r.key) != r || len(r.entries) == 0 {
				t.Fatalf("step %d: ring slot %d holds a record that disagrees (slot %d, in its shard %v, %d entries)",
					i, slot, r.slot, r.shard.find(r.hash, r.key) == r, len(r.entries))
			}
		}
		inMaps := 0
		for j := range c.shards {
			for _, r := range c.shards[j].recs {
				for ; r != nil; r = r.next {
					inMaps++
				}
			}
		}
		if live != inMaps || live+len(c.free) != len(c.ring) || int64(live) != c.keys.Load() || live > maxKeys {
			t.Fatalf("step %d: %d live in ring, %d in maps, %d free, ring %d, count %d, bound %d",
				i, live, inMaps, len(c.free), len(c.ring), c.keys.Load(), maxKeys)
		}
	}
}

// BenchmarkShards compares parallel hits on the sharded cache with the
// same cache on one shard, the single-lock baseline. Run with -cpu 1,2,N.
func BenchmarkShards(b *testing.B) {
	for _, n := range []int{1, numShards} {
		c := &Cache{shardCount: n}
		keys := make([]Key, DefaultMaxKeys)
		for i := range keys {
			keys[i] = Key{Origin: "https://a.example", URL: "https://b.example/items/" + strconv.Itoa(i)}
			c.Store(keys[i], []string{"PUT"}, []string{"X-A"}, time.Hour, time.Unix(0, 0))
		}
		names := []string{"x-a"}
		b.Run(map[int]string{1: "one-lock", numShards: "sharded"}[n], func(b *testing.B) {
			b.ReportAllocs()
			var next atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				i := int(next.Add(1) * 7919)
				for pb.Next() {
					c.Lookup(keys[i%len(keys)], "PUT", names, time.Unix(1, 0))
					i++
				}
			})
		})
	}
}

// TestHashChain checks the chaining of records whose hashes collide, which
// real keys hit only by chance.
func TestHashChain(t *testing.T) {
	s := &shard{recs: make(map[uint64]*record)}
	recs := make([]*record, 4)
	for i := range recs {
		recs[i] = &record{key: triple{url: strconv.Itoa(i)}, hash: 42}
		s.add(recs[i])
	}
	other := &record{key: triple{url: "other"}, hash: 7}
	s.add(other)
	for _, order := range [][]int{{2}, {3}, {0}, {1}} { // middle, head, tail, last
		i := order[0]
		s.del(recs[i])
		recs[i] = nil
		for j, r := range recs {
			want := r
			if got := s.find(42, triple{url: strconv.Itoa(j)}); got != want {
				t.Errorf("after deleting record %d: find(record %d) = %p; want %p", i, j, got, want)
			}
		}
		if s.find(7, other.key) != other {
			t.Errorf("after deleting record %d: the record with another hash is lost", i)
		}
	}
	if _, ok := s.recs[42]; ok || len(s.recs) != 1 {
		t.Errorf("after deleting every colliding record: map holds %d hashes, 42 present %v; want 1, false", len(s.recs), ok)
	}
}
