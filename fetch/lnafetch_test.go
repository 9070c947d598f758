package fetch_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// lnaServer is a loopback server at 127.0.0.2 (another site than the
// pages of these tests) that allows every CORS request.
func lnaServer(t *testing.T) *server {
	return newServer(t, "127.0.0.2", withPreflight(
		echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Credentials", "true"),
		echoOrigin("Access-Control-Allow-Credentials", "true")))
}

// TestLocalNetworkAccess checks the Local Network Access check
// (#local-network-access-check; Chromium's LocalNetworkAccessChecker::
// CheckAddressSpace) on a server at 127.0.0.2, loopback unless an override
// says otherwise: the outcome, and that a blocked request (its preflight
// included) never reaches the server.
func TestLocalNetworkAccess(t *testing.T) {
	public := origin.MustParse("https://app.example")
	tests := []struct {
		name, anchor string
		profile      fetch.Profile
		pageOrigin   origin.Origin
		pageSpace    fetch.AddressSpace
		serverSpace  string // an override of the server's endpoint, or ""
		perms        fetch.Permissions
		method       string
		opts         fetch.Options
		want         fetch.Reason
		wantSpace    fetch.AddressSpace
	}{
		{name: "no page space, no check", anchor: "PageAddressSpace zero",
			pageOrigin: public, method: "GET", want: ""},
		{name: "public to loopback, denied", anchor: "#local-network-access-check step 4: permission (headless: denied)",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, method: "GET", want: fetch.ReasonLocalNetworkAccessDenied, wantSpace: fetch.AddressSpaceLoopback},
		{name: "public to loopback, preflighted", anchor: "the preflight is a request too: nothing is sent",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, method: "PUT", want: fetch.ReasonLocalNetworkAccessDenied, wantSpace: fetch.AddressSpaceLoopback},
		{name: "public to loopback, no-cors", anchor: "the check is not part of CORS: no-cors requests too",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, method: "GET", opts: fetch.Options{Mode: fetch.ModeNoCORS}, want: fetch.ReasonLocalNetworkAccessDenied, wantSpace: fetch.AddressSpaceLoopback},
		{name: "public to loopback, granted", anchor: "loopback-network granted",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, perms: fetch.Permissions{LoopbackNetwork: true}, method: "PUT", want: ""},
		{name: "public to loopback, local-network granted", anchor: "the permission of the target's space (split in Chrome 145)",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, perms: fetch.Permissions{LocalNetwork: true}, method: "GET", want: fetch.ReasonLocalNetworkAccessDenied, wantSpace: fetch.AddressSpaceLoopback},
		{name: "public to local, denied", anchor: "#local-network-request",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, serverSpace: "local", method: "GET", want: fetch.ReasonLocalNetworkAccessDenied, wantSpace: fetch.AddressSpaceLocal},
		{name: "public to local, granted", anchor: "local-network granted",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, serverSpace: "local", perms: fetch.Permissions{LocalNetwork: true}, method: "GET", want: ""},
		{name: "public to public", anchor: "not less public",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, serverSpace: "public", method: "GET", want: ""},
		{name: "insecure public page", anchor: "#secure-context-restriction: blocked, no prompt",
			pageOrigin: origin.MustParse("http://app.example"), pageSpace: fetch.AddressSpacePublic, perms: fetch.Permissions{LoopbackNetwork: true}, method: "GET", want: fetch.ReasonInsecureLocalNetwork, wantSpace: fetch.AddressSpaceLoopback},
		{name: "local to loopback, Chrome", anchor: "IsLessPublicAddressSpaceLNA counts loopback as local",
			pageOrigin: public, pageSpace: fetch.AddressSpaceLocal, method: "GET", want: ""},
		{name: "local to loopback, Firefox", anchor: "network.lna.local-network-to-localhost.skip-checks true by default (lna-local-loopback-get-denied, recorded)",
			profile: fetch.Firefox, pageOrigin: public, pageSpace: fetch.AddressSpaceLocal, method: "GET", want: ""},
		{name: "insecure public page, Firefox, denied", anchor: "network.lna.block_insecure_contexts false: asked like any page, and denied headless",
			profile: fetch.Firefox, pageOrigin: origin.MustParse("http://app.example"), pageSpace: fetch.AddressSpacePublic, method: "GET", want: fetch.ReasonLocalNetworkAccessDenied, wantSpace: fetch.AddressSpaceLoopback},
		{name: "insecure public page, Firefox, granted", anchor: "network.lna.block_insecure_contexts false: a grant opens it",
			profile: fetch.Firefox, pageOrigin: origin.MustParse("http://app.example"), pageSpace: fetch.AddressSpacePublic, perms: fetch.Permissions{LoopbackNetwork: true}, method: "GET", want: ""},
		{name: "local to loopback, Spec", anchor: "#local-network-request: loopback is less public than local",
			profile: fetch.Spec, pageOrigin: public, pageSpace: fetch.AddressSpaceLocal, method: "GET", want: fetch.ReasonLocalNetworkAccessDenied, wantSpace: fetch.AddressSpaceLoopback},
		{name: "loopback to loopback", anchor: "requests from loopback are never local network requests",
			pageOrigin: public, pageSpace: fetch.AddressSpaceLoopback, method: "GET", want: ""},
		{name: "Safari", anchor: "WebKitGTK 2.50: LocalNetworkAccessEnabled off",
			profile: fetch.Safari, pageOrigin: public, pageSpace: fetch.AddressSpacePublic, method: "GET", want: ""},
		{name: "targetAddressSpace matches", anchor: "the declared space matches; the permission is still needed",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, method: "GET", opts: fetch.Options{TargetAddressSpace: fetch.AddressSpaceLoopback}, want: fetch.ReasonLocalNetworkAccessDenied, wantSpace: fetch.AddressSpaceLoopback},
		{name: "targetAddressSpace mismatch", anchor: "kBlockedByRequiredIpAddressSpaceMismatch",
			pageOrigin: public, pageSpace: fetch.AddressSpacePublic, perms: fetch.Permissions{LoopbackNetwork: true, LocalNetwork: true}, method: "GET", opts: fetch.Options{TargetAddressSpace: fetch.AddressSpaceLocal}, want: fetch.ReasonInvalidLocalNetworkAccess, wantSpace: fetch.AddressSpaceLoopback},
		{name: "targetAddressSpace mismatch, not a local network request", anchor: "Chromium compares it before the spaces",
			pageOrigin: public, pageSpace: fetch.AddressSpaceLoopback, method: "GET", opts: fetch.Options{TargetAddressSpace: fetch.AddressSpacePublic}, want: fetch.ReasonInvalidLocalNetworkAccess, wantSpace: fetch.AddressSpaceLoopback},
		{name: "targetAddressSpace in Firefox", anchor: "no such RequestInit member: ignored",
			profile: fetch.Firefox, pageOrigin: public, pageSpace: fetch.AddressSpaceLoopback, method: "GET", opts: fetch.Options{TargetAddressSpace: fetch.AddressSpacePublic}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := lnaServer(t)
			tr := &fetch.Transport{Origin: tt.pageOrigin, Browser: tt.profile, PageAddressSpace: tt.pageSpace, Permissions: tt.perms}
			if tt.serverSpace != "" {
				overrides, err := fetch.ParseAddressSpaceOverrides(strings.TrimPrefix(srv.URL, "http://") + "=" + tt.serverSpace)
				if err != nil {
					t.Fatal(err)
				}
				tr.AddressSpaceOverrides = overrides
			}
			_, err := do(t, tr, tt.method, srv.URL+"/r", nil, tt.opts)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("%s: %v; want success", tt.anchor, err)
			case tt.want == "":
				return
			case err == nil || err.Reason != tt.want:
				t.Fatalf("%s: %v; want %s", tt.anchor, err, tt.want)
			}
			if err.AddressSpace != tt.wantSpace {
				t.Errorf("AddressSpace %v, want %v", err.AddressSpace, tt.wantSpace)
			}
			if n := len(srv.requests()); n != 0 {
				t.Errorf("%d requests reached the server; the check fails a request before it is sent", n)
			}
		})
	}
}

