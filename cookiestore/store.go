// Package cookiestore is a browser's cookie store: the storage model and the
// retrieval algorithm of RFC 6265bis (draft-ietf-httpbis-rfc6265bis), keeping
// what net/http/cookiejar drops and a browser needs to decide which cookies a
// request carries: SameSite, Secure, HttpOnly, the host-only flag and the
// partition of a Partitioned (CHIPS) cookie.
//
// The store applies no browser policy of its own: whether a request counts
// as secure, which partition it belongs to, whether a third-party cookie may
// be stored or sent and whether a SameSite cookie goes with a cross-site
// request are decided by the caller (package fetch, per browser profile),
// which gets every cookie with its attributes from [Store.Get]. The
// [http.CookieJar] methods serve a first-party request without partition.
//
// # Bounds, import and export
//
// [Limits] bound the cookies kept per registrable domain, per partition
// and in total, and evict in the order of RFC 6265bis, Chromium or Firefox;
// the zero Limits bound nothing, as RFC 6265bis and WebKitGTK. [Store.All]
// and [Store.Import] export and import every cookie with its attributes,
// and [ReadNetscape] and [WriteNetscape] read and write them in the
// Netscape cookie file format of curl.
//
// # Not simulated
//
//   - Attribute-value size limits (1024 bytes) and the 4096-byte limit on
//     a name and value together are applied as RFC 6265bis says; what
//     net/http's Set-Cookie parser refuses (a blank name, for one) never
//     reaches the store.
//   - Chromium's cookie priorities (the non-standard Priority attribute),
//     its eviction of domain cookies before host-only ones under its
//     Origin-Bound Cookies features, and the byte limit Firefox puts on
//     CHIPS partitions; see [Eviction].
package cookiestore

import (
	"cmp"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/corsfetch/corsfetch/origin"
)

// PublicSuffixList provides the public suffix of a domain, as
// net/http/cookiejar's interface of the same name. It must be safe for
// concurrent use.
type PublicSuffixList interface {
	// PublicSuffix returns the public suffix of domain.
	PublicSuffix(domain string) string
	// String returns a description of the list's source.
	String() string
}

// Options configure a Store. The zero Options is valid.
type Options struct {
	// PublicSuffixList keeps a response from setting a cookie for a public
	// suffix ("co.uk") that would reach every site under it. nil means
	// golang.org/x/net/publicsuffix.List.
	PublicSuffixList PublicSuffixList

	// Limits bound the cookies kept and say which go first; the zero
	// Limits bound nothing.
	Limits Limits

	// Now returns the time used for expiry and access times; nil means
	// time.Now.
	Now func() time.Time
}

// Request is the request a cookie is set from, or read for.
type Request struct {
	// URL is the request's URL. Only http and https URLs have cookies.
	URL *url.URL

	// Secure reports whether the request goes over a channel the browser
	// counts as secure: https, and for most engines a loopback http URL
	// too (RFC 6265bis lets the user agent decide). A Secure cookie is set
	// and sent only over a secure channel.
	Secure bool

	// Partition is the key of the partition the request reads Partitioned
	// cookies from and sets them in: the top-level site ("https://a.example",
	// origin.Origin.Site). "" means none: Partitioned cookies are then
	// neither set nor read.
	Partition string
}

// Store is a cookie store. It is safe for concurrent use. Create one with
// New.
type Store struct {
	psl    PublicSuffixList
	limits Limits
	now    func() time.Time

	mu          sync.Mutex
	entries     map[string][]*entry // registrable domain → cookies
	total       int                 // cookies stored
	partitioned int                 // of which Partitioned
	seq         uint64              // creation order, to break ties of equal creation times
	// quietUntil, when not zero: no cookie can be evicted by the Total
	// bound before it (all were recently used and none expires sooner),
	// so that a store over Total with only protected cookies, as a crawl's
	// fills Chromium's, is not scanned for every new cookie.
	quietUntil time.Time
}

