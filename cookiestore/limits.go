package cookiestore

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// Limits bound the cookies a Store keeps and say which go first past a
// bound, as a browser's cookie store does. The zero Limits bounds nothing:
// RFC 6265bis leaves the bounds to the user agent, and WebKitGTK's cookie
// jar has none (libsoup's soup_cookie_jar_add_cookie_full, in
// soup-cookie-jar.c, adds every cookie it accepts).
//
// Bounds apply to groups: the cookies of one registrable domain, its
// subdomains included, in one partition (the unpartitioned cookies being a
// partition of their own). Chromium keys its cookies by eTLD+1
// (CookieMonster::GetKey) and its partitioned cookies by partition key too
// (PartitionedCookieMap); Firefox by base domain and origin attributes,
// which hold the partition key (CookieKey, CookieStorage.cpp).
//
// The engines' values, from their sources (Chromium: the constants of
// net/cookies/cookie_monster.cc; Firefox: the defaults of
// netwerk/cookie/CookieCommons.h and the prefs that tune them):
//
//	field           Chromium                                  Firefox
//	PerDomain       180 (kDomainMaxCookies,                   180 (kMaxCookiesPerHost,
//	                kPerPartitionDomainMaxCookies)            network.cookie.maxPerHost)
//	DomainPurge     30 (kDomainPurgeCookies)                  30 (maxPerHost − quotaPerHost: 180 − 150)
//	PartitionBytes  10240 (kPerPartitionDomainMaxCookieBytes) 0 (not simulated, see EvictFirefox)
//	Total           3300 (kMaxCookies)                        3300 (network.cookie.maxNumber 3000, plus 10%)
//	TotalPurge      300 (kPurgeCookies)                       300 (down to maxNumber)
//	KeepRecent      30 days (kSafeFromGlobalPurgeDays)        30 days (network.cookie.purgeAge)
//	AccessInterval  1 min (kDefaultAccessUpdateThresholdSeconds) 1 min (network.cookie.staleThreshold)
//	Eviction        EvictChromium                             EvictFirefox
type Limits struct {
	// PerDomain bounds the cookies of a group; 0 means no bound.
	PerDomain int

	// DomainPurge is how many cookies below PerDomain an eviction goes,
	// so that evictions are rare: past PerDomain, a group is evicted down
	// to PerDomain−DomainPurge.
	DomainPurge int

	// PartitionBytes bounds the bytes of the names and values of the
	// cookies of a partitioned group (CHIPS); 0 means no bound. EvictFirefox
	// does not apply it.
	PartitionBytes int

	// Total bounds the cookies of the store; 0 means no bound. Which
	// cookies count, and whether recently used ones may go, is the
	// Eviction's.
	Total int

	// TotalPurge is how many cookies below Total an eviction for the
	// Total bound goes.
	TotalPurge int

	// KeepRecent protects from the Total bound the cookies accessed less
	// than KeepRecent ago: both engines evict only cookies unused for a
	// month, so a store of recently used cookies may hold more than Total.
	// 0 protects none.
	KeepRecent time.Duration

	// AccessInterval is how old a cookie's last access must be for a read
	// to record a new one; eviction goes by last access. Both engines
	// record an access at most once a minute. 0 records every read.
	AccessInterval time.Duration

	// Eviction is the order in which cookies go, and when.
	Eviction Eviction
}

// Eviction is the order in which a Store evicts cookies past its Limits,
// and when. A value not listed below acts as EvictRFC6265bis.
type Eviction uint8

const (
	// EvictRFC6265bis is RFC 6265bis's order (section 5.7, "remove excess
	// cookies"): expired cookies, then those without Secure, then the
	// others, each least recently accessed first. A group past PerDomain
	// cookies is evicted down to PerDomain−DomainPurge, a partitioned group
	// past PartitionBytes until within it, and a store past Total (every
	// cookie counted) down to Total−TotalPurge, sparing those KeepRecent
	// protects. The bounds are checked once a cookie is added, which may be
	// evicted itself.
	EvictRFC6265bis Eviction = iota

	// EvictChromium is CookieMonster's (cookie_monster.cc). Once a cookie is
	// added, an unpartitioned group past PerDomain loses its expired
	// cookies and, still past it, goes down to PerDomain−DomainPurge,
	// cookies without Secure first, least recently accessed first
	// (GarbageCollect: its rounds by the non-standard Priority attribute,
	// which net/http does not parse, reduce to this when every cookie has
	// the default priority, Medium). A partitioned group past PerDomain
	// cookies or PartitionBytes loses its expired cookies, then its least
	// recently accessed ones, Secure or not, until within both, with no
	// purge margin (GarbageCollectPartitionedCookies). Total counts
	// unpartitioned cookies only (partitioned ones have no global limit
	// yet) and evicts as for a group, sparing those KeepRecent protects
	// (GarbageCollectLeastRecentlyAccessed).
	EvictChromium

	// EvictFirefox is CookieStorage::AddCookie's (CookieStorage.cpp), which
	// acts before a new cookie (not one replacing another) is added. When
	// its group holds PerDomain cookies or more, up to DomainPurge of the
	// group's expired and non-Secure cookies go, expired first, then least
	// recently accessed first (FindStaleCookies); when there is none, a
	// Secure new cookie evicts up to DomainPurge cookies of any kind, and a
	// non-Secure one is refused. Otherwise, when the store holds Total
	// cookies or more (every cookie counted, partitioned ones included) and
	// its least recently accessed cookie was last accessed at least
	// KeepRecent plus 10% ago, the expired cookies go, then the least
	// recently accessed of those KeepRecent does not protect, until
	// Total−TotalPurge remain (PurgeCookies). Firefox's byte limit on CHIPS
	// partitions (network.cookie.chips.partitionLimitByteCapacity), which
	// applies to cookies set with the Partitioned attribute only, is not
	// simulated.
	EvictFirefox
)

