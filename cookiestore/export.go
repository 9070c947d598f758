package cookiestore

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Cookie is a stored cookie with what an http.Cookie cannot say: the
// host-only flag and the partition. [Store.All] returns cookies of this
// type and [Store.Import] takes them back, so that Import(All()) into a new
// store gives the same cookies; [ReadNetscape] and [WriteNetscape] read and
// write them as curl does.
type Cookie struct {
	// Cookie holds the name, the value and the attributes. Domain is the
	// cookie's domain and never empty: for a host-only cookie, the host
	// that set it. Expires is zero for a session cookie, and Partitioned
	// reports whether Partition is set. Import also takes MaxAge, as
	// Set-Cookie's Max-Age; All leaves it 0, and Raw and Unparsed empty.
	http.Cookie

	// HostOnly reports that the cookie goes to Domain only, not to its
	// subdomains: it was set without a Domain attribute. A cookie for an IP
	// address is always host-only.
	HostOnly bool

	// Partition is the key of the partition of a Partitioned (CHIPS)
	// cookie, the top-level site as Request.Partition has it
	// ("https://app.example"); "" for an unpartitioned cookie.
	Partition string
}

// All returns every cookie of the store that has not expired, with its
// attributes, the earliest created first; a cookie replaced by a newer one
// of the same name, domain, host-only flag, path and partition keeps its
// place. Export does not count as an access.
func (s *Store) All() []Cookie {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]*entry, 0, s.total)
	for _, l := range s.entries {
		for _, e := range l {
			if !e.expired(now) {
				list = append(list, e)
			}
		}
	}
	slices.SortFunc(list, func(a, b *entry) int {
		if c := a.Creation.Compare(b.Creation); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]Cookie, len(list))
	for i, e := range list {
		out[i] = Cookie{
			Cookie: http.Cookie{
				Name: e.Name, Value: e.Value, Domain: e.Domain, Path: e.Path, Expires: e.Expiry,
				Secure: e.Secure, HttpOnly: e.HTTPOnly, SameSite: e.SameSite, Partitioned: e.Partition != "",
			},
			HostOnly:  e.HostOnly,
			Partition: e.Partition,
		}
	}
	return out
}

// Import stores cookies as they are given, in order, as a browser restores
// its cookies from disk: none of the checks of a Set-Cookie field that
// depend on the response (its host, the channel's security) apply, so a
// cookie keeps its domain, host-only flag, path, partition and attributes.
// An empty Path means "/"; Domain may have a leading dot. Each cookie is
// added or replaces the stored one of the same name, domain, host-only
// flag, path and partition, as Set does, evicting past the Limits; one
// that has expired (Expires in the past, or a negative MaxAge) only deletes
// the cookie it would replace.
//
// Import refuses a cookie the store could not have set, and reports each
// in the error, having stored the others: no name and no value, a name and
// value over 4096 bytes, a control character other than HTAB, a ';' (or a
// '=' in the name), a Domain that is not a host name or IP address, a
// domain cookie for a public suffix, a Path that does not start with "/" or
// is over 1024 bytes, a __Secure- or __Host- name without what its prefix
// requires, and Partitioned without a Partition.
func (s *Store) Import(cookies []Cookie) error {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for i := range cookies {
		c := &cookies[i]
		e, err := entryOf(c)
		if err == nil && !e.HostOnly && s.psl.PublicSuffix(e.Domain) == e.Domain {
			err = refusal(c, "a domain cookie for the public suffix "+e.Domain+" would reach every site under it")
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e.Creation, e.Access = now, now
		remove := false
		switch {
		case c.MaxAge < 0:
			remove = true
		case c.MaxAge > 0:
			e.Expiry = now.Add(time.Duration(c.MaxAge) * time.Second)
		case !c.Expires.IsZero():
			e.Expiry, remove = c.Expires, !c.Expires.After(now)
		}
		s.insert(e, remove, now)
	}
	return errors.Join(errs...)
}

// entryOf checks c as Import and ReadNetscape do, but for the public
// suffix, and returns it as a stored cookie without times.
func entryOf(c *Cookie) (*entry, error) {
	if why := nameValueRefused(c.Name, c.Value); why != "" {
		return nil, refusal(c, why)
	}
	domain, ok := canonicalDomain(c.Domain)
	if !ok {
		return nil, refusal(c, fmt.Sprintf("domain %q is not a host name or IP address", c.Domain))
	}
	path := c.Path
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") || len(path) > 1024 || hasCTL(path) || strings.ContainsAny(path, ";\t") {
		return nil, refusal(c, fmt.Sprintf("path %q: want a path that starts with / and has at most 1024 bytes, without ';' or control characters", c.Path))
	}
	if c.Partitioned && c.Partition == "" {
		return nil, refusal(c, "Partitioned, without a Partition (the top-level site)")
	}
	e := &entry{
		Name: c.Name, Value: c.Value, Domain: domain, Path: path, Partition: c.Partition,
		HostOnly: c.HostOnly || isIP(domain), Secure: c.Secure, HTTPOnly: c.HttpOnly, SameSite: c.SameSite,
	}
	if why := prefixRefused(e); why != "" {
		return nil, refusal(c, why)
	}
	return e, nil
}

// refusal is the error for a cookie Import refuses.
func refusal(c *Cookie, why string) error {
	return fmt.Errorf("cookie %q for %q: %s", c.Name, c.Domain, why)
}

// nameValueRefused returns why a name and value cannot be a cookie's, or
// "": RFC 6265bis section 5.6 ignores a name-value pair with control
// characters but HTAB, and section 5.7 one with neither name nor value or
// over 4096 bytes; a name cannot hold '=', nor either a ';', as the Cookie
// header could not carry them.
func nameValueRefused(name, value string) string {
	switch {
	case name == "" && value == "":
		return "no name and no value"
	case len(name)+len(value) > 4096:
		return "name and value over 4096 bytes"
	case hasCTL(name) || hasCTL(value):
		return "a control character in the name or value"
	case strings.ContainsRune(name, '=') || strings.ContainsRune(name, ';') || strings.ContainsRune(value, ';'):
		return "a '=' in the name, or a ';'"
	}
	return ""
}

// hasCTL reports whether s has a control character other than HTAB.
func hasCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 && b != '\t' || b == 0x7f {
			return true
		}
	}
	return false
}

// canonicalDomain returns the canonical form of a cookie's domain, as
// canonicalHost does for a URL's host, without a leading dot: lower case,
// IDNA A-labels, IPv4 addresses in dotted decimal, IPv6 ones without
// brackets. It reports false for what is not a host (a port, a path,
// forbidden code points, an empty string, an empty label) and for a domain
// whose canonical form is not its own ("0x7f.." is a domain, "0x7f." an
// IPv4 address), so that a canonical domain reads back as itself.
func canonicalDomain(d string) (string, bool) {
	h, ok := hostOfDomain(strings.TrimPrefix(d, "."))
	if !ok {
		return "", false
	}
	again, ok := hostOfDomain(h)
	return h, ok && again == h
}

// hostOfDomain returns canonicalHost of a URL whose host is d.
func hostOfDomain(d string) (string, bool) {
	if d == "" {
		return "", false
	}
	if strings.Contains(d, ":") && !(strings.HasPrefix(d, "[") && strings.HasSuffix(d, "]")) {
		d = "[" + d + "]" // an IPv6 address, or nothing
	}
	u := &url.URL{Scheme: "http", Host: d}
	if u.Port() != "" {
		return "", false
	}
	h, ok := canonicalHost(u)
	emptyLabel := strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") || strings.Contains(h, "..")
	return h, ok && h != "" && !emptyLabel
}
