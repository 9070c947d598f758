package fetch

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// AddressSpace is an IP address space of Local Network Access: where a
// server's address lies, from the most public to the least, public, local
// (private networks) and loopback (this machine). A page has one, the
// space of the server it was loaded from; a fetch from a page to a server
// in a less public space is a local network request, which needs the
// user's permission.
//
// The zero value, AddressSpaceUnknown, as a Transport's PageAddressSpace
// turns the check off. Chromium counts an unknown space as public when it
// compares two (a target reached through a proxy, an address it cannot
// read).
//
// [IP address space]: https://wicg.github.io/local-network-access/#ip-address-space-section
type AddressSpace uint8

const (
	AddressSpaceUnknown  AddressSpace = iota // "unknown": no Local Network Access check
	AddressSpacePublic                       // "public"
	AddressSpaceLocal                        // "local": private networks (RFC 1918 and the like)
	AddressSpaceLoopback                     // "loopback": this machine
)

// addressSpaceNames are the names the LNA specification and Chromium use,
// indexed by AddressSpace.
var addressSpaceNames = []string{"unknown", "public", "local", "loopback"}

// String returns the space's name: "unknown", "public", "local" or
// "loopback".
func (s AddressSpace) String() string { return nameOf("AddressSpace", addressSpaceNames, s) }

// MarshalText returns the space's name, or an error for an invalid
// AddressSpace.
func (s AddressSpace) MarshalText() ([]byte, error) {
	return marshalName("AddressSpace", addressSpaceNames, s)
}

// UnmarshalText sets s to the space text names: "unknown", "public",
// "local" or "loopback", or "private", the older name of "local" that
// Chromium still accepts.
func (s *AddressSpace) UnmarshalText(text []byte) error {
	if string(text) == "private" {
		*s = AddressSpaceLocal
		return nil
	}
	return unmarshalName("address space", addressSpaceNames, text, s)
}

// rank orders the spaces from the least public (0) up; unknown counts as
// public, as Chromium counts it.
func (s AddressSpace) rank() int {
	switch s {
	case AddressSpaceLoopback:
		return 0
	case AddressSpaceLocal:
		return 1
	}
	return 2
}

// AddressSpaceOverride gives the endpoints in Prefix, on Port (0: any
// port), an address space other than their address's, as Chromium's
// testing switch --ip-address-space-overrides and Firefox's
// network.lna.address_space.*.override preferences do.
type AddressSpaceOverride struct {
	Prefix netip.Prefix
	Port   uint16
	Space  AddressSpace
}

// ParseAddressSpaceOverrides parses overrides written as Chromium's switch
// --ip-address-space-overrides takes them: a comma-separated list of
// ENDPOINT=SPACE, where ENDPOINT is IP:PORT (an IPv6 address in brackets,
// "[::1]:8080"; port 0 for any port) or an address prefix (CIDR, any port:
// "10.0.0.0/8", "[fd00::]/8"), and SPACE is public, local (or private) or
// loopback. Spaces around items are ignored. Unlike Chromium, which skips
// them silently, a malformed item is an error.
func ParseAddressSpaceOverrides(s string) ([]AddressSpaceOverride, error) {
	var out []AddressSpaceOverride
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		o, err := parseOverride(item)
		if err != nil {
			return nil, fmt.Errorf("fetch: address space override %q: %v", item, err)
		}
		out = append(out, o)
	}
	return out, nil
}

// parseOverride parses one ENDPOINT=SPACE item.
func parseOverride(item string) (AddressSpaceOverride, error) {
	var o AddressSpaceOverride
	endpoint, space, ok := strings.Cut(item, "=")
	if !ok {
		return o, fmt.Errorf("want ENDPOINT=SPACE")
	}
	if err := o.Space.UnmarshalText([]byte(space)); err != nil || o.Space == AddressSpaceUnknown {
		return o, fmt.Errorf("space %q: want public, local or loopback", space)
	}
	if strings.Contains(endpoint, "/") {
		p, err := netip.ParsePrefix(strings.NewReplacer("[", "", "]", "").Replace(endpoint))
		if err != nil {
			return o, err
		}
		o.Prefix = p.Masked()
		return o, nil
	}
	ap, err := netip.ParseAddrPort(endpoint)
	if err != nil {
		return o, fmt.Errorf("want IP:PORT or a prefix: %v", err)
	}
	if ap.Addr().Zone() != "" {
		return o, fmt.Errorf("an address with a zone")
	}
	o.Prefix = netip.PrefixFrom(ap.Addr(), ap.Addr().BitLen())
	o.Port = ap.Port()
	return o, nil
}

