package fetch_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
)

// TestAddressTableClassify checks the three tables of address blocks
// against their sources: the LNA specification's table of non-public
// address blocks (#non-public-ip-address-blocks), Chromium's
// NonPublicAddressSpaceMap (services/network/public/cpp/
// ip_address_space_util.cc and its unit tests) and Gecko's
// NetAddr::GetIpAddressSpace (netwerk/dns/DNS.cpp).
func TestAddressTableClassify(t *testing.T) {
	const (
		pub  = fetch.AddressSpacePublic
		loc  = fetch.AddressSpaceLocal
		loop = fetch.AddressSpaceLoopback
	)
	tests := []struct {
		addr, reason             string
		chromium, firefox, specT fetch.AddressSpace
	}{
		{addr: "127.0.0.1", reason: "127.0.0.0/8 is loopback everywhere", chromium: loop, firefox: loop, specT: loop},
		{addr: "127.255.255.254", reason: "the whole of 127.0.0.0/8", chromium: loop, firefox: loop, specT: loop},
		{addr: "::1", reason: "::1/128", chromium: loop, firefox: loop, specT: loop},
		{addr: "0.0.0.0", reason: "the unspecified address is loopback (spec: some systems route it back)", chromium: loop, firefox: loop, specT: loop},
		{addr: "::", reason: "::/128", chromium: loop, firefox: loop, specT: loop},
		{addr: "0.1.2.3", reason: "the rest of 0.0.0.0/8 is local", chromium: loc, firefox: loc, specT: loc},
		{addr: "10.1.2.3", reason: "RFC 1918", chromium: loc, firefox: loc, specT: loc},
		{addr: "172.16.0.1", reason: "RFC 1918", chromium: loc, firefox: loc, specT: loc},
		{addr: "172.32.0.1", reason: "just past 172.16.0.0/12", chromium: pub, firefox: pub, specT: pub},
		{addr: "192.168.1.1", reason: "RFC 1918", chromium: loc, firefox: loc, specT: loc},
		{addr: "169.254.169.254", reason: "link-local", chromium: loc, firefox: loc, specT: loc},
		{addr: "100.64.0.1", reason: "shared address space (CGNAT)", chromium: loc, firefox: loc, specT: loc},
		{addr: "fd00::1", reason: "unique local fc00::/7", chromium: loc, firefox: loc, specT: loc},
		{addr: "fe80::1", reason: "link-local fe80::/10", chromium: loc, firefox: loc, specT: loc},
		{addr: "fe80::1%eth0", reason: "a zone does not change the address", chromium: loc, firefox: loc, specT: loc},
		{addr: "fec0::1", reason: "site-local fec0::/10: local but in Gecko", chromium: loc, firefox: pub, specT: loc},
		{addr: "2001:db8::1", reason: "documentation 2001:db8::/32: local but in Gecko", chromium: loc, firefox: pub, specT: loc},
		{addr: "3fff::1", reason: "documentation 3fff::/20: local but in Gecko", chromium: loc, firefox: pub, specT: loc},
		{addr: "198.18.0.1", reason: "benchmarking 198.18.0.0/15: loopback in the spec only", chromium: pub, firefox: pub, specT: loop},
		{addr: "::ffff:192.168.1.1", reason: "IPv4-mapped: the IPv4 address's space", chromium: loc, firefox: loc, specT: loc},
		{addr: "::ffff:127.0.0.1", reason: "IPv4-mapped loopback", chromium: loop, firefox: loop, specT: loop},
		{addr: "::ffff:127.0.0.2", reason: "Gecko maps ::ffff:127.0.0.1 alone to loopback", chromium: loop, firefox: pub, specT: loop},
		{addr: "::ffff:100.64.0.1", reason: "Gecko reads 100.64.0.0/10 in IPv4 form only", chromium: loc, firefox: pub, specT: loc},
		{addr: "64:ff9b::7f00:1", reason: "NAT64 is in no table", chromium: pub, firefox: pub, specT: pub},
		{addr: "::127.0.0.1", reason: "IPv4-compatible is in no table", chromium: pub, firefox: pub, specT: pub},
		{addr: "224.0.0.1", reason: "multicast is in no table", chromium: pub, firefox: pub, specT: pub},
		{addr: "255.255.255.255", reason: "broadcast is in no table", chromium: pub, firefox: pub, specT: pub},
		{addr: "8.8.8.8", reason: "public", chromium: pub, firefox: pub, specT: pub},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		for _, c := range []struct {
			table fetch.AddressTable
			want  fetch.AddressSpace
		}{{fetch.AddressesChromium, tt.chromium}, {fetch.AddressesFirefox, tt.firefox}, {fetch.AddressesSpec, tt.specT}} {
			if got := c.table.Classify(a); got != c.want {
				t.Errorf("table %d: Classify(%s) = %v, want %v (%s)", c.table, tt.addr, got, c.want, tt.reason)
			}
		}
	}
	if got := fetch.AddressesChromium.Classify(netip.Addr{}); got != fetch.AddressSpaceUnknown {
		t.Errorf("the zero Addr is %v, want unknown", got)
	}
}

