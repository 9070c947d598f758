package cookiestore

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// limitStep is one step of a limits scenario: after the clock moves on by
// after, cookies set from url (or a read of url, with get).
type limitStep struct {
	after     time.Duration
	url       string // "" means https://a.example/
	partition string
	set       []string // Set-Cookie lines
	get       bool     // read url instead: an access of what it carries
}

// limitTest is a scenario: the steps on a fresh store with the limits,
// and the names All then returns, earliest created first.
type limitTest struct {
	name   string
	limits Limits
	steps  []limitStep
	want   string
	source string // where the engine does it
}

const day = 24 * time.Hour

var (
	chromium = func(l Limits) Limits { l.Eviction = EvictChromium; return l }
	firefox  = func(l Limits) Limits { l.Eviction = EvictFirefox; return l }
)

var limitTests = []limitTest{
	{name: "rfc expired first", limits: Limits{PerDomain: 3},
		steps: []limitStep{{set: []string{"a1=1; Max-Age=5", "a2=1", "a3=1"}}, {after: 10 * time.Second, set: []string{"a4=1"}}},
		want:  "a2 a3 a4", source: "RFC 6265bis 5.7: expired cookies go first"},
	{name: "rfc non-secure before secure", limits: Limits{PerDomain: 3},
		steps: []limitStep{{set: []string{"s1=1; Secure", "n1=1", "s2=1; Secure"}}, {after: time.Second, set: []string{"n2=1"}}},
		want:  "s1 s2 n2", source: "RFC 6265bis 5.7: cookies without Secure go before the others"},
	{name: "rfc least recently accessed", limits: Limits{PerDomain: 3},
		steps: []limitStep{
			{set: []string{"a1=1; Path=/a", "a2=1; Path=/b", "a3=1; Path=/b"}},
			{after: 3 * time.Second, url: "https://a.example/a", get: true},
			{after: time.Second, set: []string{"a4=1; Path=/b"}},
		},
		want: "a1 a3 a4", source: "RFC 6265bis 5.7: the earliest last-access-time first"},
	{name: "access recorded once a minute", limits: Limits{PerDomain: 3, AccessInterval: time.Minute},
		steps: []limitStep{
			{set: []string{"a1=1; Path=/a", "a2=1; Path=/b", "a3=1; Path=/b"}},
			{after: 3 * time.Second, url: "https://a.example/a", get: true},
			{after: time.Second, set: []string{"a4=1; Path=/b"}},
		},
		want: "a2 a3 a4", source: "kDefaultAccessUpdateThresholdSeconds; Firefox's Cookie::IsStale"},
	{name: "chromium purges down to PerDomain-DomainPurge", limits: chromium(Limits{PerDomain: 4, DomainPurge: 2}),
		steps: []limitStep{{set: []string{"c1=1", "c2=1", "c3=1", "c4=1", "c5=1"}}},
		want:  "c4 c5", source: "CookieMonster::GarbageCollect: kDomainMaxCookies − kDomainPurgeCookies"},
	{name: "chromium counts the new cookie", limits: chromium(Limits{PerDomain: 2, DomainPurge: 1}),
		steps: []limitStep{{set: []string{"s1=1; Secure", "s2=1; Secure", "s3=1; Secure"}}},
		want:  "s3", source: "GarbageCollect runs after the cookie is inserted"},
	{name: "chromium non-secure first", limits: chromium(Limits{PerDomain: 3, DomainPurge: 2}),
		steps: []limitStep{{set: []string{"s1=1; Secure", "n1=1", "n2=1", "n3=1"}}},
		want:  "s1", source: "GarbageCollect's purge rounds: non-secure before secure"},
	{name: "firefox evicts before adding", limits: firefox(Limits{PerDomain: 2, DomainPurge: 1}),
		steps: []limitStep{{set: []string{"s1=1; Secure", "s2=1; Secure", "s3=1; Secure"}}},
		want:  "s2 s3", source: "CookieStorage::AddCookie: FindStaleCookies, then the new cookie"},
	{name: "firefox refuses a non-secure cookie when all are secure", limits: firefox(Limits{PerDomain: 2, DomainPurge: 1}),
		steps: []limitStep{{set: []string{"s1=1; Secure", "s2=1; Secure", "n1=1"}}},
		want:  "s1 s2", source: "CookieStorage::AddCookie: the new cookie is not a secure cookie"},
	{name: "firefox evicts only expired and non-secure", limits: firefox(Limits{PerDomain: 3, DomainPurge: 2}),
		steps: []limitStep{{set: []string{"s1=1; Secure", "n1=1", "n2=1", "n3=1"}}},
		want:  "s1 n3", source: "FindStaleCookies(aIsSecure=false)"},
	{name: "groups are per partition", limits: Limits{PerDomain: 2},
		steps: []limitStep{
			{set: []string{"u1=1", "u2=1"}},
			{partition: "https://top.example", set: []string{"p1=1; Secure; Partitioned", "p2=1; Secure; Partitioned"}},
		},
		want: "u1 u2 p1 p2", source: "PartitionedCookieMap; Firefox's CookieKey holds the origin attributes"},
	{name: "chromium partitioned: no purge margin", limits: chromium(Limits{PerDomain: 3, DomainPurge: 2}),
		steps: []limitStep{{partition: "https://top.example", set: []string{"q1=1; Secure; Partitioned", "q2=1; Secure; Partitioned", "q3=1; Secure; Partitioned", "q4=1; Secure; Partitioned"}}},
		want:  "q2 q3 q4", source: "GarbageCollectPartitionedCookies: down to kPerPartitionDomainMaxCookies"},
	{name: "rfc partitioned: purge margin", limits: Limits{PerDomain: 3, DomainPurge: 2},
		steps: []limitStep{{partition: "https://top.example", set: []string{"q1=1; Secure; Partitioned", "q2=1; Secure; Partitioned", "q3=1; Secure; Partitioned", "q4=1; Secure; Partitioned"}}},
		want:  "q4", source: "a partition is a group like any other"},
	{name: "chromium partition bytes", limits: chromium(Limits{PartitionBytes: 12}),
		steps: []limitStep{{partition: "https://top.example", set: []string{"u=unpartitioned-and-long", "p1=aaaa; Secure; Partitioned", "p2=bbbb; Secure; Partitioned", "p3=cc; Secure; Partitioned"}}},
		want:  "u p2 p3", source: "kPerPartitionDomainMaxCookieBytes: names and values"},
	{name: "rfc total", limits: Limits{Total: 3},
		steps: []limitStep{{set: []string{"a1=1"}}, {url: "https://b.example/", set: []string{"b1=1"}}, {set: []string{"a2=1"}}, {url: "https://b.example/", set: []string{"b2=1"}}},
		want:  "b1 a2 b2", source: "RFC 6265bis 5.7: past the store's bound"},
	{name: "recently used cookies are kept", limits: Limits{Total: 3, KeepRecent: day},
		steps: []limitStep{{set: []string{"a1=1", "a2=1"}}, {url: "https://b.example/", set: []string{"b1=1", "b2=1"}}},
		want:  "a1 a2 b1 b2", source: "kSafeFromGlobalPurgeDays; network.cookie.purgeAge"},
	{name: "total spares the recently accessed", limits: Limits{Total: 3, KeepRecent: day},
		steps: []limitStep{
			{set: []string{"a1=1", "a2=1"}}, {url: "https://b.example/", set: []string{"b1=1"}},
			{after: 2 * day, url: "https://b.example/", get: true},
			{url: "https://b.example/", set: []string{"b2=1"}},
		},
		want: "a2 b1 b2", source: "GarbageCollectLeastRecentlyAccessed: only cookies older than the safe date"},
	{name: "chromium total counts unpartitioned cookies", limits: chromium(Limits{Total: 2}),
		steps: []limitStep{{set: []string{"u1=1"}}, {partition: "https://top.example", set: []string{"p1=1; Secure; Partitioned", "p2=1; Secure; Partitioned"}}, {set: []string{"u2=1"}}},
		want:  "u1 p1 p2 u2", source: "GarbageCollect counts cookies_, not partitioned_cookies_"},
	{name: "rfc total counts every cookie", limits: Limits{Total: 2},
		steps: []limitStep{{set: []string{"u1=1"}}, {partition: "https://top.example", set: []string{"p1=1; Secure; Partitioned", "p2=1; Secure; Partitioned"}}, {set: []string{"u2=1"}}},
		want:  "p1 p2", source: "non-secure first: u1, then u2 itself"},
	{name: "chromium total after the safe date", limits: chromium(Limits{Total: 3, TotalPurge: 1, KeepRecent: 10 * day}),
		steps: []limitStep{
			{set: []string{"a1=1"}}, {url: "https://b.example/", set: []string{"b1=1"}}, {url: "https://c.example/", set: []string{"c1=1"}},
			{after: 10*day + 12*time.Hour, url: "https://d.example/", set: []string{"d1=1"}},
		},
		want: "c1 d1", source: "GarbageCollect: past kMaxCookies, down to kMaxCookies − kPurgeCookies"},
	{name: "chromium total, a crowd of protected cookies, then the safe date", limits: chromium(Limits{Total: 3, TotalPurge: 1, KeepRecent: 10 * day}),
		steps: []limitStep{
			{set: []string{"a1=1"}}, {url: "https://b.example/", set: []string{"b1=1"}}, {url: "https://c.example/", set: []string{"c1=1"}},
			{url: "https://d.example/", set: []string{"d1=1"}}, // over Total, none evictable: the store waits (quietUntil)
			{after: 10*day + 12*time.Hour, url: "https://e.example/", set: []string{"e1=1"}},
		},
		want: "d1 e1", source: "GarbageCollect: past the safe date the old ones go, down to kMaxCookies − kPurgeCookies"},
	{name: "chromium total, a cookie that expires before the safe date", limits: chromium(Limits{Total: 3, TotalPurge: 1, KeepRecent: 10 * day}),
		steps: []limitStep{
			{set: []string{"a1=1"}}, {url: "https://b.example/", set: []string{"b1=1"}}, {url: "https://c.example/", set: []string{"c1=1"}},
			{url: "https://d.example/", set: []string{"d1=1"}},
			{url: "https://x.example/", set: []string{"x=1; Max-Age=3600"}},
			{after: 2 * time.Hour, url: "https://f.example/", set: []string{"f1=1"}},
		},
		want: "a1 b1 c1 d1 f1", source: "GarbageCollectExpired: an expired cookie goes at the next collection, protection or not"},
	{name: "firefox total waits for 10% more age", limits: firefox(Limits{Total: 3, TotalPurge: 1, KeepRecent: 10 * day}),
		steps: []limitStep{
			{set: []string{"a1=1"}}, {url: "https://b.example/", set: []string{"b1=1"}}, {url: "https://c.example/", set: []string{"c1=1"}},
			{after: 10*day + 12*time.Hour, url: "https://d.example/", set: []string{"d1=1"}},
		},
		want: "a1 b1 c1 d1", source: "CookieStorage::AddCookie: ADD_TEN_PERCENT(mCookiePurgeAge)"},
	{name: "firefox total purge", limits: firefox(Limits{Total: 3, TotalPurge: 1, KeepRecent: 10 * day}),
		steps: []limitStep{
			{set: []string{"a1=1"}}, {url: "https://b.example/", set: []string{"b1=1"}}, {url: "https://c.example/", set: []string{"c1=1"}},
			{after: 10*day + 12*time.Hour, url: "https://d.example/", set: []string{"d1=1"}},
			{after: day, url: "https://e.example/", set: []string{"e1=1"}},
		},
		want: "c1 d1 e1", source: "PurgeCookies: expired, then the oldest, down to network.cookie.maxNumber"},
}

