package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/internal/golden"
	"github.com/corsfetch/corsfetch/origin"
)

// fakeResolver resolves the names it holds and no other, without the
// network.
type fakeResolver map[string][]netip.Addr

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if addrs, ok := r[host]; ok {
		return addrs, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// testResolver is the resolver of every in-process test (runCLI).
var testResolver = fakeResolver{
	"nas.test":    {netip.MustParseAddr("192.168.1.20")},
	"public.test": {netip.MustParseAddr("203.0.113.7")},
	// mixed.test has a public and a local address: the least public
	// counts.
	"mixed.test": {netip.MustParseAddr("203.0.113.7"), netip.MustParseAddr("10.0.0.5")},
}

// TestLNAFlags checks that -page-address-space, -grant,
// -target-address-space and -address-space-overrides fill in the
// settings, and that a bad value is a usage error naming the flag, the
// value and what is expected.
func TestLNAFlags(t *testing.T) {
	t.Parallel()
	override := fetch.AddressSpaceOverride{Prefix: netip.MustParsePrefix("127.0.0.1/32"), Port: 8080, Space: fetch.AddressSpacePublic}
	cidr := fetch.AddressSpaceOverride{Prefix: netip.MustParsePrefix("10.0.0.0/8"), Space: fetch.AddressSpaceLocal}
	for _, tt := range []struct {
		flags []string
		want  lnaSettings
	}{
		{flags: nil, want: lnaSettings{}},
		{flags: []string{"-page-address-space", "public"}, want: lnaSettings{space: fetch.AddressSpacePublic, set: true}},
		{flags: []string{"-page-address-space", "unknown"}, want: lnaSettings{set: true}},
		{flags: []string{"-page-address-space", "private"}, want: lnaSettings{space: fetch.AddressSpaceLocal, set: true}},
		{flags: []string{"-grant", "loopback-network"}, want: lnaSettings{grants: fetch.Permissions{LoopbackNetwork: true}}},
		{flags: []string{"-grant", "local-network"}, want: lnaSettings{grants: fetch.Permissions{LocalNetwork: true}}},
		{flags: []string{"-grant", "local-network, loopback-network"}, want: lnaSettings{grants: fetch.Permissions{LocalNetwork: true, LoopbackNetwork: true}}},
		{flags: []string{"-grant", "local-network", "-grant", "loopback-network"}, want: lnaSettings{grants: fetch.Permissions{LocalNetwork: true, LoopbackNetwork: true}}},
		{flags: []string{"-grant", "local-network-access"}, want: lnaSettings{grants: fetch.Permissions{LocalNetwork: true, LoopbackNetwork: true}}},
		{flags: []string{"-target-address-space", "loopback"}, want: lnaSettings{target: fetch.AddressSpaceLoopback}},
		{flags: []string{"-address-space-overrides", "127.0.0.1:8080=public, 10.0.0.0/8=private"}, want: lnaSettings{overrides: []fetch.AddressSpaceOverride{override, cidr}}},
		{flags: []string{"-address-space-overrides", "127.0.0.1:8080=public", "-address-space-overrides", "10.0.0.0/8=local"}, want: lnaSettings{overrides: []fetch.AddressSpaceOverride{override, cidr}}},
	} {
		args := append([]string{"-origin", testPage}, tt.flags...)
		cfg, err := parseArgs(append(args, "https://api.example/"), &env{stderr: io.Discard})
		if err != nil {
			t.Errorf("parseArgs(%q): %v", tt.flags, err)
			continue
		}
		if !reflect.DeepEqual(cfg.lna, tt.want) || cfg.req.Options.TargetAddressSpace != tt.want.target {
			t.Errorf("parseArgs(%q) = %+v, targetAddressSpace %v; want %+v", tt.flags, cfg.lna, cfg.req.Options.TargetAddressSpace, tt.want)
		}
	}
	for _, tt := range []struct {
		flags []string
		want  []string // in the message
	}{
		{flags: []string{"-page-address-space", "lan"}, want: []string{"-page-address-space", `"lan"`, "public", "local", "loopback", "unknown"}},
		{flags: []string{"-page-address-space", ""}, want: []string{"-page-address-space", `""`}},
		{flags: []string{"-target-address-space", "intranet"}, want: []string{"-target-address-space", `"intranet"`, "loopback"}},
		{flags: []string{"-grant", "camera"}, want: []string{"-grant", `"camera"`, "local-network", "loopback-network"}},
		{flags: []string{"-grant", "loopback-network,"}, want: []string{"-grant", `""`}},
		{flags: []string{"-address-space-overrides", "127.0.0.1=public"}, want: []string{"-address-space-overrides", "127.0.0.1=public", "IP:PORT"}},
		{flags: []string{"-address-space-overrides", "127.0.0.1:80=intranet"}, want: []string{"-address-space-overrides", `"intranet"`}},
	} {
		args := append(append([]string{"-origin", testPage}, tt.flags...), "https://api.example/")
		code, _, errOut := runCLI(t, args...)
		if code != exitError {
			t.Errorf("corsprobe %q: exit %d; want 2", tt.flags, code)
		}
		for _, w := range tt.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("corsprobe %q: stderr %q; want it to contain %s", tt.flags, errOut, w)
			}
		}
	}
}