// TestLocalNetworkAccessExemptions checks the requests that are never
// checked: to the page's own origin over a secure URL (#local-network-
// access-check step 1), and through a proxy, whose address space Chromium
// counts as unknown (TransportInfoToIPAddressSpace), so public.
func TestLocalNetworkAccessExemptions(t *testing.T) {
	srv := lnaServer(t)
	own := &fetch.Transport{Origin: srv.Origin, PageAddressSpace: fetch.AddressSpacePublic}
	if _, err := do(t, own, "PUT", srv.URL+"/r", nil, fetch.Options{}); err != nil {
		t.Errorf("same origin: %v", err)
	}
	proxyURL, _ := url.Parse(srv.URL)
	viaProxy := &fetch.Transport{
		Origin:           origin.MustParse("https://app.example"),
		PageAddressSpace: fetch.AddressSpacePublic,
		Base:             &http.Transport{Proxy: http.ProxyURL(proxyURL)},
	}
	// The proxy is the server itself, which answers the absolute-form
	// request as its own.
	if _, err := do(t, viaProxy, "GET", "http://10.255.255.1:9/r", nil, fetch.Options{}); err != nil {
		t.Errorf("through a proxy: %v", err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d requests; want 2 (the same-origin PUT, without a preflight, and the proxied GET)", n)
	}
}

// TestLocalNetworkAccessRedirect checks that every redirect hop is checked
// (Chromium's ResetForRedirect): a public server's redirect to a loopback
// one fails at the second hop, which is never sent.
func TestLocalNetworkAccessRedirect(t *testing.T) {
	loop := lnaServer(t)
	pub := newServer(t, "127.0.0.3", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		http.Redirect(w, r, loop.URL+"/end", http.StatusFound)
	})
	overrides, _ := fetch.ParseAddressSpaceOverrides(strings.TrimPrefix(pub.URL, "http://") + "=public")
	tr := &fetch.Transport{Origin: origin.MustParse("https://app.example"), PageAddressSpace: fetch.AddressSpacePublic, AddressSpaceOverrides: overrides}
	_, err := do(t, tr, "GET", pub.URL+"/start", nil, fetch.Options{})
	if err == nil || err.Reason != fetch.ReasonLocalNetworkAccessDenied || err.InitialURL != pub.URL+"/start" {
		t.Fatalf("%v; want %s at the redirect's hop", err, fetch.ReasonLocalNetworkAccessDenied)
	}
	if len(pub.requests()) != 1 || len(loop.requests()) != 0 {
		t.Errorf("requests: %d to the public server, %d to the loopback one; want 1 and 0", len(pub.requests()), len(loop.requests()))
	}
}

