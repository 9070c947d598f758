package origin

import (
	"errors"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// uts46 is domain to ASCII with the URL Standard's settings: CheckHyphens
// false, CheckBidi true, CheckJoiners true, UseSTD3ASCIIRules false,
// Transitional_Processing false, VerifyDnsLength false.
var uts46 = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.CheckJoiners(true),
	idna.CheckHyphens(false),
	idna.StrictDomainName(false),
	idna.Transitional(false),
	idna.VerifyDNSLength(false),
)

// isForbiddenDomainByte reports whether b is a forbidden domain code point
// (in its ASCII range: the URL Standard checks after conversion to ASCII).
//
// [forbidden domain code point]: https://url.spec.whatwg.org/#forbidden-domain-code-point
func isForbiddenDomainByte(b byte) bool {
	if b <= 0x1F || b == 0x7F {
		return true
	}
	switch b {
	case ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|', '%':
		return true
	}
	return false
}

// parseHost parses the host of a special URL and returns its serialization:
// a lower-case ASCII domain, a dotted-decimal IPv4 address, or a bracketed
// compressed IPv6 address.
//
// [host parser]: https://url.spec.whatwg.org/#concept-host-parser
func parseHost(input string) (string, error) {
	if input == "" {
		return "", errors.New("empty host")
	}
	if isSerializedHost(input) {
		return input, nil
	}
	if strings.HasPrefix(input, "[") {
		if !strings.HasSuffix(input, "]") {
			return "", errors.New("IPv6 address without closing bracket")
		}
		return parseIPv6(input[1 : len(input)-1])
	}
	if strings.Contains(input, ":") && !strings.Contains(input, "%") {
		// net/url's Hostname strips the brackets of an IPv6 literal.
		return parseIPv6(input)
	}
	domain, err := url.PathUnescape(input)
	if err != nil {
		return "", errors.New("invalid percent-encoding in host")
	}
	ascii, err := domainToASCII(domain)
	if err != nil {
		return "", err
	}
	for i := 0; i < len(ascii); i++ {
		if isForbiddenDomainByte(ascii[i]) {
			return "", errors.New("forbidden code point " + strconv.QuoteRune(rune(ascii[i])) + " in host")
		}
	}
	if endsInNumber(ascii) {
		return parseIPv4(ascii)
	}
	return ascii, nil
}

// isSerializedHost reports whether s is already a host as the URL Standard
// serializes it, so that parsing it would return it unchanged: a lower-case
// ASCII domain of letters, digits, hyphens and dots with no punycode label
// and a last label that starts with a letter (so it does not end in a
// number), or an IPv4 address in canonical dotted-decimal form. It is the
// fast path of parseHost for the hosts seen on almost every request.
func isSerializedHost(s string) bool {
	if s == "" || s[0] == '.' {
		return false
	}
	lastLabel, labelLen, digitsOnly, quad, parts := 0, 0, true, 0, 1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if labelLen == 0 || i+1 == len(s) {
				return false
			}
			if digitsOnly && labelLen <= 3 && (labelLen == 1 || s[i-labelLen] != '0') && quad <= 255 {
				parts++
			} else {
				parts = -100
			}
			lastLabel, labelLen, digitsOnly, quad = i+1, 0, true, 0
			continue
		case 'a' <= c && c <= 'z' || c == '-':
			digitsOnly = false
		case '0' <= c && c <= '9':
			quad = quad*10 + int(c-'0')
		default:
			return false
		}
		if labelLen == 0 && i+4 <= len(s) && s[i:i+4] == "xn--" {
			return false
		}
		labelLen++
	}
	last := s[lastLabel]
	if 'a' <= last && last <= 'z' {
		return true
	}
	// A dotted quad: four parts of one to three digits, no leading zero,
	// each at most 255.
	return digitsOnly && parts == 4 && labelLen <= 3 && (labelLen == 1 || s[lastLabel] != '0') && quad <= 255
}