// TestDefaultPageSpace checks corsprobe's rule for the page's address
// space when -page-address-space is not given: public for a page whose
// host is a name, calling a local or loopback server; else unknown, with a
// note when the server is local or loopback.
func TestDefaultPageSpace(t *testing.T) {
	t.Parallel()
	viaProxy := &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return url.Parse("http://proxy.test:3128") }}
	for _, tt := range []struct {
		page, url string
		profile   fetch.Profile
		overrides string
		base      http.RoundTripper
		want      fetch.AddressSpace
		source    string
		reason    string // the whole reason, or "" for any
		note      string // in the note, or "" for no note
	}{
		{page: "https://app.example", url: "http://127.0.0.1:8080/x", want: fetch.AddressSpacePublic, reason: "app.example is a name; 127.0.0.1 is loopback"},
		{page: "https://app.example", url: "http://[::1]:8080/x", want: fetch.AddressSpacePublic, reason: "app.example is a name; ::1 is loopback"},
		{page: "https://app.example", url: "http://192.168.1.20/", want: fetch.AddressSpacePublic, reason: "app.example is a name; 192.168.1.20 is local"},
		{page: "https://app.example", url: "http://nas.test/", want: fetch.AddressSpacePublic, reason: "app.example is a name; nas.test resolves to 192.168.1.20, local"},
		{page: "https://app.example", url: "https://mixed.test/", want: fetch.AddressSpacePublic, reason: "app.example is a name; mixed.test resolves to 10.0.0.5, local"},
		{page: "https://app.example", url: "https://public.test/", reason: "public.test resolves to 203.0.113.7, public"},
		{page: "https://app.example", url: "https://203.0.113.7/", reason: "203.0.113.7 is public"},
		{page: "https://app.example", url: "https://api.example/", reason: "api.example does not resolve"},
		{page: "https://app.example", url: "http://127.0.0.1:8080/", base: viaProxy, reason: "127.0.0.1 is reached through a proxy, whose space counts as unknown"},
		// The profile's table: 198.18.0.0/15 is public for Chromium,
		// loopback for the specification.
		{page: "https://app.example", url: "http://198.18.0.1/", reason: "198.18.0.1 is public"},
		{page: "https://app.example", url: "http://198.18.0.1/", profile: fetch.Spec, want: fetch.AddressSpacePublic, reason: "app.example is a name; 198.18.0.1 is loopback"},
		// Overrides: of the server, then of the page's address.
		{page: "https://app.example", url: "http://127.0.0.1:8080/", overrides: "127.0.0.1:8080=public", reason: "127.0.0.1 is public by -address-space-overrides"},
		{page: "https://app.example", url: "http://127.0.0.1:9090/", overrides: "127.0.0.1:8080=public", want: fetch.AddressSpacePublic},
		{page: "http://127.0.0.1:3000", url: "http://127.0.0.1:8080/", overrides: "127.0.0.1:3000=public", want: fetch.AddressSpacePublic,
			source: spaceFromOverride, reason: "-address-space-overrides makes the page's address 127.0.0.1:3000 public"},
		{page: "http://localhost:3000", url: "http://127.0.0.1:8080/", overrides: "[::1]:3000=public", want: fetch.AddressSpacePublic, source: spaceFromOverride},
		// Pages whose space corsprobe does not assume.
		{page: "http://127.0.0.1:3000", url: "http://127.0.0.1:8080/", note: "the page's host 127.0.0.1 is loopback"},
		{page: "http://[::1]:3000", url: "http://127.0.0.1:8080/", note: "the page's host ::1 is loopback"},
		{page: "http://192.168.1.4:3000", url: "http://127.0.0.1:8080/", note: "-page-address-space local checks"},
		{page: "http://203.0.113.9", url: "http://10.1.2.3/", note: "-page-address-space public checks"},
		{page: "http://localhost:3000", url: "http://127.0.0.1:8080/", note: "on this machine (localhost)"},
		{page: "https://app.localhost", url: "http://127.0.0.1:8080/", note: "on this machine (app.localhost)"},
		{page: "https://nas.test", url: "https://nas.test:8443/api", note: "the same host as the URL"},
		{page: "null", url: "http://127.0.0.1:8080/", note: "the page's origin is opaque"},
	} {
		overrides, err := fetch.ParseAddressSpaceOverrides(tt.overrides)
		if err != nil {
			t.Fatal(err)
		}
		c := classifier{profile: tt.profile, overrides: overrides, resolver: testResolver, base: tt.base}
		u, _ := url.Parse(tt.url)
		got := c.defaultPage(context.Background(), origin.MustParse(tt.page), u)
		name := tt.page + " -> " + tt.url
		source := tt.source
		if source == "" {
			source = spaceFromDefault
		}
		if got.space != tt.want || got.source != source {
			t.Errorf("%s: space %v (%s); want %v (%s)", name, got.space, got.source, tt.want, source)
		}
		if tt.reason != "" && got.reason != tt.reason {
			t.Errorf("%s: reason %q; want %q", name, got.reason, tt.reason)
		}
		if tt.note == "" && got.note != "" || !strings.Contains(got.note, tt.note) {
			t.Errorf("%s: note %q; want one containing %q", name, got.note, tt.note)
		}
	}
}