// String returns the name of the eviction order: "rfc6265bis",
// "chromium" or "firefox".
func (e Eviction) String() string {
	switch e {
	case EvictRFC6265bis:
		return "rfc6265bis"
	case EvictChromium:
		return "chromium"
	case EvictFirefox:
		return "firefox"
	}
	return "Eviction(" + strconv.Itoa(int(e)) + ")"
}

// add adds the new cookie e to the store, evicting cookies before or
// after as the Limits say, unless Firefox's eviction refuses e.
func (s *Store) add(e *entry, now time.Time) {
	if s.limits.Eviction == EvictFirefox && !s.firefoxMakeRoom(e, now) {
		return
	}
	s.seq++
	e.seq = s.seq
	s.entries[e.key] = append(s.entries[e.key], e)
	s.total++
	if !e.Expiry.IsZero() && e.Expiry.Before(s.quietUntil) {
		s.quietUntil = e.Expiry
	}
	if e.Partition != "" {
		s.partitioned++
	}
	if s.limits.Eviction != EvictFirefox {
		s.evictGroup(e, now)
		s.evictTotal(now)
	}
}

// groupSize returns the number of cookies of bucket key in the partition
// and the bytes of their names and values.
func (s *Store) groupSize(key, partition string) (n, bytes int) {
	for _, e := range s.entries[key] {
		if e.Partition == partition {
			n, bytes = n+1, bytes+e.size()
		}
	}
	return n, bytes
}

// group returns the cookies of bucket key in the partition, a new slice.
func (s *Store) group(key, partition string) []*entry {
	var g []*entry
	for _, e := range s.entries[key] {
		if e.Partition == partition {
			g = append(g, e)
		}
	}
	return g
}

// bound is one bound of the Limits as an eviction applies it.
type bound struct {
	max, keep  int  // past max, evict down to keep; max 0: no bound
	maxBytes   int  // the names and values may take at most maxBytes; 0: any
	secureLast bool // cookies without Secure go before Secure ones
}

// evictGroup applies the group bounds, RFC 6265bis's or Chromium's, to the
// group of e, which was just added.
func (s *Store) evictGroup(e *entry, now time.Time) {
	l := s.limits
	if l.PerDomain <= 0 && (l.PartitionBytes <= 0 || e.Partition == "") {
		return
	}
	b := bound{max: l.PerDomain, keep: max(l.PerDomain-l.DomainPurge, 0), secureLast: true}
	if e.Partition != "" {
		b.maxBytes = l.PartitionBytes
		if l.Eviction == EvictChromium {
			b.keep, b.secureLast = l.PerDomain, false
		}
	}
	if n, bytes := s.groupSize(e.key, e.Partition); (b.max <= 0 || n <= b.max) && (b.maxBytes <= 0 || bytes <= b.maxBytes) {
		return // within the bounds: no need to sort the group
	}
	g := s.group(e.key, e.Partition)
	s.remove(shrink(g, len(g), b, now))
}

// evictTotal applies the Total bound, RFC 6265bis's or Chromium's.
func (s *Store) evictTotal(now time.Time) {
	l := s.limits
	count := s.total
	if l.Eviction == EvictChromium {
		count -= s.partitioned
	}
	if l.Total <= 0 || count <= l.Total || now.Before(s.quietUntil) {
		return
	}
	candidates := s.candidates(now, l.Eviction == EvictChromium)
	if len(candidates) == 0 {
		s.quietUntil = s.firstCandidateTime()
		return
	}
	s.quietUntil = time.Time{}
	b := bound{max: l.Total, keep: max(l.Total-l.TotalPurge, 0), secureLast: true}
	s.remove(shrink(candidates, count, b, now))
}

