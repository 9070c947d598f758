package audit

import (
	"errors"
	"net/http"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// Defaults of Config.
const (
	// DefaultMaxRequests is the most requests the audit sends for one URL
	// unless Config.MaxRequests says otherwise; the full set of probes
	// needs fewer.
	DefaultMaxRequests = 40
	// DefaultInterval is the least time between two requests of an audit
	// over the network unless Config.Interval says otherwise.
	DefaultInterval = 100 * time.Millisecond
)

// ChromeThirdPartyCookies is the Chrome profile with third-party cookies
// allowed: Chrome's default for most users since Google kept them (April
// 2025), where the Chrome profile, as recorded from a fresh headless
// Chromium, blocks them. An attacker's page in this browser sends the
// user's SameSite=None cookies with a credentialed fetch.
var ChromeThirdPartyCookies = func() fetch.Profile {
	p := fetch.Chrome
	p.Name = "Chrome (third-party cookies allowed)"
	p.Cookies.ThirdParty = fetch.ThirdPartyAllowed
	return p
}()

// DefaultProfiles returns the profiles audited unless Config.Profiles says
// otherwise: Chrome (third-party cookies blocked, as recorded), Chrome with
// third-party cookies allowed (ChromeThirdPartyCookies), Firefox, and
// Safari as Apple ships it (the package's Safari).
func DefaultProfiles() []fetch.Profile {
	return []fetch.Profile{fetch.Chrome, ChromeThirdPartyCookies, fetch.Firefox, Safari}
}

// Config configures an audit.
type Config struct {
	// Origin is the legitimate page's origin, the one the server is meant
	// to serve, such as https://app.example. Required. The attacker
	// origins the audit tries are derived from it.
	Origin origin.Origin

	// Profiles are the browsers whose verdicts each finding gives; nil
	// means DefaultProfiles.
	Profiles []fetch.Profile

	// Cookies are the user's cookies for the server, as the legitimate
	// page's browser holds them (with their SameSite, Secure and other
	// attributes). They go with the legitimate origin's requests only,
	// never with an attacker origin's probe; the verdicts say which of them
	// each browser would attach to an attacker page's request. Without
	// them the verdicts try three hypothetical session cookies
	// (SameSite=None; Secure, SameSite=Lax, and no SameSite) and say what
	// the answer depends on.
	Cookies []cookiestore.Cookie

	// Header holds fields sent with every probe (an API key, say).
	Header http.Header

	// UnsafeMethods allows probes with methods other than GET, HEAD and
	// OPTIONS: a POST from a refused origin, to see whether the handler
	// runs. Off, the audit never sends them.
	UnsafeMethods bool

	// MaxRequests bounds the requests sent per URL; 0 means
	// DefaultMaxRequests. Probes past the bound are skipped and listed.
	MaxRequests int

	// Interval is the least time between the answer to one request to
	// the network (or its failure) and the next request, so also between
	// two requests; 0 means DefaultInterval, a negative value does not
	// wait. RunHandler does not wait.
	Interval time.Duration

	// Base sends the requests; nil means a new http.Transport, closed
	// after the audit.
	Base http.RoundTripper

	// Resolver looks up the server's addresses for the Local Network
	// Access check; nil means net.DefaultResolver.
	Resolver fetch.Resolver

	// ServerAddressSpace is the server's address space for the Local
	// Network Access finding; AddressSpaceUnknown means the space of the
	// least public address the host resolves to (Run), or public
	// (RunHandler: the handler as deployed on a public address).
	ServerAddressSpace fetch.AddressSpace
}

// check reports a configuration that cannot be audited.
func (c *Config) check() error {
	switch {
	case c.Origin.IsZero():
		return errors.New("audit: Config.Origin is required: the legitimate page's origin, such as https://app.example")
	case c.Origin.IsOpaque():
		return errors.New("audit: Config.Origin must be a tuple origin, not null")
	}
	return nil
}

// profiles returns the profiles audited.
func (c *Config) profiles() []fetch.Profile {
	if len(c.Profiles) > 0 {
		return c.Profiles
	}
	return DefaultProfiles()
}

// maxRequests returns the bound on requests per URL.
func (c *Config) maxRequests() int {
	if c.MaxRequests > 0 {
		return c.MaxRequests
	}
	return DefaultMaxRequests
}

// interval returns the wait between requests.
func (c *Config) interval() time.Duration {
	switch {
	case c.Interval < 0:
		return 0
	case c.Interval == 0:
		return DefaultInterval
	}
	return c.Interval
}