// lnaNormalize is ts.normalize, and the servers' addresses without the
// scheme, which the Local Network Access output names.
func (ts *testServers) lnaNormalize(s string) string {
	s = ts.normalize(s)
	s = strings.ReplaceAll(s, ts.api.Listener.Addr().String(), "127.0.0.1:API")
	return strings.ReplaceAll(s, ts.other.Listener.Addr().String(), "127.0.0.1:OTHER")
}

// TestLNAGolden checks the human output and the exit status of probes the
// Local Network Access check decides: a page at https://app.example, a
// name, and so public by default, calling the test servers on loopback.
func TestLNAGolden(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	for _, tt := range []struct {
		name string
		args []string
		exit int
	}{
		{name: "lna-blocked", args: []string{"-origin", testPage, "/open"}, exit: exitBlocked},
		{name: "lna-insecure", args: []string{"-origin", "http://app.example", "-X", "PUT", "/open"}, exit: exitBlocked},
		{name: "lna-granted", args: []string{"-origin", testPage, "-grant", "loopback-network", "/open"}, exit: exitAllowed},
		{name: "lna-invalid-target", args: []string{"-origin", testPage, "-grant", "local-network-access", "-target-address-space", "local", "/open"}, exit: exitBlocked},
		{name: "lna-local-override", args: []string{"-origin", testPage, "-address-space-overrides", "127.0.0.0/8=local", "-browser", "firefox", "/open"}, exit: exitBlocked},
		{name: "lna-page-flag", args: []string{"-origin", "http://localhost:3000", "-page-address-space", "public", "/open"}, exit: exitBlocked},
		{name: "lna-not-checked", args: []string{"-origin", "http://localhost:3000", "/open"}, exit: exitAllowed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkGolden(t, runCLI, ts.lnaNormalize, ts.api.URL, tt.name, tt.exit, tt.args...)
		})
	}
}

