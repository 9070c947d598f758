package origin_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/origin"
)

func TestFromURL(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		url                string
		want               string // the serialization; "null" for opaque
	}{
		{"https", "#concept-url-origin", "tuple origin", "https://a.example/path?q#f", "https://a.example"},
		{"default port dropped", "#default-port", "443 is https's default", "https://a.example:443/", "https://a.example"},
		{"http default", "#default-port", "80 is http's default", "http://a.example:80/", "http://a.example"},
		{"other port kept", "#ascii-serialisation-of-an-origin", "a non-default port is written", "https://a.example:8443/", "https://a.example:8443"},
		{"80 on https kept", "#default-port", "80 is not https's default", "https://a.example:80/", "https://a.example:80"},
		{"port zero", "#url-port", "port 0 is a port", "http://a.example:0/", "http://a.example:0"},
		{"leading zeros in port", "#url-port", "the port is a number; 0080 is 80, the default", "http://a.example:0080/", "http://a.example"},
		{"empty port", "#url-port", "an empty port is no port", "http://a.example:/", "http://a.example"},
		{"case", "#concept-domain-to-ascii", "scheme and host are lower-cased", "HTTPS://A.Example/", "https://a.example"},
		{"idn", "#concept-domain-to-ascii", "Unicode hosts become punycode", "https://bücher.example/", "https://xn--bcher-kva.example"},
		{"idn upper", "#concept-domain-to-ascii", "UTS 46 maps case in Unicode labels", "https://BÜCHER.example/", "https://xn--bcher-kva.example"},
		{"punycode kept", "#concept-domain-to-ascii", "valid punycode stays as it is", "https://xn--bcher-kva.example/", "https://xn--bcher-kva.example"},
		{"ws", "#concept-url-origin", "ws has tuple origins", "ws://a.example/", "ws://a.example"},
		{"wss default", "#default-port", "443 is wss's default", "wss://a.example:443/", "wss://a.example"},
		{"ftp", "#concept-url-origin", "ftp has tuple origins in the URL Standard", "ftp://a.example:21/", "ftp://a.example"},
		{"userinfo ignored", "#concept-url-origin", "credentials are not part of the origin", "https://u:p@a.example/", "https://a.example"},
		{"ipv4", "#concept-ipv4-serializer", "dotted decimal", "http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"ipv4 hex", "#concept-ipv4-parser", "browsers accept hex parts", "http://0x7f.0.0.1/", "http://127.0.0.1"},
		{"ipv4 short", "#concept-ipv4-parser", "fewer parts fill the last", "http://127.1/", "http://127.0.0.1"},
		{"ipv4 octal", "#concept-ipv4-parser", "a leading zero means octal", "http://0177.0.0.01/", "http://127.0.0.1"},
		{"ipv4 single number", "#concept-ipv4-parser", "one number is the whole address", "http://2130706433/", "http://127.0.0.1"},
		{"ipv4 trailing dot", "#concept-ipv4-parser", "one trailing dot is allowed", "http://127.0.0.1./", "http://127.0.0.1"},
		{"ipv6", "#concept-ipv6-serializer", "brackets, lower case, compressed", "http://[0:0:0:0:0:0:0:1]:8080/", "http://[::1]:8080"},
		{"ipv6 upper", "#concept-ipv6-serializer", "hex is lower-cased", "http://[2001:DB8::A]/", "http://[2001:db8::a]"},
		{"ipv6 embedded v4", "#concept-ipv6-serializer", "no embedded IPv4 form in the serialization", "http://[::ffff:1.2.3.4]/", "http://[::ffff:102:304]"},
		{"ipv6 first longest run", "#concept-ipv6-serializer", "the first of equal runs is compressed", "http://[1:0:0:2:0:0:3:4]/", "http://[1::2:0:0:3:4]"},
		{"ipv6 single zero", "#concept-ipv6-serializer", "a single zero piece is not compressed", "http://[1:0:2:3:4:5:6:7]/", "http://[1:0:2:3:4:5:6:7]"},
		{"ipv6 longest run", "#concept-ipv6-serializer", "the longest run wins", "http://[1:0:2:0:0:0:3:4]/", "http://[1:0:2::3:4]"},
		{"ipv6 trailing run", "#concept-ipv6-serializer", "a run at the end", "http://[1:0:0:0:0:0:0:0]/", "http://[1::]"},
		{"blob", "#concept-url-origin", "a blob URL has its inner URL's origin", "blob:https://a.example:8443/0b1c", "https://a.example:8443"},
		{"blob of data", "#concept-url-origin", "a blob URL of anything but http(s)/file is opaque", "blob:data:text/plain,x", "null"},
		{"file", "#concept-url-origin", "file origins are opaque here", "file:///etc/passwd", "null"},
		{"data", "#concept-url-origin", "data URLs have a new opaque origin", "data:text/plain,hi", "null"},
		{"about", "#concept-url-origin", "about URLs have opaque origins", "about:blank", "null"},
		{"unknown scheme", "#concept-url-origin", "unknown schemes are opaque", "chrome-extension://abc/x", "null"},
		{"javascript", "#concept-url-origin", "javascript URLs are opaque", "javascript:alert(1)", "null"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			o := origin.FromURL(u)
			if got := o.String(); got != tc.want {
				t.Errorf("FromURL(%q) = %q; want %q (%s: %s)", tc.url, got, tc.want, tc.spec, tc.reason)
			}
			if o.IsOpaque() != (tc.want == "null") {
				t.Errorf("FromURL(%q).IsOpaque() = %v", tc.url, o.IsOpaque())
			}
			if tc.want == "null" && o == origin.FromURL(u) {
				t.Errorf("FromURL(%q) twice gave equal opaque origins; each must be new (%s)", tc.url, tc.spec)
			}
		})
	}
}

