package headerlist

// tokenTable marks the bytes of the RFC 9110 tchar production:
// "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" /
// "`" / "|" / "~" / DIGIT / ALPHA.
var tokenTable = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// IsTokenByte reports whether b is an HTTP token code point (RFC 9110 tchar).
//
// [HTTP token code point]: https://mimesniff.spec.whatwg.org/#http-token-code-point
func IsTokenByte(b byte) bool { return tokenTable[b] }

// IsToken reports whether s is a non-empty HTTP token, the grammar of a
// method and of a header name.
//
// [method]: https://fetch.spec.whatwg.org/#concept-method
// [header name]: https://fetch.spec.whatwg.org/#header-name
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenTable[s[i]] {
			return false
		}
	}
	return true
}

// IsCanonicalToken reports whether s is a token in the form
// textproto.CanonicalMIMEHeaderKey gives a header name (its first letter and
// each letter after a hyphen upper case, its other letters lower case), as
// net/http delivers every valid name it parses: one pass, where canonicalizing
// to compare walks the name twice.
func IsCanonicalToken(s string) bool {
	if s == "" {
		return false
	}
	upper := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			if upper {
				return false
			}
		case 'A' <= c && c <= 'Z':
			if !upper {
				return false
			}
		case !tokenTable[c]:
			return false
		}
		upper = c == '-'
	}
	return true
}

// IsTabOrSpace reports whether b is an HTTP tab or space byte (0x09 or 0x20).
//
// [HTTP tab or space byte]: https://fetch.spec.whatwg.org/#http-tab-or-space-byte
func IsTabOrSpace(b byte) bool { return b == '\t' || b == ' ' }

// IsWhitespace reports whether b is an HTTP whitespace byte (0x09, 0x0A, 0x0D
// or 0x20).
//
// [HTTP whitespace byte]: https://fetch.spec.whatwg.org/#http-whitespace-byte
func IsWhitespace(b byte) bool { return b == '\t' || b == '\n' || b == '\r' || b == ' ' }

// TrimTabOrSpace removes leading and trailing HTTP tab or space bytes.
func TrimTabOrSpace(s string) string {
	for len(s) > 0 && IsTabOrSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && IsTabOrSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// TrimWhitespace removes leading and trailing HTTP whitespace bytes, which is
// how a header value is normalized.
//
// [normalize]: https://fetch.spec.whatwg.org/#concept-header-value-normalize
func TrimWhitespace(s string) string {
	for len(s) > 0 && IsWhitespace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && IsWhitespace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// IsValue reports whether s is a header value: no leading or trailing HTTP
// tab or space byte, and no 0x00, 0x0A or 0x0D byte anywhere.
//
// [header value]: https://fetch.spec.whatwg.org/#header-value
func IsValue(s string) bool {
	if s != "" && (IsTabOrSpace(s[0]) || IsTabOrSpace(s[len(s)-1])) {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0x00, '\n', '\r':
			return false
		}
	}
	return true
}

// lower returns b with 0x41-0x5A mapped to 0x61-0x7A; no other byte changes.
func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// EqualFold reports whether a and b are a byte-case-insensitive match: equal
// after mapping 0x41-0x5A to 0x61-0x7A. Unlike [strings.EqualFold] it never
// folds non-ASCII letters (the Kelvin sign does not match "k").
//
// [byte-case-insensitive]: https://infra.spec.whatwg.org/#byte-case-insensitive
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// HasPrefixFold reports whether s starts with a byte-case-insensitive match
// for prefix.
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && EqualFold(s[:len(prefix)], prefix)
}

// IsLower reports whether s has no byte in 0x41-0x5A.
func IsLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

// ToLower byte-lowercases s. It returns s itself, without allocating, when s
// is already lower case.
//
// [byte-lowercase]: https://infra.spec.whatwg.org/#byte-lowercase
func ToLower(s string) string {
	if IsLower(s) {
		return s
	}
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		b[i] = lower(s[i])
	}
	return string(b)
}

// AppendLower appends the byte-lowercase form of s to dst.
func AppendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, lower(s[i]))
	}
	return dst
}

// CompareFold compares a and b as their byte-lowercase forms would compare
// bytewise, without building them. It returns -1, 0 or +1.
func CompareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := lower(a[i]), lower(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}
