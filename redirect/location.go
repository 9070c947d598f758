package redirect

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/corsfetch/corsfetch/origin"
)

// Max is the number of redirects a fetch follows: when the redirect count is
// already Max, the next redirect is a network error, so the 21st redirect
// response fails.
//
// [HTTP-redirect fetch]: https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
const Max = 20

// IsStatus reports whether code is a redirect status: 301, 302, 303, 307 or
// 308. 300 and 304 are not.
//
// [redirect status]: https://fetch.spec.whatwg.org/#redirect-status
func IsStatus(code int) bool {
	switch code {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// The errors [Location] and [Next] wrap, for [errors.Is]. Each is a network
// error in the Fetch Standard; package fetch maps them to its own reasons.
var (
	// ErrInvalidLocation: the location URL is failure. The Location value
	// does not parse as a URL, or there are several Location fields (all of
	// them when the Policy does not accept identical ones).
	ErrInvalidLocation = errors.New("redirect: invalid Location")
	// ErrSchemeNotHTTP: the location URL's scheme is not http or https.
	ErrSchemeNotHTTP = errors.New("redirect: location URL is not http(s)")
	// ErrTooManyRedirects: the request's redirect count is already Max.
	ErrTooManyRedirects = errors.New("redirect: too many redirects")
	// ErrContainsCredentials: the location URL includes credentials where
	// the standard forbids them.
	ErrContainsCredentials = errors.New("redirect: location URL includes credentials")
	// ErrBodyNotReplayable: the request has a body whose source is null (in
	// Go: a Body without GetBody) and the status is not 303.
	ErrBodyNotReplayable = errors.New("redirect: request body cannot be sent again")
)

// Policy holds the points where engines handle redirects differently. The
// zero value is the Fetch Standard. Package fetch sets the fields from its
// browser profile.
type Policy struct {
	// Fields says what several Location fields mean. The standard extracts
	// Location as a header that allows a single field, so any second field
	// is failure (#extract-header-list-values): FieldsFail, the zero value.
	Fields LocationFields

	// Empty says what a Location field with an empty value means. In the
	// standard the empty string parses, against the response URL, to that
	// same URL, which is then followed: EmptyParsed, the zero value.
	Empty EmptyLocation

	// KeepInnerTabs keeps an ASCII tab inside a Location value, where the
	// URL parser removes every tab and newline; the tab is then
	// percent-encoded like any control byte.
	//
	// Firefox: true. A Location of {B}/r<TAB>2 is requested as /r%092,
	// where Chromium and WebKit request /r2
	// (div-redirect-location-tab).
	KeepInnerTabs bool

	// DangerouslyKeepAuthorization keeps an author-set Authorization header
	// on a cross-origin hop. The standard removes it
	// (#concept-http-redirect-fetch step 13, whatwg/fetch PR #1544).
	//
	// Chromium: false; Authorization reaches B again after B to B
	// (redirect-authorization-same-origin-hop) but not C after B to C
	// (redirect-authorization-cross-origin-hop) nor B after A to B
	// (redirect-authorization-a-to-b). Firefox: false since Firefox 111;
	// WebKit: false. Only older engines kept it.
	DangerouslyKeepAuthorization bool

	// Latin1Location reads the bytes of a Location value as Latin-1 (each
	// byte one code point) after replacing each byte that is not part of
	// valid UTF-8 with U+FFFD, so that a byte above 0x7F goes out as the
	// UTF-8 encoding of that code point: the UTF-8 bytes C3 A9 of "é" are
	// requested as %C3%83%C2%A9, a lone byte E9 as %C3%AF%C2%BF%C2%BD. The
	// standard decodes the value as UTF-8 (#concept-response-location-url,
	// "extracting header list values" then the URL parser's UTF-8
	// percent-encoding).
	//
	// WebKitGTK 2.50: true (redirect-location-non-ascii-path,
	// redirect-location-non-ascii-query, redirect-location-latin1-byte in
	// conformance/corpus/webkit.json); libsoup, its network library,
	// makes header values valid UTF-8, and WebKit reads them as Latin-1.
	// Chromium and Firefox request %C3%A9, and a lone byte as %E9.
	Latin1Location bool
}

// LocationFields is what a profile makes of several Location fields.
type LocationFields uint8

const (
	// FieldsFail is the standard: a second Location field is failure.
	FieldsFail LocationFields = iota

	// FieldsIdentical counts several fields with byte-identical values as
	// one; differing values are failure. Chromium: two identical fields are
	// followed (redirect-two-fields), two different ones fail
	// (redirect-two-fields-different). Firefox: the same; netwerk's
	// test_duplicate_headers.js (bugs 597706, 655389) accepts repeated
	// identical Location fields and fails differing ones, an empty one
	// among them included.
	FieldsIdentical

	// FieldsJoined reads the fields as one value, joined with ", ", and
	// parses that. WebKitGTK 2.50: it requests the joined value resolved as
	// a URL, whose path then holds ", " and the second URL
	// (redirect-two-fields, redirect-two-fields-different in
	// conformance/corpus/webkit.json).
	FieldsJoined
)

// EmptyLocation is what a profile makes of a Location field whose value is
// empty.
type EmptyLocation uint8

const (
	// EmptyParsed is the standard: the empty string parses to the response
	// URL, which is followed again. Firefox: 20 redirects, then the fetch
	// fails (redirect-empty in firefox.json).
	EmptyParsed EmptyLocation = iota

	// EmptyNoRedirect reads it as no Location at all, so the redirect
	// response is the response. Chromium: the 302 is handed to script
	// (redirect-empty).
	EmptyNoRedirect

	// EmptyFails makes it a network error. WebKitGTK 2.50: the fetch fails
	// without a second request (redirect-empty in webkit.json).
	EmptyFails
)

// Location returns the response's location URL for a response with the given
// status and header, whose URL is base:
//
//   - nil and no error when status is not a redirect status, when there is no
//     Location field, or (with [EmptyNoRedirect]) when its value is empty:
//     the response is then the response;
//   - an error wrapping [ErrInvalidLocation] when the Location fields fail
//     extraction (several fields, unless [Policy.Fields] accepts them) or the
//     value does not parse as a URL against base;
//   - otherwise the parsed URL. When it has no fragment it takes base's
//     fragment, so base must be the request's current URL with its fragment
//     (the response URL is that URL).
//
// The URL is not checked for its scheme: a data: or ftp: location is returned
// and [Next] rejects it. For http and https the host is validated and
// serialized as the URL Standard does (see the package doc). A nil base
// allows absolute locations only. The returned URL is new; base is not
// modified.
//
// [location URL]: https://fetch.spec.whatwg.org/#concept-response-location-url
func Location(status int, h http.Header, base *url.URL, p Policy) (*url.URL, error) {
	// #concept-response-location-url step 1: "not a redirect status".
	if !IsStatus(status) {
		return nil, nil
	}
	// Step 2: extract header list values given `Location`. Location's ABNF
	// allows a single field.
	vals := h.Values("Location")
	switch {
	case len(vals) == 0:
		return nil, nil
	case len(vals) > 1 && p.Fields == FieldsJoined:
		vals = []string{strings.Join(vals, ", ")}
	case len(vals) > 1:
		if p.Fields != FieldsIdentical {
			return nil, fmt.Errorf("%w: %d Location fields", ErrInvalidLocation, len(vals))
		}
		for _, v := range vals[1:] {
			if v != vals[0] {
				return nil, fmt.Errorf("%w: %d Location fields with different values", ErrInvalidLocation, len(vals))
			}
		}
	}
	raw := vals[0]
	switch {
	case raw == "" && p.Empty == EmptyFails:
		return nil, fmt.Errorf("%w: empty Location", ErrInvalidLocation)
	case raw == "" && p.Empty == EmptyNoRedirect:
		return nil, nil
	}
	if p.Latin1Location {
		raw = latin1ToUTF8(raw)
	}
	// Step 3: parse location with response's URL.
	u, hasFragment, err := parse(raw, base, p.KeepInnerTabs)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %v", ErrInvalidLocation, raw, err)
	}
	// Step 4: "If location is a URL whose fragment is null, then set
	// location's fragment to requestFragment."
	if !hasFragment && base != nil {
		u.Fragment, u.RawFragment = base.Fragment, base.RawFragment
	}
	return u, nil
}

// isSpecial reports whether scheme (lower case) is a special scheme of the
// URL Standard other than file, whose parsing differs.
//
// [special scheme]: https://url.spec.whatwg.org/#special-scheme
func isSpecial(scheme string) bool {
	switch scheme {
	case "http", "https", "ws", "wss", "ftp":
		return true
	}
	return false
}

// schemePrefix returns the length of the scheme at the start of s, without
// the colon, as the URL Standard's scheme state reads it (an ASCII letter,
// then letters, digits, "+", "-", "."), or 0 when s does not start with one.
//
// [scheme state]: https://url.spec.whatwg.org/#scheme-state
func schemePrefix(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return i
		default:
			return 0
		}
	}
	return 0
}