func TestFromURLStrictErrors(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		u                  *url.URL
		wantIn             string
	}{
		{"nil", "#concept-url-origin", "no URL, no origin", nil, "nil URL"},
		{"empty host", "#concept-host-parser", "special URLs need a host", &url.URL{Scheme: "https", Path: "/x"}, "empty host"},
		{"forbidden code point", "#forbidden-domain-code-point", "^ may not be in a domain", &url.URL{Scheme: "https", Host: "a^b.example"}, "forbidden code point"},
		{"percent in host", "#forbidden-domain-code-point", "% after decoding is forbidden", &url.URL{Scheme: "https", Host: "a%2525b"}, "forbidden"},
		{"ipv4 out of range", "#concept-ipv4-parser", "a part above 255 before the last", &url.URL{Scheme: "http", Host: "256.0.0.1"}, "out of range"},
		{"ipv4 too many parts", "#concept-ipv4-parser", "at most four parts", &url.URL{Scheme: "http", Host: "1.2.3.4.5"}, "more than four"},
		{"ipv4 bad number", "#ends-in-a-number-checker", "a last numeric label makes the host an IPv4 address", &url.URL{Scheme: "http", Host: "a.0x1g.1"}, "invalid IPv4"},
		{"port too big", "#url-port", "ports are 16-bit", &url.URL{Scheme: "http", Host: "a.example:65536"}, "out of range"},
		{"ipv6 zone", "#concept-ipv6-parser", "zone identifiers are not allowed", &url.URL{Scheme: "http", Host: "[fe80::1%eth0]"}, "zone"},
		{"bad punycode", "#concept-domain-to-ascii", "invalid punycode fails IDNA", &url.URL{Scheme: "https", Host: "xn--a.example"}, "IDNA"},
		{"punycode that does not decode", "#concept-domain-to-ascii", "a label x/net/idna encodes but cannot decode would serialize to an origin Parse refuses (found by FuzzFromURL); documented deviation",
			&url.URL{Scheme: "https", Host: strings.Repeat("a", 3000) + "\u01e3"}, "does not parse again"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			o, err := origin.FromURLStrict(tc.u)
			if err == nil || !strings.Contains(err.Error(), tc.wantIn) {
				t.Errorf("FromURLStrict(%v) = %v, %v; want an error containing %q (%s: %s)", tc.u, o, err, tc.wantIn, tc.spec, tc.reason)
			}
			if tc.u != nil && !origin.FromURL(tc.u).IsOpaque() {
				t.Errorf("FromURL(%v) must be a new opaque origin when the host is invalid", tc.u)
			}
		})
	}
	if o, err := origin.FromURLStrict(&url.URL{Scheme: "data", Opaque: "x"}); err != nil || !o.IsOpaque() {
		t.Errorf("FromURLStrict(data:) = %v, %v; want a new opaque origin without error", o, err)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		in                 string
		want               string // serialization, or "" for an error
		errIn              string // part of the error's Problem
	}{
		{"https", "#ascii-serialisation-of-an-origin", "a serialized origin round-trips", "https://a.example", "https://a.example", ""},
		{"port", "#ascii-serialisation-of-an-origin", "a port round-trips", "https://a.example:8443", "https://a.example:8443", ""},
		{"ipv6", "#ascii-serialisation-of-an-origin", "IPv6 in brackets", "http://[::1]:8080", "http://[::1]:8080", ""},
		{"ipv6 no port", "#ascii-serialisation-of-an-origin", "IPv6 without port", "http://[::1]", "http://[::1]", ""},
		{"null", "#ascii-serialisation-of-an-origin", "null is an opaque origin", "null", "null", ""},
		{"upper normalized", "#ascii-serialisation-of-an-origin", "case is normalized (documented leniency)", "HTTPS://A.EXAMPLE", "https://a.example", ""},
		{"default port normalized", "#default-port", "a default port is dropped (documented leniency)", "https://a.example:443", "https://a.example", ""},
		{"unicode normalized", "#concept-domain-to-ascii", "IDNA is applied (documented leniency)", "https://bücher.example", "https://xn--bcher-kva.example", ""},
		{"trailing slash", "#ascii-serialisation-of-an-origin", "a serialized origin has no path", "https://a.example/", "", "trailing slash"},
		{"path", "#ascii-serialisation-of-an-origin", "a serialized origin has no path", "https://a.example/x", "", "path"},
		{"query", "#ascii-serialisation-of-an-origin", "no query", "https://a.example?x", "", "query"},
		{"fragment", "#ascii-serialisation-of-an-origin", "no fragment", "https://a.example#x", "", "fragment"},
		{"userinfo", "#ascii-serialisation-of-an-origin", "no userinfo", "https://u@a.example", "", "userinfo"},
		{"empty host", "#concept-host-parser", "a tuple origin has a host", "https://", "", "empty host"},
		{"empty host with port", "#concept-host-parser", "a tuple origin has a host", "https://:8080", "", "empty host"},
		{"empty port", "#ascii-serialisation-of-an-origin", "':' must be followed by a port", "https://a.example:", "", "empty port"},
		{"port not number", "#url-port", "ports are digits", "https://a.example:8o", "", "not a number"},
		{"port negative", "#url-port", "ports are digits", "https://a.example:-1", "", "not a number"},
		{"port too big", "#url-port", "ports are 16-bit", "https://a.example:70000", "", "out of range"},
		{"file", "#concept-url-origin", "file origins are opaque and serialize as null", "file://", "", "no tuple origin"},
		{"unknown scheme", "#concept-url-origin", "unknown schemes have opaque origins", "foo://a.example", "", "no tuple origin"},
		{"no scheme", "#ascii-serialisation-of-an-origin", "a serialized origin has a scheme", "a.example", "", `no "://"`},
		{"empty scheme", "#ascii-serialisation-of-an-origin", "a serialized origin has a scheme", "://a.example", "", "empty scheme"},
		{"empty", "#ascii-serialisation-of-an-origin", "the empty string is not an origin", "", "", "empty string"},
		{"NULL", "#origin-header", "null is case-sensitive", "NULL", "", "case-sensitive"},
		{"space", "#forbidden-domain-code-point", "a space is forbidden in a host", "https://a example", "", "forbidden"},
		{"ipv6 unclosed", "#concept-ipv6-parser", "brackets must close", "http://[::1", "", "closing bracket"},
		{"ipv6 junk after", "#concept-ipv6-parser", "only a port may follow", "http://[::1]x", "", "after the IPv6"},
		{"bad ipv6", "#concept-ipv6-parser", "not an address", "http://[::g]", "", "invalid IPv6"},
		{"invalid utf-8", "#concept-domain-to-ascii", "a host must be valid UTF-8", "https://a\xff.example", "", "UTF-8"},
		{"control byte", "#forbidden-domain-code-point", "C0 controls are forbidden", "https://a\x01.example", "", "forbidden"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			o, err := origin.Parse(tc.in)
			if tc.want != "" {
				if err != nil || o.String() != tc.want {
					t.Errorf("Parse(%q) = %q, %v; want %q (%s: %s)", tc.in, o, err, tc.want, tc.spec, tc.reason)
				}
				return
			}
			var pe *origin.ParseError
			if !errors.As(err, &pe) || !strings.Contains(pe.Problem, tc.errIn) || pe.Input != tc.in {
				t.Errorf("Parse(%q) = %q, %v; want a *ParseError whose problem contains %q (%s: %s)", tc.in, o, err, tc.errIn, tc.spec, tc.reason)
			}
			if !o.IsZero() {
				t.Errorf("Parse(%q) returned a non-zero origin with its error", tc.in)
			}
		})
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse(bad) did not panic")
		}
	}()
	origin.MustParse("https://a.example/")
}

