package origin

import (
	"errors"
	"fmt"
	"hash/maphash"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/net/publicsuffix"
)

// An Origin is a tuple origin (scheme, host, port) or an opaque origin.
//
// Origins are comparable: for tuple origins == is the same origin test, and an
// opaque origin is == only to itself (and copies of it). The zero Origin is
// neither: it is the absence of an origin, reported by [Origin.IsZero],
// serialized as "", and same origin and same site with nothing.
//
// [origin]: https://html.spec.whatwg.org/multipage/browsers.html#concept-origin
type Origin struct {
	scheme  string
	host    string // serialized: lower-case ASCII domain, IPv4, or [IPv6]
	port    uint16
	hasPort bool   // false when the port is null (absent or the default)
	opaque  uint64 // non-zero for an opaque origin: its identity
}

var opaqueIDs atomic.Uint64

// NewOpaque returns a new opaque origin, equal to no origin but itself.
//
// [opaque origin]: https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-opaque
func NewOpaque() Origin { return Origin{opaque: opaqueIDs.Add(1)} }

// defaultPort returns the default port of a scheme that has one.
//
// [default port]: https://url.spec.whatwg.org/#default-port
func defaultPort(scheme string) (uint16, bool) {
	switch scheme {
	case "http", "ws":
		return 80, true
	case "https", "wss":
		return 443, true
	case "ftp":
		return 21, true
	}
	return 0, false
}

// isTupleScheme reports whether URLs of scheme have a tuple origin.
func isTupleScheme(scheme string) bool {
	_, ok := defaultPort(scheme)
	return ok
}

// newTuple builds a tuple origin from a scheme (already lower case), a raw
// host and a raw port ("" for none), parsing both as the URL Standard does.
func newTuple(scheme, rawHost, rawPort string) (Origin, error) {
	host, err := parseHost(rawHost)
	if err != nil {
		return Origin{}, err
	}
	o := Origin{scheme: scheme, host: host}
	if rawPort != "" {
		if strings.Trim(rawPort, "0123456789") != "" {
			return Origin{}, fmt.Errorf("port %q is not a number", rawPort)
		}
		p, err := strconv.ParseUint(rawPort, 10, 16)
		if err != nil {
			return Origin{}, fmt.Errorf("port %q is out of range", rawPort)
		}
		if def, _ := defaultPort(scheme); uint16(p) != def {
			o.port, o.hasPort = uint16(p), true
		}
	}
	return o, nil
}

// FromURL returns the origin of u as the URL Standard defines it:
//
//   - http, https, ws, wss and ftp URLs have the tuple (scheme, host, port),
//     the port left out when it is the scheme's default;
//   - a blob: URL has the origin of the http, https or file URL in its path,
//     and a new opaque origin otherwise;
//   - any other URL (file, data, about, javascript, unknown schemes) has a
//     new opaque origin, so it is not even same origin with itself.
//
// A URL whose host the URL Standard would reject also gets a new opaque
// origin; use [FromURLStrict] to learn why. A nil u gives the zero Origin.
//
// [origin of a URL]: https://url.spec.whatwg.org/#concept-url-origin
func FromURL(u *url.URL) Origin {
	o, err := FromURLStrict(u)
	if err != nil {
		return NewOpaque()
	}
	return o
}

// FromURLStrict is like [FromURL] but reports an error, instead of returning
// a new opaque origin, when u is nil or when its scheme calls for a tuple
// origin and its host or port is not valid: an empty host, a host with a
// forbidden code point or failing IDNA, an IPv4 number out of range, a port
// above 65535. A browser would not have parsed such a URL at all.
func FromURLStrict(u *url.URL) (Origin, error) {
	if u == nil {
		return Origin{}, errors.New("origin: nil URL")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "blob":
		// The origin of the URL in the path when it is http(s); file: URLs
		// and everything else give a new opaque origin.
		inner, err := url.Parse(u.Opaque)
		if err != nil || u.Opaque == "" {
			return NewOpaque(), nil
		}
		switch strings.ToLower(inner.Scheme) {
		case "http", "https":
			if o, err := FromURLStrict(inner); err == nil {
				return o, nil
			}
		}
		return NewOpaque(), nil
	case isTupleScheme(scheme):
		o, err := newTuple(scheme, hostOf(u), u.Port())
		if err != nil {
			return Origin{}, fmt.Errorf("origin: URL %q: %w", u.Redacted(), err)
		}
		return o, nil
	}
	return NewOpaque(), nil
}

// hostOf returns u's host without the port, keeping IPv6 brackets.
func hostOf(u *url.URL) string {
	h := u.Host
	if strings.HasPrefix(h, "[") {
		if i := strings.LastIndex(h, "]"); i >= 0 {
			return h[:i+1]
		}
		return h
	}
	return u.Hostname()
}

// ParseError reports why a string is not a serialized origin.
type ParseError struct {
	Input   string // the string given to Parse
	Problem string // what is wrong with it
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("origin: %q is not a serialized origin: %s", e.Input, e.Problem)
}

