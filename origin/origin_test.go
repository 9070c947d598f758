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
		{desc: "https", spec: "#concept-url-origin", reason: "tuple origin", url: "https://a.example/path?q#f", want: "https://a.example"},
		{desc: "default port dropped", spec: "#default-port", reason: "443 is https's default", url: "https://a.example:443/", want: "https://a.example"},
		{desc: "http default", spec: "#default-port", reason: "80 is http's default", url: "http://a.example:80/", want: "http://a.example"},
		{desc: "other port kept", spec: "#ascii-serialisation-of-an-origin", reason: "a non-default port is written", url: "https://a.example:8443/", want: "https://a.example:8443"},
		{desc: "80 on https kept", spec: "#default-port", reason: "80 is not https's default", url: "https://a.example:80/", want: "https://a.example:80"},
		{desc: "port zero", spec: "#url-port", reason: "port 0 is a port", url: "http://a.example:0/", want: "http://a.example:0"},
		{desc: "leading zeros in port", spec: "#url-port", reason: "the port is a number; 0080 is 80, the default", url: "http://a.example:0080/", want: "http://a.example"},
		{desc: "empty port", spec: "#url-port", reason: "an empty port is no port", url: "http://a.example:/", want: "http://a.example"},
		{desc: "case", spec: "#concept-domain-to-ascii", reason: "scheme and host are lower-cased", url: "HTTPS://A.Example/", want: "https://a.example"},
		{desc: "idn", spec: "#concept-domain-to-ascii", reason: "Unicode hosts become punycode", url: "https://bücher.example/", want: "https://xn--bcher-kva.example"},
		{desc: "idn upper", spec: "#concept-domain-to-ascii", reason: "UTS 46 maps case in Unicode labels", url: "https://BÜCHER.example/", want: "https://xn--bcher-kva.example"},
		{desc: "punycode kept", spec: "#concept-domain-to-ascii", reason: "valid punycode stays as it is", url: "https://xn--bcher-kva.example/", want: "https://xn--bcher-kva.example"},
		{desc: "ws", spec: "#concept-url-origin", reason: "ws has tuple origins", url: "ws://a.example/", want: "ws://a.example"},
		{desc: "wss default", spec: "#default-port", reason: "443 is wss's default", url: "wss://a.example:443/", want: "wss://a.example"},
		{desc: "ftp", spec: "#concept-url-origin", reason: "ftp has tuple origins in the URL Standard", url: "ftp://a.example:21/", want: "ftp://a.example"},
		{desc: "userinfo ignored", spec: "#concept-url-origin", reason: "credentials are not part of the origin", url: "https://u:p@a.example/", want: "https://a.example"},
		{desc: "ipv4", spec: "#concept-ipv4-serializer", reason: "dotted decimal", url: "http://127.0.0.1:8080/", want: "http://127.0.0.1:8080"},
		{desc: "ipv4 hex", spec: "#concept-ipv4-parser", reason: "browsers accept hex parts", url: "http://0x7f.0.0.1/", want: "http://127.0.0.1"},
		{desc: "ipv4 short", spec: "#concept-ipv4-parser", reason: "fewer parts fill the last", url: "http://127.1/", want: "http://127.0.0.1"},
		{desc: "ipv4 octal", spec: "#concept-ipv4-parser", reason: "a leading zero means octal", url: "http://0177.0.0.01/", want: "http://127.0.0.1"},
		{desc: "ipv4 single number", spec: "#concept-ipv4-parser", reason: "one number is the whole address", url: "http://2130706433/", want: "http://127.0.0.1"},
		{desc: "ipv4 trailing dot", spec: "#concept-ipv4-parser", reason: "one trailing dot is allowed", url: "http://127.0.0.1./", want: "http://127.0.0.1"},
		{desc: "ipv6", spec: "#concept-ipv6-serializer", reason: "brackets, lower case, compressed", url: "http://[0:0:0:0:0:0:0:1]:8080/", want: "http://[::1]:8080"},
		{desc: "ipv6 upper", spec: "#concept-ipv6-serializer", reason: "hex is lower-cased", url: "http://[2001:DB8::A]/", want: "http://[2001:db8::a]"},
		{desc: "ipv6 embedded v4", spec: "#concept-ipv6-serializer", reason: "no embedded IPv4 form in the serialization", url: "http://[::ffff:1.2.3.4]/", want: "http://[::ffff:102:304]"},
		{desc: "ipv6 first longest run", spec: "#concept-ipv6-serializer", reason: "the first of equal runs is compressed", url: "http://[1:0:0:2:0:0:3:4]/", want: "http://[1::2:0:0:3:4]"},
		{desc: "ipv6 single zero", spec: "#concept-ipv6-serializer", reason: "a single zero piece is not compressed", url: "http://[1:0:2:3:4:5:6:7]/", want: "http://[1:0:2:3:4:5:6:7]"},
		{desc: "ipv6 longest run", spec: "#concept-ipv6-serializer", reason: "the longest run wins", url: "http://[1:0:2:0:0:0:3:4]/", want: "http://[1:0:2::3:4]"},
		{desc: "ipv6 trailing run", spec: "#concept-ipv6-serializer", reason: "a run at the end", url: "http://[1:0:0:0:0:0:0:0]/", want: "http://[1::]"},
		{desc: "blob", spec: "#concept-url-origin", reason: "a blob URL has its inner URL's origin", url: "blob:https://a.example:8443/0b1c", want: "https://a.example:8443"},
		{desc: "blob of data", spec: "#concept-url-origin", reason: "a blob URL of anything but http(s)/file is opaque", url: "blob:data:text/plain,x", want: "null"},
		{desc: "file", spec: "#concept-url-origin", reason: "file origins are opaque here", url: "file:///etc/passwd", want: "null"},
		{desc: "data", spec: "#concept-url-origin", reason: "data URLs have a new opaque origin", url: "data:text/plain,hi", want: "null"},
		{desc: "about", spec: "#concept-url-origin", reason: "about URLs have opaque origins", url: "about:blank", want: "null"},
		{desc: "unknown scheme", spec: "#concept-url-origin", reason: "unknown schemes are opaque", url: "chrome-extension://abc/x", want: "null"},
		{desc: "javascript", spec: "#concept-url-origin", reason: "javascript URLs are opaque", url: "javascript:alert(1)", want: "null"},
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
		{desc: "nil", spec: "#concept-url-origin", reason: "no URL, no origin", u: nil, wantIn: "nil URL"},
		{desc: "empty host", spec: "#concept-host-parser", reason: "special URLs need a host", u: &url.URL{Scheme: "https", Path: "/x"}, wantIn: "empty host"},
		{desc: "forbidden code point", spec: "#forbidden-domain-code-point", reason: "^ may not be in a domain", u: &url.URL{Scheme: "https", Host: "a^b.example"}, wantIn: "forbidden code point"},
		{desc: "percent in host", spec: "#forbidden-domain-code-point", reason: "% after decoding is forbidden", u: &url.URL{Scheme: "https", Host: "a%2525b"}, wantIn: "forbidden"},
		{desc: "ipv4 out of range", spec: "#concept-ipv4-parser", reason: "a part above 255 before the last", u: &url.URL{Scheme: "http", Host: "256.0.0.1"}, wantIn: "out of range"},
		{desc: "ipv4 too many parts", spec: "#concept-ipv4-parser", reason: "at most four parts", u: &url.URL{Scheme: "http", Host: "1.2.3.4.5"}, wantIn: "more than four"},
		{desc: "ipv4 bad number", spec: "#ends-in-a-number-checker", reason: "a last numeric label makes the host an IPv4 address", u: &url.URL{Scheme: "http", Host: "a.0x1g.1"}, wantIn: "invalid IPv4"},
		{desc: "port too big", spec: "#url-port", reason: "ports are 16-bit", u: &url.URL{Scheme: "http", Host: "a.example:65536"}, wantIn: "out of range"},
		{desc: "ipv6 zone", spec: "#concept-ipv6-parser", reason: "zone identifiers are not allowed", u: &url.URL{Scheme: "http", Host: "[fe80::1%eth0]"}, wantIn: "zone"},
		{desc: "bad punycode", spec: "#concept-domain-to-ascii", reason: "invalid punycode fails IDNA", u: &url.URL{Scheme: "https", Host: "xn--a.example"}, wantIn: "IDNA"},
		{desc: "punycode that does not decode", spec: "#concept-domain-to-ascii", reason: "a label x/net/idna encodes but cannot decode would serialize to an origin Parse refuses (found by FuzzFromURL); documented deviation",
			u: &url.URL{Scheme: "https", Host: strings.Repeat("a", 3000) + "\u01e3"}, wantIn: "does not parse again"},
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
		{desc: "https", spec: "#ascii-serialisation-of-an-origin", reason: "a serialized origin round-trips", in: "https://a.example", want: "https://a.example", errIn: ""},
		{desc: "port", spec: "#ascii-serialisation-of-an-origin", reason: "a port round-trips", in: "https://a.example:8443", want: "https://a.example:8443", errIn: ""},
		{desc: "ipv6", spec: "#ascii-serialisation-of-an-origin", reason: "IPv6 in brackets", in: "http://[::1]:8080", want: "http://[::1]:8080", errIn: ""},
		{desc: "ipv6 no port", spec: "#ascii-serialisation-of-an-origin", reason: "IPv6 without port", in: "http://[::1]", want: "http://[::1]", errIn: ""},
		{desc: "null", spec: "#ascii-serialisation-of-an-origin", reason: "null is an opaque origin", in: "null", want: "null", errIn: ""},
		{desc: "upper normalized", spec: "#ascii-serialisation-of-an-origin", reason: "case is normalized (documented leniency)", in: "HTTPS://A.EXAMPLE", want: "https://a.example", errIn: ""},
		{desc: "default port normalized", spec: "#default-port", reason: "a default port is dropped (documented leniency)", in: "https://a.example:443", want: "https://a.example", errIn: ""},
		{desc: "unicode normalized", spec: "#concept-domain-to-ascii", reason: "IDNA is applied (documented leniency)", in: "https://bücher.example", want: "https://xn--bcher-kva.example", errIn: ""},
		{desc: "trailing slash", spec: "#ascii-serialisation-of-an-origin", reason: "a serialized origin has no path", in: "https://a.example/", want: "", errIn: "trailing slash"},
		{desc: "path", spec: "#ascii-serialisation-of-an-origin", reason: "a serialized origin has no path", in: "https://a.example/x", want: "", errIn: "path"},
		{desc: "query", spec: "#ascii-serialisation-of-an-origin", reason: "no query", in: "https://a.example?x", want: "", errIn: "query"},
		{desc: "fragment", spec: "#ascii-serialisation-of-an-origin", reason: "no fragment", in: "https://a.example#x", want: "", errIn: "fragment"},
		{desc: "userinfo", spec: "#ascii-serialisation-of-an-origin", reason: "no userinfo", in: "https://u@a.example", want: "", errIn: "userinfo"},
		{desc: "empty host", spec: "#concept-host-parser", reason: "a tuple origin has a host", in: "https://", want: "", errIn: "empty host"},
		{desc: "empty host with port", spec: "#concept-host-parser", reason: "a tuple origin has a host", in: "https://:8080", want: "", errIn: "empty host"},
		{desc: "empty port", spec: "#ascii-serialisation-of-an-origin", reason: "':' must be followed by a port", in: "https://a.example:", want: "", errIn: "empty port"},
		{desc: "port not number", spec: "#url-port", reason: "ports are digits", in: "https://a.example:8o", want: "", errIn: "not a number"},
		{desc: "port negative", spec: "#url-port", reason: "ports are digits", in: "https://a.example:-1", want: "", errIn: "not a number"},
		{desc: "port too big", spec: "#url-port", reason: "ports are 16-bit", in: "https://a.example:70000", want: "", errIn: "out of range"},
		{desc: "file", spec: "#concept-url-origin", reason: "file origins are opaque and serialize as null", in: "file://", want: "", errIn: "no tuple origin"},
		{desc: "unknown scheme", spec: "#concept-url-origin", reason: "unknown schemes have opaque origins", in: "foo://a.example", want: "", errIn: "no tuple origin"},
		{desc: "no scheme", spec: "#ascii-serialisation-of-an-origin", reason: "a serialized origin has a scheme", in: "a.example", want: "", errIn: `no "://"`},
		{desc: "empty scheme", spec: "#ascii-serialisation-of-an-origin", reason: "a serialized origin has a scheme", in: "://a.example", want: "", errIn: "empty scheme"},
		{desc: "empty", spec: "#ascii-serialisation-of-an-origin", reason: "the empty string is not an origin", in: "", want: "", errIn: "empty string"},
		{desc: "NULL", spec: "#origin-header", reason: "null is case-sensitive", in: "NULL", want: "", errIn: "case-sensitive"},
		{desc: "space", spec: "#forbidden-domain-code-point", reason: "a space is forbidden in a host", in: "https://a example", want: "", errIn: "forbidden"},
		{desc: "ipv6 unclosed", spec: "#concept-ipv6-parser", reason: "brackets must close", in: "http://[::1", want: "", errIn: "closing bracket"},
		{desc: "ipv6 junk after", spec: "#concept-ipv6-parser", reason: "only a port may follow", in: "http://[::1]x", want: "", errIn: "after the IPv6"},
		{desc: "bad ipv6", spec: "#concept-ipv6-parser", reason: "not an address", in: "http://[::g]", want: "", errIn: "invalid IPv6"},
		{desc: "invalid utf-8", spec: "#concept-domain-to-ascii", reason: "a host must be valid UTF-8", in: "https://a\xff.example", want: "", errIn: "UTF-8"},
		{desc: "control byte", spec: "#forbidden-domain-code-point", reason: "C0 controls are forbidden", in: "https://a\x01.example", want: "", errIn: "forbidden"},
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
		{desc: "identical", spec: "#same-origin", reason: "same scheme, host, port", a: origin.MustParse("https://a.example"), b: origin.MustParse("https://a.example:443"), sameOrigin: true, sameSite: true},
		{desc: "other port", spec: "#same-site", reason: "ports do not matter for sites", a: origin.MustParse("http://127.0.0.1:8080"), b: origin.MustParse("http://127.0.0.1:9090"), sameOrigin: false, sameSite: true},
		{desc: "other loopback address", spec: "#same-site", reason: "IP hosts compare whole: 127.0.0.2 is another site", a: origin.MustParse("http://127.0.0.1"), b: origin.MustParse("http://127.0.0.2"), sameOrigin: false, sameSite: false},
		{desc: "subdomains", spec: "#same-site", reason: "same registrable domain", a: origin.MustParse("https://a.example.com"), b: origin.MustParse("https://b.example.com"), sameOrigin: false, sameSite: true},
		{desc: "scheme", spec: "#same-site", reason: "schemeful: http and https differ", a: origin.MustParse("http://a.example.com"), b: origin.MustParse("https://a.example.com"), sameOrigin: false, sameSite: false},
		{desc: "public suffix private section", spec: "#host-registrable-domain", reason: "github.io is a public suffix, so users are different sites", a: origin.MustParse("https://a.github.io"), b: origin.MustParse("https://b.github.io"), sameOrigin: false, sameSite: false},
		{desc: "co.uk", spec: "#host-registrable-domain", reason: "the registrable domain is one label under the suffix", a: origin.MustParse("https://a.example.co.uk"), b: origin.MustParse("https://b.example.co.uk"), sameOrigin: false, sameSite: true},
		{desc: "co.uk different", spec: "#host-registrable-domain", reason: "different registrable domains", a: origin.MustParse("https://example.co.uk"), b: origin.MustParse("https://other.co.uk"), sameOrigin: false, sameSite: false},
		{desc: "trailing dot", spec: "#same-site", reason: "HTML's example: example.com and example.com. are not same site", a: origin.MustParse("https://example.com"), b: origin.MustParse("https://example.com."), sameOrigin: false, sameSite: false},
		{desc: "localhost subdomain", spec: "#obtain-a-site", reason: "localhost is a public suffix by the implicit * rule", a: origin.MustParse("http://a.localhost"), b: origin.MustParse("http://b.localhost"), sameOrigin: false, sameSite: false},
		{desc: "ipv6", spec: "#obtain-a-site", reason: "IPv6 hosts compare whole", a: origin.MustParse("http://[::1]:1"), b: origin.MustParse("http://[::1]:2"), sameOrigin: false, sameSite: true},
		{desc: "opaque self", spec: "#same-origin", reason: "an opaque origin is same origin with itself", a: op, b: op, sameOrigin: true, sameSite: true},
		{desc: "opaque other", spec: "#same-origin", reason: "two opaque origins differ", a: op, b: origin.NewOpaque(), sameOrigin: false, sameSite: false},
		{desc: "opaque and tuple", spec: "#same-site", reason: "opaque and tuple never match", a: op, b: origin.MustParse("https://a.example"), sameOrigin: false, sameSite: false},
		{desc: "two nulls", spec: "#same-origin", reason: "each parsed null is a new opaque origin", a: origin.MustParse("null"), b: origin.MustParse("null"), sameOrigin: false, sameSite: false},
		{desc: "zero", spec: "#same-origin", reason: "the zero Origin matches nothing", a: origin.Origin{}, b: origin.Origin{}, sameOrigin: false, sameSite: false},
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
		{o: origin.MustParse("https://a.example.com:8443"), want: "https://example.com", why: "registrable domain, no port (#obtain-a-site)"},
		{o: origin.MustParse("http://127.0.0.1:8000"), want: "http://127.0.0.1", why: "an IP address is its own site"},
		{o: origin.MustParse("http://[::1]:1"), want: "http://[::1]", why: "IPv6 serialized in brackets"},
		{o: origin.MustParse("https://a.github.io"), want: "https://a.github.io", why: "under a public suffix of the private section"},
		{o: origin.MustParse("http://localhost:3000"), want: "http://localhost", why: "a public suffix by the implicit * rule is its own site"},
		{o: origin.NewOpaque(), want: "null", why: "an opaque origin's site is itself, serialized null"},
		{o: origin.Origin{}, want: "", why: "the zero Origin has none"},
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
		{desc: "https", spec: "#is-origin-trustworthy", reason: "https is trustworthy", url: "https://a.example/", origin: true, url2: true},
		{desc: "wss", spec: "#is-origin-trustworthy", reason: "wss is trustworthy", url: "wss://a.example/", origin: true, url2: true},
		{desc: "http", spec: "#is-origin-trustworthy", reason: "plain http is not", url: "http://a.example/", origin: false, url2: false},
		{desc: "loopback v4", spec: "#is-origin-trustworthy", reason: "127.0.0.0/8 is loopback", url: "http://127.0.0.2:8080/", origin: true, url2: true},
		{desc: "loopback v6", spec: "#is-origin-trustworthy", reason: "::1 is loopback", url: "http://[::1]/", origin: true, url2: true},
		{desc: "not loopback", spec: "#is-origin-trustworthy", reason: "other IPs are not", url: "http://10.0.0.1/", origin: false, url2: false},
		{desc: "localhost", spec: "#is-origin-trustworthy", reason: "localhost is trustworthy", url: "http://localhost:3000/", origin: true, url2: true},
		{desc: "localhost subdomain", spec: "#is-origin-trustworthy", reason: "*.localhost is trustworthy", url: "http://api.localhost/", origin: true, url2: true},
		{desc: "localhost dot", spec: "#is-origin-trustworthy", reason: "localhost. is trustworthy", url: "http://localhost./", origin: true, url2: true},
		{desc: "notlocalhost", spec: "#is-origin-trustworthy", reason: "only the localhost label counts", url: "http://notlocalhost/", origin: false, url2: false},
		{desc: "data", spec: "#potentially-trustworthy-url", reason: "data: URLs are trustworthy, their origin is not", url: "data:text/plain,x", origin: false, url2: true},
		{desc: "about blank", spec: "#potentially-trustworthy-url", reason: "about:blank is trustworthy", url: "about:blank", origin: false, url2: true},
		{desc: "about other", spec: "#potentially-trustworthy-url", reason: "other about: URLs are not", url: "about:config", origin: false, url2: false},
		{desc: "file", spec: "#potentially-trustworthy-url", reason: "file: URLs are trustworthy", url: "file:///x", origin: false, url2: true},
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