func TestSameOriginAndSite(t *testing.T) {
	op := origin.NewOpaque()
	tests := []struct {
		desc, spec, reason string
		a, b               origin.Origin
		sameOrigin         bool
		sameSite           bool
	}{
		{"identical", "#same-origin", "same scheme, host, port", origin.MustParse("https://a.example"), origin.MustParse("https://a.example:443"), true, true},
		{"other port", "#same-site", "ports do not matter for sites", origin.MustParse("http://127.0.0.1:8080"), origin.MustParse("http://127.0.0.1:9090"), false, true},
		{"other loopback address", "#same-site", "IP hosts compare whole: 127.0.0.2 is another site", origin.MustParse("http://127.0.0.1"), origin.MustParse("http://127.0.0.2"), false, false},
		{"subdomains", "#same-site", "same registrable domain", origin.MustParse("https://a.example.com"), origin.MustParse("https://b.example.com"), false, true},
		{"scheme", "#same-site", "schemeful: http and https differ", origin.MustParse("http://a.example.com"), origin.MustParse("https://a.example.com"), false, false},
		{"public suffix private section", "#host-registrable-domain", "github.io is a public suffix, so users are different sites", origin.MustParse("https://a.github.io"), origin.MustParse("https://b.github.io"), false, false},
		{"co.uk", "#host-registrable-domain", "the registrable domain is one label under the suffix", origin.MustParse("https://a.example.co.uk"), origin.MustParse("https://b.example.co.uk"), false, true},
		{"co.uk different", "#host-registrable-domain", "different registrable domains", origin.MustParse("https://example.co.uk"), origin.MustParse("https://other.co.uk"), false, false},
		{"trailing dot", "#same-site", "HTML's example: example.com and example.com. are not same site", origin.MustParse("https://example.com"), origin.MustParse("https://example.com."), false, false},
		{"localhost subdomain", "#obtain-a-site", "localhost is a public suffix by the implicit * rule", origin.MustParse("http://a.localhost"), origin.MustParse("http://b.localhost"), false, false},
		{"ipv6", "#obtain-a-site", "IPv6 hosts compare whole", origin.MustParse("http://[::1]:1"), origin.MustParse("http://[::1]:2"), false, true},
		{"opaque self", "#same-origin", "an opaque origin is same origin with itself", op, op, true, true},
		{"opaque other", "#same-origin", "two opaque origins differ", op, origin.NewOpaque(), false, false},
		{"opaque and tuple", "#same-site", "opaque and tuple never match", op, origin.MustParse("https://a.example"), false, false},
		{"two nulls", "#same-origin", "each parsed null is a new opaque origin", origin.MustParse("null"), origin.MustParse("null"), false, false},
		{"zero", "#same-origin", "the zero Origin matches nothing", origin.Origin{}, origin.Origin{}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := tc.a.SameOrigin(tc.b); got != tc.sameOrigin {
				t.Errorf("%v.SameOrigin(%v) = %v; want %v (%s: %s)", tc.a, tc.b, got, tc.sameOrigin, tc.spec, tc.reason)
			}
			if got := tc.b.SameOrigin(tc.a); got != tc.sameOrigin {
				t.Errorf("SameOrigin is not symmetric for %v, %v", tc.a, tc.b)
			}
			if got := tc.a.SameSite(tc.b); got != tc.sameSite {
				t.Errorf("%v.SameSite(%v) = %v; want %v (%s: %s)", tc.a, tc.b, got, tc.sameSite, tc.spec, tc.reason)
			}
			if got := tc.b.SameSite(tc.a); got != tc.sameSite {
				t.Errorf("SameSite is not symmetric for %v, %v", tc.a, tc.b)
			}
			if tc.sameOrigin != (tc.a == tc.b && !tc.a.IsZero()) {
				t.Errorf("== disagrees with SameOrigin for %v, %v", tc.a, tc.b)
			}
			if !tc.a.IsOpaque() && !tc.b.IsOpaque() && !tc.a.IsZero() && (tc.a.Site() == tc.b.Site()) != tc.sameSite {
				t.Errorf("Site() %q and %q disagree with SameSite = %v", tc.a.Site(), tc.b.Site(), tc.sameSite)
			}
		})
	}
}