// String returns o as ParseAddressSpaceOverrides reads it.
func (o AddressSpaceOverride) String() string {
	if o.Prefix.Bits() == o.Prefix.Addr().BitLen() && o.Prefix.IsValid() {
		return netip.AddrPortFrom(o.Prefix.Addr(), o.Port).String() + "=" + o.Space.String()
	}
	return o.Prefix.String() + "=" + o.Space.String()
}

// AddressTable is the table of address blocks an engine classifies
// addresses with.
type AddressTable uint8

const (
	// AddressesChromium is Chromium's table (NonPublicAddressSpaceMap in
	// services/network/public/cpp/ip_address_space_util.cc): the LNA
	// specification's, except that 198.18.0.0/15 (benchmarking) is public.
	AddressesChromium AddressTable = iota
	// AddressesFirefox is Gecko's (NetAddr::GetIpAddressSpace in
	// netwerk/dns/DNS.cpp): loopback is 127.0.0.0/8, ::1, the
	// unspecified addresses and ::ffff:127.0.0.1; local is 0.0.0.0/8,
	// 10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16,
	// 169.254.0.0/16 (these also IPv4-mapped, but for 100.64.0.0/10),
	// fc00::/7 and fe80::/10; fec0::/10, 2001:db8::/32, 3fff::/20 and
	// 198.18.0.0/15 are public.
	AddressesFirefox
	// AddressesSpec is the table of non-public address blocks of the LNA
	// specification (#non-public-ip-address-blocks).
	AddressesSpec
)

// Address blocks, from the specification's table.
var (
	loopbackBlocks = prefixes("127.0.0.0/8", "::1/128", "0.0.0.0/32", "::/128")
	localBlocks    = prefixes("10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
		"0.0.0.0/8", "fc00::/7", "fe80::/10", "fec0::/10", "2001:db8::/32", "3fff::/20")
	benchmarkingBlock = netip.MustParsePrefix("198.18.0.0/15")
	firefoxLocal      = prefixes("0.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
		"fc00::/7", "fe80::/10")
	cgnatBlock = netip.MustParsePrefix("100.64.0.0/10")
	loopback4  = netip.MustParsePrefix("127.0.0.0/8")
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// Classify returns the address space of addr under the table, an
// IPv4-mapped IPv6 address counting as the IPv4 address it holds (for
// Firefox, as Gecko reads the mapped forms). An invalid address is
// AddressSpaceUnknown.
//
// [IP address space]: https://wicg.github.io/local-network-access/#determine-the-ip-address-space
func (t AddressTable) Classify(addr netip.Addr) AddressSpace {
	if !addr.IsValid() {
		return AddressSpaceUnknown
	}
	addr = addr.WithZone("")
	if t == AddressesFirefox {
		return classifyFirefox(addr)
	}
	addr = addr.Unmap()
	switch {
	case inAny(loopbackBlocks, addr), t == AddressesSpec && benchmarkingBlock.Contains(addr):
		return AddressSpaceLoopback
	case inAny(localBlocks, addr):
		return AddressSpaceLocal
	}
	return AddressSpacePublic
}

// classifyFirefox is Gecko's NetAddr::GetIpAddressSpace.
func classifyFirefox(addr netip.Addr) AddressSpace {
	v4 := addr.Unmap()
	switch {
	case addr.Is4() && loopback4.Contains(addr), addr.Is4In6() && v4 == netip.AddrFrom4([4]byte{127, 0, 0, 1}),
		addr == netip.IPv6Loopback(), v4.IsUnspecified():
		return AddressSpaceLoopback
	case inAny(firefoxLocal, v4), addr.Is4() && cgnatBlock.Contains(addr):
		return AddressSpaceLocal
	}
	return AddressSpacePublic
}

func inAny(ps []netip.Prefix, addr netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// spaceOf returns the address space of the endpoint addr:port, the first
// matching override first (matched family for family, as Chromium matches
// them: an IPv4 override does not cover an IPv4-mapped IPv6 address), and
// whether an override gave it.
func spaceOf(table AddressTable, overrides []AddressSpaceOverride, addr netip.Addr, port uint16) (AddressSpace, bool) {
	addr = addr.WithZone("")
	for _, o := range overrides {
		if (o.Port == 0 || o.Port == port) && o.Prefix.Contains(addr) {
			return o.Space, true
		}
	}
	return table.Classify(addr), false
}

// portOf returns the port of a URL host, the scheme's default when it has
// none.
func portOf(scheme, port string) uint16 {
	if port == "" {
		if scheme == "https" {
			return 443
		}
		return 80
	}
	n, _ := strconv.ParseUint(port, 10, 16)
	return uint16(n)
}