func TestLimits(t *testing.T) {
	t.Parallel()
	for _, tt := range limitTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &clock{t0}
			s := New(&Options{Now: c.now, Limits: tt.limits})
			for _, st := range tt.steps {
				c.t = c.t.Add(st.after)
				raw := st.url
				if raw == "" {
					raw = "https://a.example/"
				}
				r := Request{URL: mustURL(t, raw), Secure: strings.HasPrefix(raw, "https:"), Partition: st.partition}
				if st.get {
					s.Get(r)
					continue
				}
				for _, line := range st.set {
					c.t = c.t.Add(time.Millisecond) // distinct creation times
					s.Set(r, parse(t, line))
				}
			}
			if got := allNames(s); got != tt.want {
				t.Errorf("%s (%v): cookies kept %q; want %q (%s)", tt.name, tt.limits.Eviction, got, tt.want, tt.source)
			}
		})
	}
}

// allNames returns the names of the store's cookies, earliest created
// first.
func allNames(s *Store) string {
	var names []string
	for _, c := range s.All() {
		names = append(names, c.Name)
	}
	return strings.Join(names, " ")
}

// TestEngineLimitsBound fills a store with the engines' limits and checks
// that no group exceeds PerDomain and that, without KeepRecent's
// protection (the clock having moved on), the store stays within Total.
func TestEngineLimitsBound(t *testing.T) {
	t.Parallel()
	for _, l := range []Limits{chromiumLimits, firefoxLimits} {
		t.Run(l.Eviction.String(), func(t *testing.T) {
			t.Parallel()
			c := &clock{t0}
			s := New(&Options{Now: c.now, Limits: l})
			for i := range 4000 {
				c.t = c.t.Add(time.Hour) // older than KeepRecent soon enough
				u := mustURL(t, fmt.Sprintf("https://h%d.site%d.example/", i%3, i%20))
				s.Set(Request{URL: u, Secure: true}, []*http.Cookie{{Name: fmt.Sprintf("c%d", i), Value: "v", Secure: i%2 == 0}})
			}
			if s.Len() > l.Total {
				t.Errorf("Len() = %d; want at most %d", s.Len(), l.Total)
			}
			for key := range s.entries {
				if n := len(s.group(key, "")); n > l.PerDomain {
					t.Errorf("%s holds %d cookies; want at most %d", key, n, l.PerDomain)
				}
			}
		})
	}
}