func TestSite(t *testing.T) {
	tests := []struct {
		o    origin.Origin
		want string
		why  string
	}{
		{origin.MustParse("https://a.example.com:8443"), "https://example.com", "registrable domain, no port (#obtain-a-site)"},
		{origin.MustParse("http://127.0.0.1:8000"), "http://127.0.0.1", "an IP address is its own site"},
		{origin.MustParse("http://[::1]:1"), "http://[::1]", "IPv6 serialized in brackets"},
		{origin.MustParse("https://a.github.io"), "https://a.github.io", "under a public suffix of the private section"},
		{origin.MustParse("http://localhost:3000"), "http://localhost", "a public suffix by the implicit * rule is its own site"},
		{origin.NewOpaque(), "null", "an opaque origin's site is itself, serialized null"},
		{origin.Origin{}, "", "the zero Origin has none"},
	}
	for _, tt := range tests {
		if got := tt.o.Site(); got != tt.want {
			t.Errorf("%v.Site() = %q; want %q (%s)", tt.o, got, tt.want, tt.why)
		}
	}
}

func TestPotentiallyTrustworthy(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		url                string
		origin, url2       bool
	}{
		{"https", "#is-origin-trustworthy", "https is trustworthy", "https://a.example/", true, true},
		{"wss", "#is-origin-trustworthy", "wss is trustworthy", "wss://a.example/", true, true},
		{"http", "#is-origin-trustworthy", "plain http is not", "http://a.example/", false, false},
		{"loopback v4", "#is-origin-trustworthy", "127.0.0.0/8 is loopback", "http://127.0.0.2:8080/", true, true},
		{"loopback v6", "#is-origin-trustworthy", "::1 is loopback", "http://[::1]/", true, true},
		{"not loopback", "#is-origin-trustworthy", "other IPs are not", "http://10.0.0.1/", false, false},
		{"localhost", "#is-origin-trustworthy", "localhost is trustworthy", "http://localhost:3000/", true, true},
		{"localhost subdomain", "#is-origin-trustworthy", "*.localhost is trustworthy", "http://api.localhost/", true, true},
		{"localhost dot", "#is-origin-trustworthy", "localhost. is trustworthy", "http://localhost./", true, true},
		{"notlocalhost", "#is-origin-trustworthy", "only the localhost label counts", "http://notlocalhost/", false, false},
		{"data", "#potentially-trustworthy-url", "data: URLs are trustworthy, their origin is not", "data:text/plain,x", false, true},
		{"about blank", "#potentially-trustworthy-url", "about:blank is trustworthy", "about:blank", false, true},
		{"about other", "#potentially-trustworthy-url", "other about: URLs are not", "about:config", false, false},
		{"file", "#potentially-trustworthy-url", "file: URLs are trustworthy", "file:///x", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			u, _ := url.Parse(tc.url)
			if got := origin.FromURL(u).IsPotentiallyTrustworthy(); got != tc.origin {
				t.Errorf("FromURL(%q).IsPotentiallyTrustworthy() = %v; want %v (%s: %s)", tc.url, got, tc.origin, tc.spec, tc.reason)
			}
			if got := origin.IsURLPotentiallyTrustworthy(u); got != tc.url2 {
				t.Errorf("IsURLPotentiallyTrustworthy(%q) = %v; want %v (%s: %s)", tc.url, got, tc.url2, tc.spec, tc.reason)
			}
		})
	}
	if (origin.Origin{}).IsPotentiallyTrustworthy() || origin.IsURLPotentiallyTrustworthy(nil) {
		t.Error("zero and nil are not trustworthy")
	}
}