// domainToASCII runs the URL Standard's domain to ASCII with beStrict false.
//
// [domain to ASCII]: https://url.spec.whatwg.org/#concept-domain-to-ascii
func domainToASCII(domain string) (string, error) {
	fast := true
	for i := 0; i < len(domain); i++ {
		if domain[i] >= 0x80 {
			fast = false
			break
		}
	}
	if fast {
		for _, label := range strings.Split(domain, ".") {
			if len(label) >= 4 && strings.EqualFold(label[:4], "xn--") {
				fast = false
				break
			}
		}
	}
	if fast {
		// Step 1: an ASCII domain without punycode labels is only lower-cased.
		return strings.ToLower(domain), nil
	}
	if !utf8Valid(domain) {
		return "", errors.New("host is not valid UTF-8")
	}
	a, err := uts46.ToASCII(domain)
	if err != nil {
		return "", errors.New("host fails IDNA processing: " + err.Error())
	}
	// x/net/idna encodes labels it cannot decode again (a Punycode label
	// of a few thousand characters overflows its decoder), and such a host
	// would serialize to an origin that does not parse. Refuse it here.
	if _, err := uts46.ToASCII(a); err != nil {
		return "", errors.New("host's IDNA result does not parse again: " + err.Error())
	}
	if a == "" {
		return "", errors.New("host is empty after IDNA processing")
	}
	return a, nil
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// endsInNumber runs the URL Standard's ends in a number checker.
//
// [ends in a number checker]: https://url.spec.whatwg.org/#ends-in-a-number-checker
func endsInNumber(s string) bool {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4Number parses one part of an IPv4 address: "0x"-prefixed hex,
// "0"-prefixed octal, or decimal, with an empty number after a prefix being
// zero. Values too large for uint64 report ok with a value above 2^32, which
// every caller rejects.
//
// [IPv4 number parser]: https://url.spec.whatwg.org/#ipv4-number-parser
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	if s == "" {
		return 0, true
	}
	const tooBig = 1 << 40
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d int
		switch {
		case '0' <= c && c <= '9':
			d = int(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = int(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = int(c-'A') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		if n < tooBig {
			n = n*uint64(base) + uint64(d)
		}
	}
	return n, true
}

// parseIPv4 runs the URL Standard's IPv4 parser and serializes the result.
//
// [IPv4 parser]: https://url.spec.whatwg.org/#concept-ipv4-parser
func parseIPv4(s string) (string, error) {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", errors.New("IPv4 address with more than four parts")
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return "", errors.New("invalid IPv4 address part " + strconv.Quote(p))
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return "", errors.New("IPv4 address part out of range")
		}
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return "", errors.New("IPv4 address out of range")
	}
	ip := last
	for i, n := range nums[:len(nums)-1] {
		ip += n << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(ip >> 24), byte(ip >> 16), byte(ip >> 8), byte(ip)}).String(), nil
}

// parseIPv6 parses an IPv6 address without brackets and returns it
// serialized in brackets.
//
// [IPv6 parser]: https://url.spec.whatwg.org/#concept-ipv6-parser
func parseIPv6(s string) (string, error) {
	if strings.Contains(s, "%") {
		return "", errors.New("IPv6 zone identifiers are not allowed in URLs")
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() {
		return "", errors.New("invalid IPv6 address " + strconv.Quote(s))
	}
	return "[" + serializeIPv6(a.As16()) + "]", nil
}

// serializeIPv6 writes the eight pieces in lower-case hex without leading
// zeros, replacing the first longest run of two or more zero pieces with
// "::", and never writing an embedded IPv4 form.
//
// [IPv6 serializer]: https://url.spec.whatwg.org/#concept-ipv6-serializer
func serializeIPv6(b [16]byte) string {
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var sb strings.Builder
	for i := 0; i < 8; i++ {
		if i == best {
			if i == 0 {
				sb.WriteString("::")
			} else {
				sb.WriteString(":")
			}
			i += bestLen - 1
			continue
		}
		sb.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
		if i != 7 {
			sb.WriteString(":")
		}
	}
	return sb.String()
}
