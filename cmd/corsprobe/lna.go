package main

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// Local Network Access in corsprobe: the page's address space (given, or
// chosen by the default rule), the permissions granted, and the report of
// the check. The verdict is always the Transport's; what is computed here
// only describes it: the server's space, and which permission the request
// needs.

// How the page's address space was chosen (LNA.PageSpaceSource).
const (
	spaceFromFlag     = "flag"     // -page-address-space
	spaceFromOverride = "override" // -address-space-overrides covers the page's address
	spaceFromDefault  = "default"  // corsprobe's rule (defaultPage)
)

// lnaSettings are the Local Network Access settings of the command line.
type lnaSettings struct {
	// space is the page's address space of -page-address-space; set
	// reports whether the flag was given, so that the default rule
	// applies otherwise.
	space fetch.AddressSpace
	set   bool
	// grants are the permissions of -grant.
	grants fetch.Permissions
	// overrides are those of -address-space-overrides.
	overrides []fetch.AddressSpaceOverride
	// target is the targetAddressSpace of -target-address-space.
	target fetch.AddressSpace
}

// Permission names, as the Permissions API and Chrome's prompt name them.
const (
	permLocal    = "local-network"
	permLoopback = "loopback-network"
	// permLegacy is the single permission that Chromium had before it
	// split it in two, and still takes as an alias of both.
	permLegacy = "local-network-access"
)

// parseGrants reads the values of -grant, each one or a comma-separated
// list of permission names.
func parseGrants(values []string) (fetch.Permissions, error) {
	var p fetch.Permissions
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			switch strings.TrimSpace(name) {
			case permLocal:
				p.LocalNetwork = true
			case permLoopback:
				p.LoopbackNetwork = true
			case permLegacy:
				p.LocalNetwork, p.LoopbackNetwork = true, true
			default:
				return p, fmt.Errorf("-grant %q: want %s, %s or %s (both)", strings.TrimSpace(name), permLocal, permLoopback, permLegacy)
			}
		}
	}
	return p, nil
}

// parseSpace reads an address space flag.
func parseSpace(flagName, value string) (fetch.AddressSpace, error) {
	var s fetch.AddressSpace
	if err := s.UnmarshalText([]byte(value)); err != nil {
		return s, fmt.Errorf("-%s: %v", flagName, err)
	}
	return s, nil
}

// permissionFor returns the permission a local network request to a
// server in space needs.
func permissionFor(space fetch.AddressSpace) string {
	if space == fetch.AddressSpaceLoopback {
		return permLoopback
	}
	return permLocal
}

// granted reports whether p grants the permission a request to a server
// in space needs.
func granted(p fetch.Permissions, space fetch.AddressSpace) bool {
	if space == fetch.AddressSpaceLoopback {
		return p.LoopbackNetwork
	}
	return p.LocalNetwork
}

// classifier finds the address space of a server as the Transport does,
// with fetch.Transport.ServerAddressSpace: the profile's table, the
// overrides first, the least public of a name's addresses, unknown through
// a proxy.
type classifier struct {
	profile   fetch.Profile
	overrides []fetch.AddressSpaceOverride
	resolver  fetch.Resolver    // nil: net.DefaultResolver
	base      http.RoundTripper // its Proxy, when an *http.Transport
}

// server is where a URL's server is.
type server struct {
	host string // the URL's host name or address
	fetch.ServerSpace
}

// describe says where the server is, such as "127.0.0.1 is loopback" or
// "api.test resolves to 10.0.0.5, local".
func (s server) describe() string {
	switch {
	case s.Proxied:
		return s.host + " is reached through a proxy, whose space counts as unknown"
	case s.Err != nil:
		return s.host + " does not resolve"
	}
	by := ""
	if s.Overridden {
		by = " by -address-space-overrides"
	}
	if s.Resolved {
		return s.host + " resolves to " + s.Addr.Addr().String() + ", " + s.Space.String() + by
	}
	return s.host + " is " + s.Space.String() + by
}

// classify returns where the server of u is.
func (c classifier) classify(ctx context.Context, u *url.URL) server {
	t := &fetch.Transport{Browser: c.profile, Base: c.base, Resolver: c.resolver, AddressSpaceOverrides: c.overrides}
	return server{host: u.Hostname(), ServerSpace: t.ServerAddressSpace(ctx, u)}
}

// isLocal reports whether s is local or loopback.
func isLocal(s fetch.AddressSpace) bool {
	return s == fetch.AddressSpaceLocal || s == fetch.AddressSpaceLoopback
}

// pageChoice is the page's address space and why.
type pageChoice struct {
	space  fetch.AddressSpace
	source string // spaceFromFlag, spaceFromOverride or spaceFromDefault
	// reason says why, in a clause: "app.example is a name; 127.0.0.1
	// is loopback".
	reason string
	// note says why no check runs, for a default of unknown while the
	// server is local or loopback; "" otherwise.
	note string
}