// fakeResolver resolves host names from a map.
type fakeResolver map[string][]netip.Addr

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// dialTo returns a Base that connects every request to addr, whatever its
// host: the network of a machine whose DNS says otherwise than the check's
// resolver.
func dialTo(addr string) *http.Transport {
	return &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
}

// TestLocalNetworkAccessNames checks host names: one whose addresses lie
// in several spaces is checked, before anything is sent, against the least
// public of them (the engines check the address they connect to, which a
// RoundTripper cannot choose); a name that resolved public but whose
// connection reached loopback (DNS rebinding) fails on the connection, the
// response withheld; a name under .local from an https page passes the
// mixed-content check for the LNA check to decide (#mixed-content-lna).
func TestLocalNetworkAccessNames(t *testing.T) {
	srv := lnaServer(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	res := fakeResolver{
		"multi.test":    {netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("127.0.0.2")},
		"public.test":   {netip.MustParseAddr("93.184.216.34")},
		"printer.local": {netip.MustParseAddr("127.0.0.2")},
	}
	tests := []struct {
		name, host     string
		opts           fetch.Options
		want           fetch.Reason
		sent           int
		errOnConnected bool
	}{
		{name: "several spaces", host: "multi.test", want: fetch.ReasonLocalNetworkAccessDenied, sent: 0},
		{name: "rebinding", host: "public.test", want: fetch.ReasonLocalNetworkAccessDenied, sent: 1, errOnConnected: true},
		{name: "no such host", host: "nowhere.test", want: fetch.ReasonNetwork, sent: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.requests())
			base := dialTo(strings.TrimPrefix(srv.URL, "http://"))
			if tt.host == "nowhere.test" {
				base = &http.Transport{}
			}
			// A secure page over http (localhost is potentially
			// trustworthy), made public: no mixed-content check.
			tr := &fetch.Transport{Origin: origin.MustParse("http://localhost:8080"), PageAddressSpace: fetch.AddressSpacePublic, Resolver: res, Base: base}
			_, err := do(t, tr, "GET", "http://"+tt.host+":"+port+"/r", nil, tt.opts)
			if err == nil || err.Reason != tt.want {
				t.Fatalf("%v; want %s", err, tt.want)
			}
			if got := len(srv.requests()) - before; got != tt.sent {
				t.Errorf("%d requests reached the server, want %d", got, tt.sent)
			}
			if tt.errOnConnected && err.Err == nil {
				t.Errorf("the failure does not say the connection reached another address")
			}
		})
	}
	t.Run(".local from https", func(t *testing.T) {
		u := fmt.Sprintf("http://printer.local:%s/r", port)
		base := dialTo(strings.TrimPrefix(srv.URL, "http://"))
		off := &fetch.Transport{Origin: origin.MustParse("https://app.example"), Base: base}
		if _, err := do(t, off, "GET", u, nil, fetch.Options{}); err == nil || err.Reason != fetch.ReasonMixedContent {
			t.Errorf("without the LNA check: %v; want %s", err, fetch.ReasonMixedContent)
		}
		on := &fetch.Transport{Origin: origin.MustParse("https://app.example"), PageAddressSpace: fetch.AddressSpacePublic,
			Resolver: res, Base: base, Permissions: fetch.Permissions{LoopbackNetwork: true}}
		if _, err := do(t, on, "GET", u, nil, fetch.Options{}); err != nil {
			t.Errorf("with the check and the permission: %v", err)
		}
		ff := &fetch.Transport{Origin: origin.MustParse("https://app.example"), Browser: fetch.Firefox, PageAddressSpace: fetch.AddressSpacePublic,
			Resolver: res, Base: base, Permissions: fetch.Permissions{LoopbackNetwork: true}}
		if _, err := do(t, ff, "GET", u, nil, fetch.Options{}); err == nil || err.Reason != fetch.ReasonMixedContent {
			t.Errorf("Firefox: %v; want %s, as it has no such exception", err, fetch.ReasonMixedContent)
		}
	})
}