// The engines' limits, as the Limits documentation gives them.
var (
	chromiumLimits = Limits{PerDomain: 180, DomainPurge: 30, PartitionBytes: 10240, Total: 3300, TotalPurge: 300,
		KeepRecent: 30 * day, AccessInterval: time.Minute, Eviction: EvictChromium}
	firefoxLimits = Limits{PerDomain: 180, DomainPurge: 30, Total: 3300, TotalPurge: 300,
		KeepRecent: 30 * day, AccessInterval: time.Minute, Eviction: EvictFirefox}
)

func TestEvictionString(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		e    Eviction
		want string
	}{{e: EvictRFC6265bis, want: "rfc6265bis"}, {e: EvictChromium, want: "chromium"}, {e: EvictFirefox, want: "firefox"}, {e: 7, want: "Eviction(7)"}} {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("Eviction(%d).String() = %q; want %q", uint8(tt.e), got, tt.want)
		}
	}
}

// BenchmarkSetAtLimit sets new cookies in a group at Chromium's bound, so
// that every 31st set purges the group.
func BenchmarkSetAtLimit(b *testing.B) {
	c := &clock{t0}
	s := New(&Options{Now: c.now, Limits: chromiumLimits})
	r := Request{URL: mustURL(b, "https://api.example.com/"), Secure: true}
	cs := []*http.Cookie{{Name: "c", Value: "value", Path: "/"}}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		c.t = c.t.Add(time.Second)
		i++
		cs[0].Name = "c" + fmt.Sprint(i)
		s.Set(r, cs)
	}
}