// clean removes what the URL parser removes before it starts: leading and
// trailing C0 controls and spaces, and every ASCII tab or newline (tabs
// inside the value stay when keepTabs is set).
//
// [basic URL parser]: https://url.spec.whatwg.org/#concept-basic-url-parser
func clean(s string, keepTabs bool) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' && !keepTabs || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	return s
}

// percentEncodeUnsafe percent-encodes the bytes of s that the URL parser
// percent-encodes in every component it keeps them in (path, query and
// fragment): C0 controls, space, '"', '<', '>', '`', DEL and every byte
// above 0x7F (UTF-8). net/url would keep a space in a query raw, and the
// request line would break; browsers send "?q=a%20b" (div-redirect-location-space).
// In a host the encoded byte still fails the host parser, as it should.
//
// [percent-encode sets]: https://url.spec.whatwg.org/#fragment-percent-encode-set
func percentEncodeUnsafe(s string) string {
	need := false
	for i := 0; i < len(s); i++ {
		if isUnsafeURLByte(s[i]) {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnsafeURLByte(c) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isUnsafeURLByte reports whether c is in the fragment percent-encode set
// (the C0 control percent-encode set, space, '"', '<', '>', '`'), which the
// path and query sets include too.
func isUnsafeURLByte(c byte) bool {
	return c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '`'
}

// slashes turns backslashes into slashes up to the first "?" or "#", as the
// URL parser treats "\" in a special URL's authority and path.
func slashes(s string) string {
	end := strings.IndexAny(s, "?#")
	if end < 0 {
		end = len(s)
	}
	if !strings.Contains(s[:end], `\`) {
		return s
	}
	return strings.ReplaceAll(s[:end], `\`, "/") + s[end:]
}

// relative makes s, a relative reference in the URL Standard's reading, one
// that net/url reads the same way: a first segment with a colon would be a
// scheme to net/url, so it gets "./" in front.
func relative(s string) string {
	end := strings.IndexAny(s, "/?#")
	if end < 0 {
		end = len(s)
	}
	if strings.Contains(s[:end], ":") {
		return "./" + s
	}
	return s
}

// parse parses raw against base as the URL parser would for the special
// schemes, through net/url (see the package doc), and reports whether the
// input had a fragment.
func parse(raw string, base *url.URL, keepTabs bool) (u *url.URL, hasFragment bool, err error) {
	s := clean(raw, keepTabs)
	baseScheme := ""
	if base != nil {
		baseScheme = strings.ToLower(base.Scheme)
	}
	if n := schemePrefix(s); n > 0 {
		scheme, rest := strings.ToLower(s[:n]), s[n+1:]
		if !isSpecial(scheme) {
			// Never followed (Next rejects the scheme); parse it only to
			// return it. What net/url cannot parse keeps its scheme.
			hasFragment = strings.Contains(rest, "#")
			if u, err = url.Parse(s); err != nil {
				return &url.URL{Scheme: scheme, Opaque: rest}, hasFragment, nil
			}
			return u, hasFragment, nil
		}
		rest = slashes(rest)
		switch {
		case scheme == baseScheme && !strings.HasPrefix(rest, "//"):
			// Special relative or authority state, then relative state.
			s = relative(rest)
		default:
			// Special authority (ignore) slashes state.
			s = scheme + "://" + strings.TrimLeft(rest, "/")
		}
	} else if base == nil || isSpecial(baseScheme) {
		s = slashes(s)
		if strings.HasPrefix(s, "//") {
			// Relative slash state, then special authority ignore slashes.
			s = "//" + strings.TrimLeft(s, "/")
		} else {
			s = relative(s)
		}
	}
	if strings.HasPrefix(s, "//") && isSpecial(baseScheme) || schemeSlashes(s) {
		// The host state of a special URL fails on an empty host:
		// "//", "http://" and "https:///?q" are failure, where net/url
		// would read an empty authority as none and resolve "//" to
		// the base URL itself.
		if authorityEmpty(s) {
			return nil, false, errors.New("empty host")
		}
	}
	s = dotSegments(s)
	hasFragment = strings.Contains(s, "#")
	ref, err := url.Parse(percentEncodeUnsafe(s))
	if err != nil {
		return nil, false, err
	}
	if base != nil {
		u = base.ResolveReference(ref)
	} else {
		u = ref
	}
	if u.Scheme == "" {
		return nil, false, errors.New("relative URL without a base")
	}
	if u.Scheme == "http" || u.Scheme == "https" {
		if err := normalizeHTTP(u); err != nil {
			return nil, false, err
		}
	}
	return u, hasFragment, nil
}

// normalizeHTTP validates u's host as the URL parser's host parser does and
// writes u the way the URL serializer would: host serialized, default port
// dropped, empty path "/", empty userinfo dropped.
//
// [host parser]: https://url.spec.whatwg.org/#concept-host-parser
func normalizeHTTP(u *url.URL) error {
	if u.Opaque != "" {
		return errors.New("no authority")
	}
	o, err := origin.FromURLStrict(u)
	if err != nil {
		return err
	}
	host := o.Host()
	if port, ok := o.Port(); ok {
		host += ":" + strconv.Itoa(port)
	}
	u.Host = host
	if u.User != nil {
		if pw, _ := u.User.Password(); u.User.Username() == "" && pw == "" {
			u.User = nil
		}
	}
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	return nil
}

// schemeSlashes reports whether s starts with a special scheme followed by
// "://", the form parse gives every absolute special URL.
func schemeSlashes(s string) bool {
	n := schemePrefix(s)
	return n > 0 && isSpecial(strings.ToLower(s[:n])) && strings.HasPrefix(s[n:], "://")
}

// authorityEmpty reports whether the authority after the first "//" of s is
// empty (no host, no userinfo, no port): the next byte ends it.
func authorityEmpty(s string) bool {
	i := strings.Index(s, "//")
	rest := s[i+2:]
	return rest == "" || strings.IndexByte("/?#", rest[0]) >= 0
}

// dotSegments rewrites the path segments of s that the URL parser reads as
// "." or ".." although they are percent-encoded ("%2e", ".%2E", "%2e%2e",
// any case) into their plain form, so that net/url's resolution removes them
// as the URL parser does ("single-dot URL path segment", "double-dot URL
// path segment"). The path is what follows the scheme and authority, up to
// the query or fragment.
//
// [double-dot URL path segment]: https://url.spec.whatwg.org/#double-dot-path-segment
func dotSegments(s string) string {
	if !strings.Contains(s, "%2") {
		return s
	}
	start := 0
	if n := schemePrefix(s); n > 0 {
		start = n + 1
	}
	if strings.HasPrefix(s[start:], "//") {
		end := strings.IndexAny(s[start+2:], "/?#")
		if end < 0 {
			return s
		}
		start += 2 + end
	}
	end := strings.IndexAny(s[start:], "?#")
	if end < 0 {
		end = len(s) - start
	}
	path := s[start : start+end]
	segs := strings.Split(path, "/")
	changed := false
	for i, seg := range segs {
		if len(seg) < 3 {
			continue
		}
		switch strings.ToLower(seg) {
		case "%2e":
			segs[i], changed = ".", true
		case ".%2e", "%2e.", "%2e%2e":
			segs[i], changed = "..", true
		}
	}
	if !changed {
		return s
	}
	return s[:start] + strings.Join(segs, "/") + s[start+end:]
}

// latin1ToUTF8 returns s as WebKitGTK reads a Location value: libsoup first
// replaces each byte that is not part of valid UTF-8 with U+FFFD, then WebKit
// takes each byte of the result as a Latin-1 code point, encoded here in
// UTF-8. "é" as UTF-8 (C3 A9) becomes "Ã©" (C3 83 C2 A9); a lone byte E9
// becomes the three code points of EF BF BD.
func latin1ToUTF8(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var valid strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			valid.WriteRune(utf8.RuneError)
			i++
			continue
		}
		valid.WriteString(s[i : i+n])
		i += n
	}
	v := valid.String()
	var b strings.Builder
	b.Grow(2 * len(v))
	for j := 0; j < len(v); j++ {
		b.WriteRune(rune(v[j]))
	}
	return b.String()
}