// TestLocalNetworkAccessHostileHosts checks odd IP literals and names that
// a resolver could read as loopback addresses: none reaches the loopback
// server from a public page without the permission. IPv4-mapped and
// uncompressed IPv6 literals are classified by their address; the
// numeric forms a browser's URL parser turns into 127.0.0.2 (2130706434,
// 0x7f.0.0.2, 127.2, a trailing dot) are names to Go, which resolve to
// nothing: the fetch fails on the network, nothing sent.
func TestLocalNetworkAccessHostileHosts(t *testing.T) {
	srv := lnaServer(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	for _, host := range []string{"[::ffff:127.0.0.2]", "[::ffff:7f00:2]", "2130706434", "0x7f.0.0.2", "127.2", "0177.0.0.2", "127.0.0.2.", "localhost", "[::1]", "[0:0:0:0:0:0:0:1]"} {
		t.Run(host, func(t *testing.T) {
			before := len(srv.requests())
			tr := &fetch.Transport{Origin: origin.MustParse("https://app.example"), PageAddressSpace: fetch.AddressSpacePublic}
			_, err := do(t, tr, "GET", "http://"+host+":"+port+"/r", nil, fetch.Options{})
			if err == nil {
				t.Fatalf("fetched")
			}
			if got := len(srv.requests()) - before; got != 0 {
				t.Errorf("%v, and %d requests reached the server", err, got)
			}
		})
	}
}

// TestLocalNetworkAccessReport checks what the check reports: an
// EventLocalNetwork for every request checked (the preflight and the
// request, each with where the server is), and ServerAddressSpace, which
// finds the server as the check does.
func TestLocalNetworkAccessReport(t *testing.T) {
	srv := lnaServer(t)
	var events []fetch.Event
	page := func(p fetch.Permissions) *fetch.Transport {
		return &fetch.Transport{
			Origin: origin.MustParse("https://app.example"), PageAddressSpace: fetch.AddressSpacePublic, Permissions: p,
			Trace: func(e fetch.Event) {
				if e.Kind == fetch.EventLocalNetwork {
					events = append(events, e)
				}
			},
		}
	}
	if _, err := do(t, page(fetch.Permissions{LoopbackNetwork: true}), "PUT", srv.URL+"/r", nil, fetch.Options{}); err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || !events[0].Preflight || events[1].Preflight {
		t.Fatalf("events %+v; want the preflight's and the request's", events)
	}
	for _, e := range events {
		if e.Err != nil || e.Server.Space != fetch.AddressSpaceLoopback || e.Server.Addr.String() != strings.TrimPrefix(srv.URL, "http://") {
			t.Errorf("event %+v; want loopback at the server's address, allowed", e)
		}
	}
	events = nil
	if _, err := do(t, page(fetch.Permissions{}), "GET", srv.URL+"/r", nil, fetch.Options{}); err == nil || len(events) != 1 || events[0].Err == nil {
		t.Errorf("denied: %v, events %+v; want one event with the failure", err, events)
	}

	res := fakeResolver{"two.test": {netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("10.0.0.7")}}
	named := &fetch.Transport{Origin: origin.MustParse("https://app.example"), Resolver: res}
	u, _ := url.Parse("http://two.test:8080/x")
	got := named.ServerAddressSpace(t.Context(), u)
	if got.Space != fetch.AddressSpaceLocal || got.Addr.String() != "10.0.0.7:8080" || !got.Resolved || got.Err != nil {
		t.Errorf("ServerAddressSpace(two.test) = %+v; want local at 10.0.0.7:8080, the least public", got)
	}
	u, _ = url.Parse("http://none.test/")
	if got := named.ServerAddressSpace(t.Context(), u); got.Err == nil || got.Space != fetch.AddressSpaceUnknown {
		t.Errorf("ServerAddressSpace(none.test) = %+v; want the look-up's failure", got)
	}
}
