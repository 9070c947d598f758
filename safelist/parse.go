package safelist

import "github.com/corsfetch/corsfetch/internal/headerlist"

// parseMIMEEssence runs the MIME Sniffing Standard's "parse a MIME type" on
// the isomorphic decoding of v, as far as the essence: it returns the type
// and subtype (not lower-cased) and whether parsing succeeded. The steps that
// follow the subtype only collect parameters and can never fail, and
// parameters are not part of the essence, so they are not run.
//
// [parse a MIME type]: https://mimesniff.spec.whatwg.org/#parse-a-mime-type
func parseMIMEEssence(v string) (typ, subtype string, ok bool) {
	// Step 1: remove leading and trailing HTTP whitespace.
	v = headerlist.TrimWhitespace(v)
	// Steps 3-5: type is everything up to "/", a non-empty token, and the
	// "/" must be there.
	i := 0
	for i < len(v) && v[i] != '/' {
		i++
	}
	typ = v[:i]
	if !headerlist.IsToken(typ) || i == len(v) {
		return "", "", false
	}
	// Steps 6-9: subtype is everything after "/" up to ";", trailing HTTP
	// whitespace removed, a non-empty token.
	rest := v[i+1:]
	j := 0
	for j < len(rest) && rest[j] != ';' {
		j++
	}
	subtype = rest[:j]
	for len(subtype) > 0 && headerlist.IsWhitespace(subtype[len(subtype)-1]) {
		subtype = subtype[:len(subtype)-1]
	}
	if !headerlist.IsToken(subtype) {
		return "", "", false
	}
	return typ, subtype, true
}

// parseSingleRange runs "parse a single range header value": the value must
// start with "bytes" (case-sensitively), then "=", optional digits (start),
// "-", optional digits (end), and nothing more; at least one of start and end
// must be present, and start <= end when both are. With allowWhitespace,
// HTTP tabs and spaces may surround "=" and "-". The digits are returned as
// written, so that huge values cannot overflow; "" means null.
//
// [parse a single range header value]: https://fetch.spec.whatwg.org/#simple-range-header-value
func parseSingleRange(v string, allowWhitespace bool) (start, end string, ok bool) {
	const prefix = "bytes"
	if len(v) < len(prefix) || v[:len(prefix)] != prefix {
		return "", "", false
	}
	pos := len(prefix)
	skip := func() {
		for allowWhitespace && pos < len(v) && headerlist.IsTabOrSpace(v[pos]) {
			pos++
		}
	}
	digits := func() string {
		s := pos
		for pos < len(v) && '0' <= v[pos] && v[pos] <= '9' {
			pos++
		}
		return v[s:pos]
	}
	skip()
	if pos == len(v) || v[pos] != '=' {
		return "", "", false
	}
	pos++
	skip()
	start = digits()
	skip()
	if pos == len(v) || v[pos] != '-' {
		return "", "", false
	}
	pos++
	skip()
	end = digits()
	if pos != len(v) {
		return "", "", false
	}
	if start == "" && end == "" {
		return "", "", false
	}
	if start != "" && end != "" && compareDecimal(start, end) > 0 {
		return "", "", false
	}
	return start, end, true
}

// ParseRange runs the Fetch Standard's "parse a single range header value"
// with whitespace allowed around "=" and "-", the form in which an HTTP
// stack reads a Range it can serve. It returns the first and last byte
// positions as written ("" for one that is absent), and whether v is a
// single valid byte range (start <= end when both are present).
//
// [parse a single range header value]: https://fetch.spec.whatwg.org/#simple-range-header-value
func ParseRange(v string) (start, end string, ok bool) {
	return parseSingleRange(v, true)
}

// compareDecimal compares two strings of ASCII digits as the numbers they
// write, whatever their length. It returns -1, 0 or +1.
func compareDecimal(a, b string) int {
	for len(a) > 1 && a[0] == '0' {
		a = a[1:]
	}
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