// TestParseAddressSpaceOverrides checks the syntax of Chromium's
// --ip-address-space-overrides (ip_address_space_util.cc and its unit
// tests: IP:PORT=SPACE, IPv6 in brackets, port 0 for any, CIDR prefixes,
// "private" for local), and that what Chromium skips silently is an error
// here.
func TestParseAddressSpaceOverrides(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "127.0.0.1:80=public", want: "127.0.0.1:80=public"},
		{in: " 10.2.3.4:80=public , 8.8.8.8:8888=local ,", want: "10.2.3.4:80=public,8.8.8.8:8888=local"},
		{in: "10.2.3.4:0=public,[2001::]:0=loopback", want: "10.2.3.4:0=public,[2001::]:0=loopback"},
		{in: "[2001::]:2001=loopback,[2020::1]:1234=private", want: "[2001::]:2001=loopback,[2020::1]:1234=local"},
		{in: "10.0.0.0/8=public,[fd00::]/8=public", want: "10.0.0.0/8=public,fd00::/8=public"},
		{in: "10.1.2.3/8=loopback", want: "10.0.0.0/8=loopback"},
		{in: "", want: ""},
		{in: "127.0.0.1=public", wantErr: "want IP:PORT"},
		{in: "127.0.0.1:80", wantErr: "want ENDPOINT=SPACE"},
		{in: "127.0.0.1:80=unknown", wantErr: "want public, local or loopback"},
		{in: "127.0.0.1:80=intranet", wantErr: "want public, local or loopback"},
		{in: "127.0.0.1:65536=public", wantErr: "want IP:PORT"},
		{in: "::1:80=public", wantErr: "want IP:PORT"},
		{in: "[fe80::1%eth0]:80=local", wantErr: "zone"},
		{in: "localhost:80=public", wantErr: "want IP:PORT"},
		{in: "10.0.0.0/33=public", wantErr: "out of range"},
	}
	for _, tt := range tests {
		got, err := fetch.ParseAddressSpaceOverrides(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseAddressSpaceOverrides(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		var parts []string
		for _, o := range got {
			parts = append(parts, o.String())
		}
		if err != nil || strings.Join(parts, ",") != tt.want {
			t.Errorf("ParseAddressSpaceOverrides(%q) = %q, %v; want %q", tt.in, strings.Join(parts, ","), err, tt.want)
		}
	}
}

// FuzzParseAddressSpaceOverrides checks that the parser never panics, that
// what it accepts prints back to itself, and that every override names a
// space.
func FuzzParseAddressSpaceOverrides(f *testing.F) {
	for _, s := range []string{"127.0.0.1:80=public", "[::1]:0=loopback,10.0.0.0/8=private", "a=b", ",,", "[::ffff:1.2.3.4]:1=local"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := fetch.ParseAddressSpaceOverrides(s)
		if err != nil {
			return
		}
		var parts []string
		for _, o := range got {
			if o.Space == fetch.AddressSpaceUnknown || !o.Prefix.IsValid() {
				t.Fatalf("%q gave %+v", s, o)
			}
			parts = append(parts, o.String())
		}
		again, err := fetch.ParseAddressSpaceOverrides(strings.Join(parts, ","))
		if err != nil || len(again) != len(got) {
			t.Fatalf("%q printed as %q, which reads back as %v, %v", s, strings.Join(parts, ","), again, err)
		}
		for i := range got {
			if again[i] != got[i] {
				t.Fatalf("%q: %+v read back as %+v", s, got[i], again[i])
			}
		}
	})
}

// FuzzAddressTableClassify checks that every table gives every valid
// address a space and, Chromium's and the spec's, the same to an IPv4
// address and its IPv4-mapped form.
func FuzzAddressTableClassify(f *testing.F) {
	f.Add([]byte{127, 0, 0, 1})
	f.Add([]byte{10, 0, 0, 1})
	f.Add(netip.MustParseAddr("fe80::1").AsSlice())
	f.Fuzz(func(t *testing.T, b []byte) {
		a, ok := netip.AddrFromSlice(b)
		if !ok {
			return
		}
		for _, table := range []fetch.AddressTable{fetch.AddressesChromium, fetch.AddressesFirefox, fetch.AddressesSpec} {
			if table.Classify(a) == fetch.AddressSpaceUnknown {
				t.Fatalf("table %d: %s has no space", table, a)
			}
		}
		if a.Is4() {
			mapped := netip.AddrFrom16(a.As16())
			for _, table := range []fetch.AddressTable{fetch.AddressesChromium, fetch.AddressesSpec} {
				if table.Classify(a) != table.Classify(mapped) {
					t.Fatalf("table %d: %s is %v, %s is %v", table, a, table.Classify(a), mapped, table.Classify(mapped))
				}
			}
		}
	})
}