func TestAccessors(t *testing.T) {
	o := origin.MustParse("http://[::1]:8080")
	if o.Scheme() != "http" || o.Host() != "[::1]" {
		t.Errorf("Scheme, Host = %q, %q", o.Scheme(), o.Host())
	}
	if p, ok := o.Port(); p != 8080 || !ok {
		t.Errorf("Port() = %d, %v; want 8080, true", p, ok)
	}
	if p, ok := origin.MustParse("https://a.example").Port(); p != 0 || ok {
		t.Errorf("Port() of a default port = %d, %v; want 0, false (null)", p, ok)
	}
	if !(origin.Origin{}).IsZero() || o.IsZero() || origin.NewOpaque().IsZero() {
		t.Error("IsZero")
	}
	if (origin.Origin{}).String() != "" {
		t.Error("the zero Origin serializes as the empty string")
	}
}

// FuzzParse checks that Parse never panics, that what it accepts serializes
// to a string Parse accepts again with the same result (a fixed point), and
// that every rejection is a *ParseError.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"https://a.example", "http://[::1]:80", "null", "https://a.example/", "ws://0x7f.1", "https://xn--bcher-kva.example:65535", "http://[::ffff:1.2.3.4]", "https://bücher.de", "ftp://a:21"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := origin.Parse(s)
		if err != nil {
			var pe *origin.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v is not a *ParseError", s, err)
			}
			return
		}
		ser := o.String()
		o2, err := origin.Parse(ser)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse again: %v", s, ser, err)
		}
		if ser != "null" && o2 != o {
			t.Fatalf("Parse(%q) = %q is not a fixed point: %q", s, ser, o2)
		}
		if ser != "null" && ser != strings.ToLower(ser) {
			t.Fatalf("Parse(%q) = %q is not lower case", s, ser)
		}
	})
}

// FuzzFromURL checks that the origin of any URL net/url accepts is computed
// without panic, and that a tuple origin's serialization parses back to it.
func FuzzFromURL(f *testing.F) {
	for _, s := range []string{"https://a.example/x", "blob:https://a/b", "data:,", "http://0x7f.1/", "http://[::1]:0/", "HTTP://Bücher.DE:80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		o := origin.FromURL(u)
		if o.IsOpaque() {
			return
		}
		back, err := origin.Parse(o.String())
		if err != nil || back != o {
			t.Fatalf("FromURL(%q) = %q does not parse back: %v, %v", s, o, back, err)
		}
	})
}