// firstCandidateTime returns the earliest time a cookie of the store can
// become a candidate of the Total bound: when its KeepRecent protection
// ends or it expires. A cookie used since only becomes one later.
func (s *Store) firstCandidateTime() time.Time {
	var first time.Time
	for _, list := range s.entries {
		for _, e := range list {
			t := e.Access.Add(s.limits.KeepRecent)
			if !e.Expiry.IsZero() && e.Expiry.Before(t) {
				t = e.Expiry
			}
			if first.IsZero() || t.Before(first) {
				first = t
			}
		}
	}
	return first
}

// candidates returns the cookies the Total bound may evict: the expired
// ones and those KeepRecent does not protect, of every partition or, with
// unpartitioned, of none.
func (s *Store) candidates(now time.Time, unpartitioned bool) []*entry {
	safe := now.Add(-s.limits.KeepRecent)
	var c []*entry
	for _, list := range s.entries {
		for _, e := range list {
			if unpartitioned && e.Partition != "" {
				continue
			}
			if s.limits.KeepRecent <= 0 || e.expired(now) || e.Access.Before(safe) {
				c = append(c, e)
			}
		}
	}
	return c
}

// shrink returns the cookies of g, candidates of a group or store that
// holds count cookies, to evict under b: none when within b; else the
// expired ones and, still past b.max, more until b.keep remain, and past
// b.maxBytes, more until within it, in eviction order. It sorts g.
func shrink(g []*entry, count int, b bound, now time.Time) []*entry {
	bytes := 0
	if b.maxBytes > 0 {
		for _, e := range g {
			bytes += e.size()
		}
	}
	bytesOver := func() bool { return b.maxBytes > 0 && bytes > b.maxBytes }
	if (b.max <= 0 || count <= b.max) && !bytesOver() {
		return nil
	}
	evictionOrder(g, b.secureLast, now)
	n := 0
	for ; n < len(g) && g[n].expired(now); n++ {
		count, bytes = count-1, bytes-g[n].size()
	}
	countOver := b.max > 0 && count > b.max
	for ; n < len(g) && (countOver && count > b.keep || bytesOver()); n++ {
		count, bytes = count-1, bytes-g[n].size()
	}
	return g[:n]
}

// evictionOrder sorts cookies in the order they are evicted: expired ones
// first, then, with secureLast, those without Secure, then the least
// recently accessed (and, accessed at the same time, the earliest
// created), as both engines break ties.
func evictionOrder(g []*entry, secureLast bool, now time.Time) {
	rank := func(e *entry) int {
		switch {
		case e.expired(now):
			return 0
		case secureLast && !e.Secure:
			return 1
		}
		return 2
	}
	slices.SortFunc(g, func(a, b *entry) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		if c := a.Access.Compare(b.Access); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
}

// firefoxMakeRoom evicts what Firefox evicts before the new cookie e is
// added, and reports whether e may be added.
func (s *Store) firefoxMakeRoom(e *entry, now time.Time) bool {
	l := s.limits
	if n, _ := s.groupSize(e.key, e.Partition); l.PerDomain <= 0 || n < l.PerDomain {
		s.firefoxPurge(now)
		return true
	}
	g := s.group(e.key, e.Partition)
	evictionOrder(g, true, now)
	stale := 0 // the expired and non-Secure cookies, first in g
	for stale < len(g) && (g[stale].expired(now) || !g[stale].Secure) {
		stale++
	}
	if stale == 0 {
		if !e.Secure {
			return false
		}
		stale = len(g)
	}
	s.remove(g[:min(stale, max(l.DomainPurge, 1))])
	return true
}

// firefoxPurge is Firefox's purge of the whole store, run before a new
// cookie joins a group that is not full.
func (s *Store) firefoxPurge(now time.Time) {
	l := s.limits
	if l.Total <= 0 || s.total < l.Total {
		return
	}
	if l.KeepRecent > 0 {
		oldest := now
		for _, list := range s.entries {
			for _, e := range list {
				if e.Access.Before(oldest) {
					oldest = e.Access
				}
			}
		}
		if now.Sub(oldest) < l.KeepRecent+l.KeepRecent/10 {
			return
		}
	}
	c := s.candidates(now, false)
	evictionOrder(c, false, now)
	count, keep, n := s.total, max(l.Total-l.TotalPurge, 0), 0
	for ; n < len(c) && (c[n].expired(now) || count > keep); n++ {
		count--
	}
	s.remove(c[:n])
}

// remove deletes the given entries from the store.
func (s *Store) remove(victims []*entry) {
	if len(victims) == 0 {
		return
	}
	for _, v := range victims {
		v.gone = true
	}
	for _, v := range victims {
		if list, ok := s.entries[v.key]; ok {
			list = slices.DeleteFunc(list, func(e *entry) bool { return e.gone })
			if len(list) == 0 {
				delete(s.entries, v.key)
			} else {
				s.entries[v.key] = list
			}
		}
		s.total--
		if v.Partition != "" {
			s.partitioned--
		}
	}
}

// size returns the bytes of e's name and value, what the engines' byte
// limits count.
func (e *entry) size() int { return len(e.Name) + len(e.Value) }
