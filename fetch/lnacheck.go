package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strings"

	"github.com/corsfetch/corsfetch/origin"
)

// Resolver looks up the addresses of a host name; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Permissions are the permissions the user granted the page, named as the
// Permissions API names them. A headless browser grants none: the prompt
// is never answered, which counts as a denial.
type Permissions struct {
	// LocalNetwork is "local-network": requests to servers in the local
	// address space.
	LocalNetwork bool
	// LoopbackNetwork is "loopback-network": requests to servers in the
	// loopback address space.
	LoopbackNetwork bool
}

// The Local Network Access check. Chromium runs it on the connection a
// request is about to be sent on (LocalNetworkAccessChecker, called from
// the URL loader's OnConnected), for every request of a fetch: preflights,
// every redirect hop, a response about to be reused from the HTTP cache. A
// RoundTripper cannot be stopped between its connection and its request, so
// the Transport checks the address the host resolves to before anything is
// sent (the least public of its addresses, when it has several), and
// checks again, when Base reports the connection (net/http does, through
// httptrace), the address the request actually reached.
//
// [Local Network Access check]: https://wicg.github.io/local-network-access/#local-network-access-check

// lnaOn reports whether the page has an address space and the profile's
// engine checks local network requests.
func (f *fetchState) lnaOn() bool {
	return f.t.PageAddressSpace != AddressSpaceUnknown && !f.p.LocalNetwork.Off
}

// localNetworkCheck runs the check for a request to u before it is sent,
// from the address space u's host resolves to, and remembers that space for
// verifyConnection.
func (f *fetchState) localNetworkCheck(u *url.URL, preflight bool) *Error {
	if !f.lnaOn() {
		return nil
	}
	server := f.t.serverSpace(f.ctx, u, &f.p.LocalNetwork)
	f.lnaTarget = server.Space
	e := f.localNetworkDecision(u, server.Space)
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventLocalNetwork, Preflight: preflight, URL: u, Server: server, Err: e})
	}
	return e
}

// ServerSpace is where a server is for the Local Network Access check.
type ServerSpace struct {
	// Space is the server's address space: unknown through a proxy (as
	// Chromium counts a proxied connection) or when the host does not
	// resolve (the request then fails on the network), else the least
	// public space among the host's addresses, overrides applied.
	Space AddressSpace
	// Addr is the address Space was found for, with the URL's port; the
	// zero AddrPort when there is none.
	Addr netip.AddrPort
	// Overridden reports whether an override gave Space; Proxied whether
	// Base reaches the server through a proxy; Resolved whether the host
	// is a name that resolved to Addr (among others).
	Overridden, Proxied, Resolved bool
	// Err is the failure of the host's look-up.
	Err error
}

// ServerAddressSpace returns where the server of u is for the Local Network
// Access check of t's pages, as the check finds it before a request is
// sent: t's (or its browser's) resolver and address space overrides, the
// profile's address table, a proxy of an *http.Transport Base. It makes a
// DNS look-up for a host name.
func (t *Transport) ServerAddressSpace(ctx context.Context, u *url.URL) ServerSpace {
	p := t.Browser.resolve()
	return t.serverSpace(ctx, u, &p.LocalNetwork)
}

// serverSpace is ServerAddressSpace under the rules.
func (t *Transport) serverSpace(ctx context.Context, u *url.URL, rules *LocalNetworkRules) ServerSpace {
	if t.proxied(u) {
		return ServerSpace{Proxied: true}
	}
	port := portOf(u.Scheme, u.Port())
	space := func(a netip.Addr) ServerSpace {
		a = a.WithZone("")
		s, by := spaceOf(rules.Addresses, t.overrides(), a, port)
		return ServerSpace{Space: s, Addr: netip.AddrPortFrom(a, port), Overridden: by}
	}
	if a, err := netip.ParseAddr(u.Hostname()); err == nil {
		return space(a)
	}
	addrs, err := t.resolver().LookupNetIP(ctx, "ip", u.Hostname())
	if err == nil && len(addrs) == 0 {
		err = errNoAddress
	}
	if err != nil {
		return ServerSpace{Err: err}
	}
	least := space(addrs[0])
	for _, a := range addrs[1:] {
		if s := space(a); s.Space.rank() < least.Space.rank() {
			least = s
		}
	}
	least.Resolved = true
	return least
}

// errNoAddress is the failure of a look-up that found no address.
var errNoAddress = errors.New("fetch: the host has no address")