// Parse parses the ASCII serialization of an origin, such as
// "https://a.example:8443", "http://[::1]:8080" or "null". "null" gives a new
// opaque origin. Anything that is not an origin is an error naming the
// problem: a path (a trailing slash included), query, fragment or userinfo, an
// empty host, a port that is empty, not a number or above 65535, and a scheme
// whose URLs have no tuple origin (file, data, ...) or no "://".
//
// Upper-case letters, Unicode hosts and a default port written out are
// accepted and normalized: Parse("HTTPS://Bücher.example:443").String() is
// "https://xn--bcher-kva.example".
//
// [ASCII serialization]: https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
func Parse(serialized string) (Origin, error) {
	fail := func(problem string) (Origin, error) {
		return Origin{}, &ParseError{Input: serialized, Problem: problem}
	}
	if serialized == "null" {
		return NewOpaque(), nil
	}
	if serialized == "" {
		return fail("empty string")
	}
	schemeEnd := strings.Index(serialized, "://")
	if schemeEnd < 0 {
		if strings.EqualFold(serialized, "null") {
			return fail(`"null" is case-sensitive`)
		}
		return fail(`no "://" after the scheme`)
	}
	scheme := strings.ToLower(serialized[:schemeEnd])
	if scheme == "" {
		return fail("empty scheme")
	}
	if !isTupleScheme(scheme) {
		return fail(fmt.Sprintf("scheme %q has no tuple origin (only http, https, ws, wss and ftp do)", scheme))
	}
	rest := serialized[schemeEnd+3:]
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		switch rest[i] {
		case '/':
			if i == len(rest)-1 {
				return fail("trailing slash (an origin has no path)")
			}
			return fail("path (an origin has no path)")
		case '?':
			return fail("query (an origin has no query)")
		default:
			return fail("fragment (an origin has no fragment)")
		}
	}
	if strings.Contains(rest, "@") {
		return fail("userinfo (an origin has no user name or password)")
	}
	host, port := rest, ""
	if strings.HasPrefix(rest, "[") {
		end := strings.Index(rest, "]")
		if end < 0 {
			return fail("IPv6 address without closing bracket")
		}
		host, port = rest[:end+1], rest[end+1:]
		if port != "" {
			if port[0] != ':' {
				return fail("unexpected text after the IPv6 address")
			}
			port = port[1:]
			if port == "" {
				return fail("empty port after ':'")
			}
		}
	} else if i := strings.LastIndex(rest, ":"); i >= 0 {
		host, port = rest[:i], rest[i+1:]
		if port == "" {
			return fail("empty port after ':'")
		}
	}
	if host == "" {
		return fail("empty host")
	}
	o, err := newTuple(scheme, host, port)
	if err != nil {
		return fail(err.Error())
	}
	return o, nil
}

// MustParse is like [Parse] but panics if serialized is not an origin. It is
// meant for constants in programs and tests.
func MustParse(serialized string) Origin {
	o, err := Parse(serialized)
	if err != nil {
		panic(err)
	}
	return o
}

// String returns the ASCII serialization of o: "null" for an opaque origin,
// otherwise scheme "://" host, then ":" port unless the port is the scheme's
// default. The zero Origin serializes as "".
//
// [ASCII serialization]: https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
func (o Origin) String() string {
	switch {
	case o.opaque != 0:
		return "null"
	case o.scheme == "":
		return ""
	case o.hasPort:
		return o.scheme + "://" + o.host + ":" + strconv.Itoa(int(o.port))
	}
	return o.scheme + "://" + o.host
}

// IsZero reports whether o is the zero Origin, which is no origin at all.
func (o Origin) IsZero() bool { return o == Origin{} }

// IsOpaque reports whether o is an opaque origin.
//
// [opaque origin]: https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-opaque
func (o Origin) IsOpaque() bool { return o.opaque != 0 }

// Scheme returns the scheme of a tuple origin, "" otherwise.
func (o Origin) Scheme() string { return o.scheme }

// Host returns the serialized host of a tuple origin (IPv6 in brackets), ""
// otherwise.
func (o Origin) Host() string { return o.host }

// Port returns the port of a tuple origin and true, or 0 and false when the
// port is null: the scheme's default, or an opaque or zero origin.
func (o Origin) Port() (int, bool) { return int(o.port), o.hasPort }

// SameOrigin reports whether o and p are the same origin: the same opaque
// origin, or tuple origins with identical scheme, host and port. The zero
// Origin is same origin with nothing.
//
// [same origin]: https://html.spec.whatwg.org/multipage/browsers.html#same-origin
func (o Origin) SameOrigin(p Origin) bool { return o == p && !o.IsZero() }

// site returns the scheme and the site host of a tuple origin: the host's
// registrable domain, or the host itself when it has none (IP addresses,
// public suffixes such as "localhost" or "github.io").
//
// [obtain a site]: https://html.spec.whatwg.org/multipage/browsers.html#obtain-a-site
func (o Origin) site() (scheme, host string) {
	return o.scheme, registrableDomainOr(o.host)
}