// TestLNAJSON pins the lna object of the JSON document, and checks that
// it is null when no check ran.
func TestLNAJSON(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	_, out, _ := runCLI(t, "-json", "-origin", testPage, ts.api.URL+"/open")
	golden.Check(t, filepath.Join("testdata", "json-lna-blocked.golden"), ts.lnaNormalize(out))
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if steps, ok := doc["steps"].([]any); !ok || len(steps) != 0 {
		t.Errorf("steps = %#v; want [] (nothing was sent), never null", doc["steps"])
	}
	lna, _ := doc["lna"].(map[string]any)
	want := []string{"granted", "local_network_request", "page_address_space", "page_address_space_reason", "page_address_space_source",
		"permission", "secure_context", "server_address", "server_address_space", "server_url"}
	if got := keys(lna); !reflect.DeepEqual(got, want) {
		t.Errorf("lna fields = %v; want %v", got, want)
	}
	for _, tt := range []struct {
		why  string
		args []string
	}{
		{why: "-page-address-space unknown", args: []string{"-page-address-space", "unknown", "-origin", testPage}},
		{why: "a page on localhost", args: []string{"-origin", "http://localhost:3000"}},
		{why: "Safari makes no check", args: []string{"-browser", "safari", "-origin", testPage}},
	} {
		_, out, _ := runCLI(t, append(append([]string{"-json"}, tt.args...), ts.api.URL+"/open")...)
		var r map[string]any
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if v, ok := r["lna"]; !ok || v != nil {
			t.Errorf("%s: lna = %#v; want null", tt.why, v)
		}
	}
}

// TestLNAReport checks the lna object against the verdict: the
// permission by the server's space, the grant, and the exemption of the
// page's own origin.
func TestLNAReport(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	for _, tt := range []struct {
		args       []string
		outcome    string
		space      string
		lnr        bool
		permission string
		granted    bool
	}{
		{args: []string{"-origin", testPage}, outcome: outcomeBlocked, space: "loopback", lnr: true, permission: permLoopback},
		{args: []string{"-origin", testPage, "-grant", "loopback-network"}, outcome: outcomeAllowed, space: "loopback", lnr: true, permission: permLoopback, granted: true},
		{args: []string{"-origin", testPage, "-grant", "local-network"}, outcome: outcomeBlocked, space: "loopback", lnr: true, permission: permLoopback},
		{args: []string{"-origin", testPage, "-grant", "local-network", "-address-space-overrides", "127.0.0.1:0=local"}, outcome: outcomeAllowed, space: "local", lnr: true, permission: permLocal, granted: true},
		{args: []string{"-origin", testPage, "-page-address-space", "public", "-address-space-overrides", "127.0.0.1:0=public"}, outcome: outcomeAllowed, space: "public"},
		// Chrome counts local and loopback as one space; Firefox skips
		// the check by default (lna-local-loopback-get-denied); the
		// specification makes it a local network request.
		{args: []string{"-origin", testPage, "-page-address-space", "local"}, outcome: outcomeAllowed, space: "loopback"},
		{args: []string{"-origin", testPage, "-page-address-space", "local", "-browser", "firefox"}, outcome: outcomeAllowed, space: "loopback"},
		{args: []string{"-origin", testPage, "-page-address-space", "local", "-browser", "spec"}, outcome: outcomeBlocked, space: "loopback", lnr: true, permission: permLoopback},
		// The page's own origin, over a secure URL (loopback), is exempt.
		{args: []string{"-origin", ts.api.URL, "-page-address-space", "public"}, outcome: outcomeAllowed, space: "loopback"},
	} {
		_, out, errOut := runCLI(t, append(append([]string{"-json"}, tt.args...), ts.api.URL+"/open")...)
		var r Report
		if err := json.Unmarshal([]byte(out), &r); err != nil || r.LNA == nil {
			t.Errorf("%q: lna %+v, %v\n%s%s", tt.args, r.LNA, err, out, errOut)
			continue
		}
		l := r.LNA
		if r.Verdict.Outcome != tt.outcome || l.ServerAddressSpace != tt.space || l.LocalNetworkRequest != tt.lnr || l.Permission != tt.permission || l.Granted != tt.granted {
			t.Errorf("%q: outcome %s, lna %+v; want %s, server %s, local network request %v, permission %q, granted %v",
				tt.args, r.Verdict.Outcome, *l, tt.outcome, tt.space, tt.lnr, tt.permission, tt.granted)
		}
	}
}