// defaultPage is corsprobe's rule for the page's address space when
// -page-address-space is not given. corsprobe probes real servers from a
// page that is usually deployed on the internet: the page is public when
// its host is a name (not an address, not localhost) other than the URL's
// host, and the URL's server is local or loopback; else unknown, which
// makes no check. An override that covers the page's address (an address,
// or localhost as 127.0.0.1 and ::1) gives the page its space, as
// Chromium's switch does.
func (c classifier) defaultPage(ctx context.Context, page origin.Origin, u *url.URL) pageChoice {
	srv := c.classify(ctx, u)
	if !isLocal(srv.Space) {
		return pageChoice{source: spaceFromDefault, reason: srv.describe()}
	}
	host := strings.TrimSuffix(strings.Trim(page.Host(), "[]"), ".")
	if o, ok := c.pageOverride(page, host); ok {
		return pageChoice{space: o.Space, source: spaceFromOverride, reason: "-address-space-overrides makes the page's address " + o.Addr.String() + " " + o.Space.String()}
	}
	const off = "Local Network Access was not checked: "
	unknown := pageChoice{source: spaceFromDefault, reason: srv.describe()}
	switch a, err := netip.ParseAddr(host); {
	case page.IsOpaque() || page.IsZero():
		unknown.note = off + "the page's origin is opaque, so its address space is not known; -page-address-space gives it."
	case err == nil && c.profile.LocalNetwork.Addresses.Classify(a) == fetch.AddressSpaceLoopback:
		unknown.note = off + "the page's host " + host + " is loopback, and no request from a loopback page is a local network request."
	case err == nil:
		sp := c.profile.LocalNetwork.Addresses.Classify(a)
		unknown.note = fmt.Sprintf("%sthe page's host %s is an address (%s), and corsprobe assumes a public page only for a name: -page-address-space %s checks the fetch as from that page.", off, host, sp, sp)
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		unknown.note = off + "the page is on this machine (" + host + "), loopback, and no request from a loopback page is a local network request."
	case strings.EqualFold(host, strings.TrimSuffix(srv.host, ".")):
		unknown.note = off + "the page comes from the same host as the URL, so from the same address space."
	default:
		return pageChoice{space: fetch.AddressSpacePublic, source: spaceFromDefault, reason: host + " is a name; " + srv.describe()}
	}
	return unknown
}

// pageOverride returns the space an override gives the page's address
// (its host when an address, 127.0.0.1 or ::1 for localhost) and that
// address, with the page's port.
func (c classifier) pageOverride(page origin.Origin, host string) (server, bool) {
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		addrs = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}
	}
	port := ""
	if n, ok := page.Port(); ok {
		port = ":" + strconv.Itoa(n)
	}
	for _, a := range addrs {
		host := a.String()
		if a.Is6() {
			host = "[" + host + "]"
		}
		c.base = nil // the page's own address is never reached through a proxy
		if s := c.classify(context.Background(), &url.URL{Scheme: page.Scheme(), Host: host + port}); s.Overridden {
			return s, true
		}
	}
	return server{}, false
}

// lnaReport describes the Local Network Access check of the fetch r
// reports, whose failure (nil when allowed) is fe; nil when no check ran.
func (p *prober) lnaReport(ctx context.Context, r *Report, fe *fetch.Error) *LNA {
	if p.pageSpace.space == fetch.AddressSpaceUnknown || p.browser.LocalNetwork.Off {
		return nil
	}
	u := serverURL(r, fe)
	srv := p.classifier().classify(ctx, u)
	if fe != nil && isLNAReason(fe.Reason) {
		srv.Space = fe.AddressSpace
	}
	l := &LNA{
		PageAddressSpace:   p.pageSpace.space.String(),
		PageSpaceSource:    p.pageSpace.source,
		PageSpaceReason:    p.pageSpace.reason,
		SecureContext:      p.page.IsPotentiallyTrustworthy(),
		ServerURL:          u.String(),
		ServerAddressSpace: srv.Space.String(),
	}
	if srv.Addr.IsValid() {
		l.ServerAddress = srv.Addr.String()
	}
	less := p.browser.LocalNetwork.IsLocalNetworkRequest(p.pageSpace.space, srv.Space)
	l.exempt = less && origin.IsURLPotentiallyTrustworthy(u) && p.page.SameOrigin(origin.FromURL(u))
	l.LocalNetworkRequest = less && !l.exempt
	if l.LocalNetworkRequest {
		l.Permission = permissionFor(srv.Space)
		l.Granted = granted(p.t.Permissions, srv.Space)
	}
	return l
}

// serverURL is the URL whose server the LNA report describes: the one
// being fetched when the fetch failed, else the last one requested.
func serverURL(r *Report, fe *fetch.Error) *url.URL {
	raw := r.Request.URL
	if x := lastExchange(r.Steps, false); x != nil {
		raw = x.Request.URL
	}
	if fe != nil && fe.URL != "" {
		raw = fe.URL
	}
	u, err := url.Parse(raw)
	if err != nil {
		u, _ = url.Parse(r.Request.URL)
	}
	return u
}

// isLNAReason reports whether a failure is one of the Local Network
// Access check's.
func isLNAReason(r fetch.Reason) bool {
	switch r {
	case fetch.ReasonLocalNetworkAccessDenied, fetch.ReasonInsecureLocalNetwork, fetch.ReasonInvalidLocalNetworkAccess:
		return true
	}
	return false
}