// registrableDomainOr returns the registrable domain of host, or host itself
// when that is null. A trailing dot is kept, as the URL Standard keeps it.
// Results are remembered in siteCache: the public suffix list's look-up
// allocates for every domain (x/net's PublicSuffix first tries the name as
// an IP address), and a fetch asks for the sites of the same few hosts on
// every request.
//
// [registrable domain]: https://url.spec.whatwg.org/#host-registrable-domain
func registrableDomainOr(host string) string {
	slot := &siteCache[maphash.String(siteSeed, host)%uint64(len(siteCache))]
	if e := slot.Load(); e != nil && e.host == host {
		return e.site
	}
	// A copy, so that a slot never keeps the caller's larger string alive.
	host = strings.Clone(host)
	site := lookupRegistrableDomainOr(host)
	slot.Store(&siteEntry{host: host, site: site})
	return site
}

// siteCache is a direct-mapped cache of registrableDomainOr's results: a
// fixed number of slots, each holding the last host hashed to it, so its
// memory is bounded and a look-up takes no lock.
var (
	siteCache [256]atomic.Pointer[siteEntry]
	siteSeed  = maphash.MakeSeed()
)

type siteEntry struct{ host, site string }

// lookupRegistrableDomainOr is registrableDomainOr without the cache.
func lookupRegistrableDomainOr(host string) string {
	if strings.HasPrefix(host, "[") {
		return host
	}
	// A serialized IPv4 address starts with a digit; parsing only those
	// spares a domain the parse error's allocation.
	if host != "" && '0' <= host[0] && host[0] <= '9' {
		if _, err := netip.ParseAddr(host); err == nil {
			return host
		}
	}
	h, dot := strings.CutSuffix(host, ".")
	rd, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		return host
	}
	if dot {
		rd += "."
	}
	return rd
}

// Site returns the serialization of o's schemeful site: the scheme, "://"
// and the host's registrable domain (or the host itself when it has none),
// "https://example.com" for https://a.example.com:8443; "null" for an opaque
// origin and "" for the zero Origin. Two tuple origins are same site when
// their sites are equal.
//
// [obtain a site]: https://html.spec.whatwg.org/multipage/browsers.html#obtain-a-site
func (o Origin) Site() string {
	switch {
	case o.IsZero():
		return ""
	case o.opaque != 0:
		return "null"
	}
	scheme, host := o.site()
	return scheme + "://" + host
}

// SameSite reports whether o and p are schemefully same site: the same opaque
// origin, or tuple origins with the same scheme whose hosts have the same
// registrable domain (hosts without one, IP addresses included, are compared
// whole). Ports do not matter: http://127.0.0.1:8080 and http://127.0.0.1:9090
// are same site, cross origin; http://127.0.0.1 and http://127.0.0.2 are cross
// site, and so are http://a.example and https://a.example.
//
// [same site]: https://html.spec.whatwg.org/multipage/browsers.html#same-site
func (o Origin) SameSite(p Origin) bool {
	if o.IsZero() || p.IsZero() {
		return false
	}
	if o.opaque != 0 || p.opaque != 0 {
		return o.opaque == p.opaque
	}
	s1, h1 := o.site()
	s2, h2 := p.site()
	return s1 == s2 && h1 == h2
}

// IsPotentiallyTrustworthy reports whether o is a potentially trustworthy
// origin: https or wss, a loopback address (127.0.0.0/8, ::1), or localhost
// and its subdomains. Opaque and zero origins are not.
//
// [potentially trustworthy origin]: https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy
func (o Origin) IsPotentiallyTrustworthy() bool {
	if o.opaque != 0 || o.scheme == "" {
		return false
	}
	if o.scheme == "https" || o.scheme == "wss" {
		return true
	}
	h := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(o.host, "["), "]"), ".")
	// A serialized IP address starts with a digit (IPv4) or holds a colon
	// (IPv6); only those are parsed, which spares domains a parse error.
	if h != "" && ('0' <= h[0] && h[0] <= '9' || strings.Contains(h, ":")) {
		if a, err := netip.ParseAddr(h); err == nil {
			return a.IsLoopback()
		}
	}
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}

// IsURLPotentiallyTrustworthy reports whether u is a potentially trustworthy
// URL: about:blank, about:srcdoc, a data: URL, a file: URL, or a URL whose
// origin is potentially trustworthy.
//
// [potentially trustworthy URL]: https://w3c.github.io/webappsec-secure-contexts/#potentially-trustworthy-url
func IsURLPotentiallyTrustworthy(u *url.URL) bool {
	if u == nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "about":
		return u.Opaque == "blank" || u.Opaque == "srcdoc"
	case "data", "file":
		return true
	}
	return FromURL(u).IsPotentiallyTrustworthy()
}