// entry is a stored cookie, with the fields of RFC 6265bis section 5.7.
type entry struct {
	Name, Value      string
	Domain, Path     string
	Partition        string
	Expiry           time.Time // zero for a session cookie
	Creation, Access time.Time
	seq              uint64
	key              string // the bucket the cookie is kept in
	gone             bool   // evicted
	HostOnly         bool
	Secure           bool
	HTTPOnly         bool
	SameSite         http.SameSite
}

// New returns an empty Store; a nil o means the zero Options.
func New(o *Options) *Store {
	if o == nil {
		o = &Options{}
	}
	s := &Store{
		psl:     o.PublicSuffixList,
		limits:  o.Limits,
		now:     o.Now,
		entries: map[string][]*entry{},
	}
	if s.psl == nil {
		s.psl = publicsuffix.List
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// SetCookies stores the cookies of a response to u as a first-party request
// would, one whose top-level site is u's own: u counts as secure when it is
// https or a loopback URL (origin.IsURLPotentiallyTrustworthy), as Chromium
// and Firefox count it, and a Partitioned cookie goes to the partition of
// u's site. It implements http.CookieJar.
func (s *Store) SetCookies(u *url.URL, cookies []*http.Cookie) {
	s.Set(firstParty(u), cookies)
}

// Cookies returns the name and value of the cookies a first-party request to
// u carries (see SetCookies), in the order of RFC 6265bis section 5.8.3:
// longer paths first, then earlier creation. It implements http.CookieJar.
// SameSite is not applied: a first-party request is same site.
func (s *Store) Cookies(u *url.URL) []*http.Cookie {
	all := s.Get(firstParty(u))
	for i, c := range all {
		all[i] = &http.Cookie{Name: c.Name, Value: c.Value}
	}
	return all
}

// firstParty returns the Request of a first-party request to u.
func firstParty(u *url.URL) Request {
	return Request{URL: u, Secure: origin.IsURLPotentiallyTrustworthy(u), Partition: origin.FromURL(u).Site()}
}

// Set stores cookies received in a response to r, as the storage model of
// RFC 6265bis section 5.7 says; a cookie that the model ignores is dropped
// without error. A cookie with Partitioned set goes to r.Partition (and is
// dropped when that is ""); the others are unpartitioned. A cookie whose
// expiry is in the past deletes the stored cookie it replaces. A new cookie
// evicts others past the Limits, or, with EvictFirefox, may be refused.
//
// [storage model]: https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-storage-model
func (s *Store) Set(r Request, cookies []*http.Cookie) {
	host, ok := canonicalHost(r.URL)
	if !ok || len(cookies) == 0 {
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range cookies {
		e, remove, ok := s.newEntry(c, host, r, now)
		if !ok {
			continue
		}
		s.insert(e, remove, now)
	}
}

// newEntry turns c into a stored cookie for a request to host, or reports
// that the storage model ignores it. remove reports that the cookie expires
// at once: it only deletes the cookie it would replace.
func (s *Store) newEntry(c *http.Cookie, host string, r Request, now time.Time) (e *entry, remove, ok bool) {
	// Step 3: a name and value over 4096 bytes together are ignored.
	if c.Name == "" && c.Value == "" || len(c.Name)+len(c.Value) > 4096 {
		return nil, false, false
	}
	e = &entry{Name: c.Name, Value: c.Value, Creation: now, Access: now, HTTPOnly: c.HttpOnly, Secure: c.Secure, SameSite: c.SameSite}
	// Steps 5 and 6: Max-Age takes precedence over Expires.
	switch {
	case c.MaxAge < 0:
		remove = true
	case c.MaxAge > 0:
		e.Expiry = now.Add(time.Duration(c.MaxAge) * time.Second)
	case !c.Expires.IsZero():
		if !c.Expires.After(now) {
			remove = true
		}
		e.Expiry = c.Expires
	}
	// Steps 7 to 9: the Domain attribute.
	domain, err := s.domainOf(c.Domain, host)
	if err {
		return nil, false, false
	}
	if domain == "" {
		e.HostOnly, e.Domain = true, host
	} else {
		e.Domain = domain
	}
	// Step 10: the Path attribute, or the default path.
	e.Path = c.Path
	if !strings.HasPrefix(e.Path, "/") || len(e.Path) > 1024 {
		e.Path = defaultPath(r.URL.Path)
	}
	// Step 12: a Secure cookie needs a secure channel.
	if e.Secure && !r.Secure {
		return nil, false, false
	}
	if prefixRefused(e) != "" {
		return nil, false, false
	}
	// CHIPS: a Partitioned cookie lives in the request's partition.
	if c.Partitioned {
		if r.Partition == "" {
			return nil, false, false
		}
		e.Partition = r.Partition
	}
	// Step 13: a cookie from an insecure channel cannot shadow a Secure one
	// ("leave secure cookies alone").
	if !r.Secure && s.shadowsSecure(e) {
		return nil, false, false
	}
	return e, remove, true
}

// domainOf returns the cookie's domain for its Domain attribute attr on a
// response from host: "" for a host-only cookie, or the canonical domain.
// failed reports that the storage model ignores the cookie (steps 7 to 9 of
// section 5.7): a domain the host does not domain-match, or a public suffix
// other than the host itself.
func (s *Store) domainOf(attr, host string) (domain string, failed bool) {
	if attr == "" {
		return "", false
	}
	attr = strings.TrimPrefix(attr, ".")
	d, ok := canonicalHost(&url.URL{Scheme: "http", Host: attr})
	if !ok || attr == "" {
		return "", true
	}
	if isIP(host) {
		// An IP address is matched whole: Domain can only repeat it.
		if d != host {
			return "", true
		}
		return "", false
	}
	if s.psl.PublicSuffix(d) == d {
		// A public suffix: a cookie for the host itself only.
		if d == host {
			return "", false
		}
		return "", true
	}
	if !domainMatch(host, d) {
		return "", true
	}
	return d, false
}

// shadowsSecure reports whether a stored Secure cookie has e's name and a
// domain and path that overlap e's (RFC 6265bis section 5.7 step 13).
func (s *Store) shadowsSecure(e *entry) bool {
	for _, old := range s.entries[s.bucket(e.Domain)] {
		if !old.Secure || old.Name != e.Name || old.Partition != e.Partition {
			continue
		}
		if (domainMatch(old.Domain, e.Domain) || domainMatch(e.Domain, old.Domain)) && pathMatch(e.Path, old.Path) {
			return true
		}
	}
	return false
}

// insert replaces the stored cookie with e's name, domain, host-only flag,
// path and partition (keeping its creation time), or adds e, evicting
// cookies as the Limits say. With remove, the old cookie is only deleted.
// An old cookie that has expired is deleted and e added as a new one.
func (s *Store) insert(e *entry, remove bool, now time.Time) {
	e.key = s.bucket(e.Domain)
	list := s.entries[e.key]
	for i, old := range list {
		if old.Name != e.Name || old.Domain != e.Domain || old.HostOnly != e.HostOnly || old.Path != e.Path || old.Partition != e.Partition {
			continue
		}
		if remove || old.expired(now) {
			s.remove([]*entry{old})
			break
		}
		e.Creation, e.seq = old.Creation, old.seq
		list[i] = e
		return
	}
	if !remove {
		s.add(e, now)
	}
}

// expired reports whether e's expiry has passed at now.
func (e *entry) expired(now time.Time) bool { return !e.Expiry.IsZero() && !e.Expiry.After(now) }

// Get returns the cookies a request r carries, in the order of RFC 6265bis
// section 5.8.3 (longer paths first, then earlier creation), each with its
// attributes: Domain is "" for a host-only cookie, Expires is zero for a
// session cookie, and Partitioned marks a cookie of r.Partition. It returns
// every cookie the retrieval algorithm selects without looking at SameSite,
// which the caller applies. Each returned cookie is a new value.
//
// [retrieval algorithm]: https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-retrieval-algorithm
func (s *Store) Get(r Request) []*http.Cookie {
	host, ok := canonicalHost(r.URL)
	if !ok {
		return nil
	}
	path := r.URL.Path
	if path == "" {
		path = "/"
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.entries[s.bucket(host)]
	selected := make([]*entry, 0, len(list))
	for _, e := range list {
		switch {
		case e.expired(now),
			e.Partition != "" && e.Partition != r.Partition,
			e.HostOnly && e.Domain != host,
			!e.HostOnly && !domainMatch(host, e.Domain),
			!pathMatch(path, e.Path),
			e.Secure && !r.Secure:
			continue
		}
		selected = append(selected, e)
	}
	slices.SortFunc(selected, func(a, b *entry) int {
		if len(a.Path) != len(b.Path) {
			return len(b.Path) - len(a.Path)
		}
		if c := a.Creation.Compare(b.Creation); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]*http.Cookie, len(selected))
	for i, e := range selected {
		if iv := s.limits.AccessInterval; iv <= 0 || now.Sub(e.Access) >= iv {
			e.Access = now
		}
		c := &http.Cookie{Name: e.Name, Value: e.Value, Path: e.Path, Secure: e.Secure, HttpOnly: e.HTTPOnly,
			SameSite: e.SameSite, Partitioned: e.Partition != "", Expires: e.Expiry}
		if !e.HostOnly {
			c.Domain = e.Domain
		}
		out[i] = c
	}
	return out
}

// Len returns the number of cookies stored, expired ones not yet evicted
// included.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// bucket returns the key cookies of domain are kept under: its registrable
// domain, or domain itself when it has none (an IP address, a public
// suffix), so that every cookie a host can match is in its bucket.
func (s *Store) bucket(domain string) string {
	if isIP(domain) {
		return domain
	}
	if rd, err := publicsuffix.EffectiveTLDPlusOne(domain); err == nil {
		return rd
	}
	return domain
}

// canonicalHost returns the canonicalized host name of an http or https
// URL (RFC 6265bis section 5.1.2: lower case, IDNA A-labels), without
// brackets for IPv6, or false for other URLs.
func canonicalHost(u *url.URL) (string, bool) {
	if u == nil || u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	o := origin.FromURL(u)
	if o.IsOpaque() || o.Host() == "" {
		return "", false
	}
	h := strings.TrimSuffix(strings.TrimPrefix(o.Host(), "["), "]")
	return strings.TrimSuffix(h, "."), true
}

// isIP reports whether host is an IPv4 or IPv6 address.
func isIP(host string) bool { return net.ParseIP(host) != nil }

// domainMatch reports whether host domain-matches domain (RFC 6265bis
// section 5.1.3): the same string, or host ends in "." and domain, host not
// being an IP address.
func domainMatch(host, domain string) bool {
	if host == domain {
		return true
	}
	return !isIP(host) && len(host) > len(domain) && strings.HasSuffix(host, domain) && host[len(host)-len(domain)-1] == '.'
}

// pathMatch reports whether the request path path-matches the cookie path
// (RFC 6265bis section 5.1.4).
func pathMatch(path, cookiePath string) bool {
	if path == cookiePath {
		return true
	}
	if !strings.HasPrefix(path, cookiePath) {
		return false
	}
	return strings.HasSuffix(cookiePath, "/") || path[len(cookiePath)] == '/'
}

// defaultPath returns the default-path of a request path (RFC 6265bis
// section 5.1.4): up to, not including, its last "/", or "/".
func defaultPath(path string) string {
	if !strings.HasPrefix(path, "/") {
		return "/"
	}
	i := strings.LastIndexByte(path, '/')
	if i == 0 {
		return "/"
	}
	return path[:i]
}

// prefixRefused returns why the name of e has a prefix that e does not
// satisfy, or "": steps 16 and 17 of RFC 6265bis section 5.7, the
// __Secure- and __Host- prefixes, in any case.
func prefixRefused(e *entry) string {
	switch {
	case hasPrefixFold(e.Name, "__Secure-") && !e.Secure:
		return "a __Secure- cookie must be Secure"
	case hasPrefixFold(e.Name, "__Host-") && (!e.Secure || !e.HostOnly || e.Path != "/"):
		return "a __Host- cookie must be Secure, host-only and for Path /"
	}
	return ""
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