// localNetworkDecision returns the failure of a request to u, a server in
// the address space target, or nil when it may be sent: in the order of
// Chromium's LocalNetworkAccessChecker::CheckAddressSpace, a request to the
// page's own origin over a secure URL is exempt; a targetAddressSpace other
// than the target's fails (ReasonInvalidLocalNetworkAccess); a target not
// less public than the page passes; then a page that is not a secure
// context fails (ReasonInsecureLocalNetwork), and one that is needs the
// permission of the target's space (ReasonLocalNetworkAccessDenied).
func (f *fetchState) localNetworkDecision(u *url.URL, target AddressSpace) *Error {
	rules := f.p.LocalNetwork
	if origin.IsURLPotentiallyTrustworthy(u) && f.t.Origin.SameOrigin(origin.FromURL(u)) {
		return nil
	}
	if want := f.opts.TargetAddressSpace; want != AddressSpaceUnknown && !rules.NoTargetAddressSpace && want != target {
		e := f.fail(ReasonInvalidLocalNetworkAccess, want.String())
		e.AddressSpace = target
		return e
	}
	if !rules.IsLocalNetworkRequest(f.t.PageAddressSpace, target) {
		return nil
	}
	if !f.t.Origin.IsPotentiallyTrustworthy() && !rules.InsecurePrompts {
		e := f.fail(ReasonInsecureLocalNetwork, target.String())
		e.AddressSpace = target
		return e
	}
	granted := f.t.Permissions.LocalNetwork
	if target == AddressSpaceLoopback {
		granted = f.t.Permissions.LoopbackNetwork
	}
	if granted {
		return nil
	}
	e := f.fail(ReasonLocalNetworkAccessDenied, target.String())
	e.AddressSpace = target
	return e
}

// localMixedContent reports whether an https page's request to the http
// URL u is let through the mixed-content check for the Local Network
// Access check to decide, as Chromium lets it (MixedContentChecker::
// ShouldBlockFetch; #mixed-content-lna): the fetch declares a local or
// loopback targetAddressSpace, or u's host is an address in those spaces
// or a name under .local.
func (f *fetchState) localMixedContent(u *url.URL) bool {
	if !f.lnaOn() || f.p.LocalNetwork.NoTargetAddressSpace {
		return false
	}
	switch f.opts.TargetAddressSpace {
	case AddressSpaceLocal, AddressSpaceLoopback:
		return true
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		s, _ := spaceOf(f.p.LocalNetwork.Addresses, f.t.overrides(), a, portOf(u.Scheme, u.Port()))
		return s == AddressSpaceLocal || s == AddressSpaceLoopback
	}
	return strings.HasSuffix(strings.TrimSuffix(host, "."), ".local")
}

// IsLocalNetworkRequest reports whether a request from a page in the
// address space page to a server in target is a local network request
// under the rules: target is less public than page, unknown counting as
// public and, unless LocalToLoopback, loopback as local (as Chromium's
// IsLessPublicAddressSpaceLNA counts them: a local page's request to
// loopback is not one there).
//
// [local network request]: https://wicg.github.io/local-network-access/#local-network-request
func (r LocalNetworkRules) IsLocalNetworkRequest(page, target AddressSpace) bool {
	t, p := target.rank(), page.rank()
	if !r.LocalToLoopback {
		t, p = max(t, 1), max(p, 1)
	}
	return t < p
}

// withConnectionTrace returns out with a trace that records the address
// of the connection Base sends it on, when the check is on.
func (f *fetchState) withConnectionTrace(out *http.Request) (*http.Request, *netip.AddrPort) {
	if !f.lnaOn() {
		return out, nil
	}
	reached := new(netip.AddrPort)
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if a, ok := info.Conn.RemoteAddr().(*net.TCPAddr); ok {
			*reached = a.AddrPort()
		}
	}}
	return out.WithContext(httptrace.WithClientTrace(out.Context(), trace)), reached
}

// verifyConnection runs the check again for the address the request to u
// reached, when Base reported one in a space other than the one checked
// before sending (the host's addresses changed, or it has several), and
// returns the failure.
func (f *fetchState) verifyConnection(u *url.URL, out *http.Request, reached *netip.AddrPort, preflight bool) *Error {
	if reached == nil || !reached.IsValid() || f.t.proxied(out.URL) {
		return nil
	}
	space, by := spaceOf(f.p.LocalNetwork.Addresses, f.t.overrides(), reached.Addr(), reached.Port())
	if space == f.lnaTarget {
		return nil
	}
	e := f.localNetworkDecision(u, space)
	if e != nil {
		e.Err = fmt.Errorf("%w: the connection reached %s", errAddressChanged, reached)
	}
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventLocalNetwork, Preflight: preflight, URL: u, Server: ServerSpace{Space: space, Addr: *reached, Overridden: by}, Err: e})
	}
	return e
}

// errAddressChanged is the cause of a failure found on the connection
// rather than before sending.
var errAddressChanged = errors.New("fetch: the server's address is in another space than its host's addresses when the check ran")

// proxied reports whether Base sends requests to u through a proxy: an
// *http.Transport whose Proxy chooses one for them. Chromium counts the
// address space of a proxied connection as unknown.
func (t *Transport) proxied(u *url.URL) bool {
	ht, ok := t.base().(*http.Transport)
	if !ok || ht.Proxy == nil {
		return false
	}
	p, err := ht.Proxy(&http.Request{Method: http.MethodGet, URL: wireURL(u), Header: http.Header{}})
	return err == nil && p != nil
}

// overrides returns the address space overrides of the Transport or its
// browser.
func (t *Transport) overrides() []AddressSpaceOverride {
	if t.AddressSpaceOverrides == nil && t.shared != nil {
		return t.shared.AddressSpaceOverrides
	}
	return t.AddressSpaceOverrides
}

// resolver returns the Transport's resolver, its browser's, or
// net.DefaultResolver.
func (t *Transport) resolver() Resolver {
	switch {
	case t.Resolver != nil:
		return t.Resolver
	case t.shared != nil && t.shared.Resolver != nil:
		return t.shared.Resolver
	}
	return net.DefaultResolver
}
