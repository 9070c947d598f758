package audit

import "fmt"

// Class is the kind of a finding. Its value is a fixed id that outside
// checks read (the -json output's "class"): ids are added, never renamed.
type Class string

// The finding classes.
const (
	// Origin matching: an attacker's origin that the server allows.
	OriginReflected      Class = "origin-reflected"       // any origin echoed back
	OriginNull           Class = "origin-null"            // Origin: null allowed (sandboxed iframes, data: URLs)
	OriginPrefixMatch    Class = "origin-prefix-match"    // https://app.example.attacker.test allowed
	OriginSuffixMatch    Class = "origin-suffix-match"    // https://attackerapp.example allowed
	OriginUnescapedDot   Class = "origin-unescaped-dot"   // a pattern's "." matches any character
	OriginSubstringMatch Class = "origin-substring-match" // any origin inside the allowed one
	OriginAnySubdomain   Class = "origin-any-subdomain"   // every subdomain of the site trusted
	OriginInsecureScheme Class = "origin-insecure-scheme" // http:// trusted by an https:// resource
	OriginSpecialChars   Class = "origin-special-chars"   // app.example_.attacker.test and the like
	OriginThirdParty     Class = "origin-third-party"     // a hosting domain anyone can publish on

	// Answers that break the legitimate page's calls or mislead.
	WildcardWithCredentials Class = "wildcard-with-credentials" // * together with credentials
	VaryOriginMissing       Class = "vary-origin-missing"       // an origin-dependent answer without Vary: Origin
	PreflightBadStatus      Class = "preflight-bad-status"      // OPTIONS answered 401, 403, 404, 405, 501...
	PreflightNoCORSHeaders  Class = "preflight-no-cors-headers" // OPTIONS answered 2xx without CORS fields
	PreflightRefused        Class = "preflight-refused"         // a typical SPA request refused by a CORS answer
	RedirectBeforeCORS      Class = "redirect-before-cors"      // a 3xx without CORS fields (trailing slash)
	MaxAgeAboveCap          Class = "max-age-above-cap"         // Access-Control-Max-Age beyond an engine's cap

	// What happens although the page cannot read the answer.
	RefusedOriginSideEffect Class = "refused-origin-side-effect" // the handler ran for a refused origin

	// Network position.
	LocalNetworkAccess Class = "local-network-access" // a local or loopback server
)

// Classes lists every class, in the order of the report.
var Classes = []Class{
	OriginReflected, OriginNull, OriginPrefixMatch, OriginSuffixMatch, OriginUnescapedDot,
	OriginSubstringMatch, OriginAnySubdomain, OriginInsecureScheme, OriginSpecialChars, OriginThirdParty,
	WildcardWithCredentials, VaryOriginMissing, PreflightBadStatus, PreflightNoCORSHeaders, PreflightRefused,
	RedirectBeforeCORS, MaxAgeAboveCap, RefusedOriginSideEffect, LocalNetworkAccess,
}

// Severity ranks a finding by what an attacker's page, or the legitimate
// page, meets in the browsers audited.
type Severity uint8

// The severities, from the least to the most severe.
const (
	// Info: worth knowing; nothing is exposed and nothing breaks that the
	// configuration does not mean to refuse.
	Info Severity = iota
	// Low: an uncredentialed read of what the server gives anyone, a risk
	// that needs more than a web page (a network attacker), or a trap for
	// calls the application may make.
	Low
	// Medium: the legitimate page's calls fail, or an attacker who holds a
	// subdomain or the network can read what the user can.
	Medium
	// High: a page anyone can publish reads what the server gives the
	// user (cookies sent, response readable) in at least one browser.
	High
)

var severityNames = [...]string{"info", "low", "medium", "high"}

// String returns the severity's name: "info", "low", "medium" or "high".
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", s)
}

// MarshalText returns the severity's name.
func (s Severity) MarshalText() ([]byte, error) {
	if int(s) >= len(severityNames) {
		return nil, fmt.Errorf("audit: no severity %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses a severity's name.
func (s *Severity) UnmarshalText(text []byte) error {
	v, err := ParseSeverity(string(text))
	if err == nil {
		*s = v
	}
	return err
}

// ParseSeverity parses "info", "low", "medium" or "high".
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if n == name {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("audit: unknown severity %q: want info, low, medium or high", name)
}
