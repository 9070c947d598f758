package headerlist

import (
	"net/http"
	"sort"
	"strings"
)

// Values returns the values of every field named name in h, in order, with
// the name matched byte-case-insensitively as the Fetch Standard matches header
// names. Fields stored under the canonical key come first; fields stored under
// other spellings of the name (possible when a caller writes to the map
// directly) follow, ordered by key. It allocates only in that second case.
func Values(h http.Header, name string) []string {
	canon, exact := h[name]
	others := 0
	for k := range h {
		if k != name && EqualFold(k, name) {
			others++
		}
	}
	if others == 0 {
		if exact {
			return canon
		}
		return nil
	}
	keys := make([]string, 0, others)
	for k := range h {
		if k != name && EqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := append([]string(nil), canon...)
	for _, k := range keys {
		out = append(out, h[k]...)
	}
	return out
}

// Get combines field values the way the Fetch Standard's get does: null
// (reported as ok == false) when there is no field, otherwise the values in
// order joined by ", ". It allocates only when there is more than one field.
//
// [get]: https://fetch.spec.whatwg.org/#concept-header-list-get
func Get(values []string) (value string, ok bool) {
	switch len(values) {
	case 0:
		return "", false
	case 1:
		return values[0], true
	}
	return strings.Join(values, ", "), true
}

// A Splitter walks the items of a header value as the Fetch Standard's
// get, decode, and split yields them: split on commas outside HTTP quoted
// strings (quoted strings are kept verbatim, quotes included), each item with
// its leading and trailing tabs and spaces removed, empty items kept.
//
// [get, decode, and split]: https://fetch.spec.whatwg.org/#header-value-get-decode-and-split
type Splitter struct {
	s    string
	pos  int
	done bool
}

// Split returns a Splitter over value. A present but empty value yields one
// empty item, as the standard's examples require.
func Split(value string) Splitter { return Splitter{s: value} }

// SplitValues returns a Splitter over the combined value of the fields in
// values (see [Get]); with no field it yields nothing, the standard's null.
func SplitValues(values []string) Splitter {
	v, ok := Get(values)
	if !ok {
		return Splitter{done: true}
	}
	return Split(v)
}

// Next returns the next item and true, or "" and false after the last one.
func (sp *Splitter) Next() (string, bool) {
	if sp.done {
		return "", false
	}
	s := sp.s
	start := sp.pos
	i := sp.pos
	for {
		// Collect code points that are not '"' or ','.
		for i < len(s) && s[i] != '"' && s[i] != ',' {
			i++
		}
		if i < len(s) && s[i] == '"' {
			i = skipQuoted(s, i)
			if i < len(s) {
				continue
			}
		}
		break
	}
	item := TrimTabOrSpace(s[start:i])
	if i >= len(s) {
		sp.done = true
	} else {
		// s[i] is ','.
		sp.pos = i + 1
	}
	return item, true
}

// skipQuoted returns the position just past the HTTP quoted string that
// starts at s[i] == '"'. An unterminated string runs to the end of s; a
// backslash escapes the next byte.
//
// [collect an HTTP quoted string]: https://fetch.spec.whatwg.org/#collect-an-http-quoted-string
func skipQuoted(s string, i int) int {
	i++ // the opening quote
	for i < len(s) {
		switch s[i] {
		case '\\':
			i += 2
			if i > len(s) {
				return len(s)
			}
		case '"':
			return i + 1
		default:
			i++
		}
	}
	return i
}

// Status is the outcome of extracting header list values: the header is
// absent (Null), a field does not parse (Failure), or the values parsed.
//
// [extract header list values]: https://fetch.spec.whatwg.org/#extract-header-list-values
type Status uint8

const (
	Null    Status = iota // no field with the name
	Failure               // a field did not match the ABNF, or too many fields
	Parsed                // every field matched
)

// String returns "null", "failure" or "parsed".
func (s Status) String() string {
	switch s {
	case Null:
		return "null"
	case Failure:
		return "failure"
	case Parsed:
		return "parsed"
	}
	return "Status(?)"
}

// ExtractTokens extracts the header list values of a header whose ABNF is
// #token (Access-Control-Allow-Methods, -Allow-Headers and -Expose-Headers:
// #method and #field-name). Several fields are allowed and concatenated; any
// field that is not a comma-separated list of tokens makes the whole result a
// Failure, so "PUT, bad method" fails and nothing of it is used. Empty list
// elements are allowed and skipped (RFC 9110 section 5.6.1), so an empty
// field is an empty list. The returned Elements yields the tokens.
//
// [extract header list values]: https://fetch.spec.whatwg.org/#extract-header-list-values
func ExtractTokens(values []string) (Elements, Status) {
	if len(values) == 0 {
		return Elements{}, Null
	}
	for _, v := range values {
		if !IsTokenList(v) {
			return Elements{}, Failure
		}
	}
	return Elements{values: values}, Parsed
}

// IsTokenList reports whether v matches the RFC 9110 list rule #token:
// tokens separated by commas, with optional tabs and spaces around each comma
// and at either end, empty elements allowed.
func IsTokenList(v string) bool {
	i := 0
	for {
		for i < len(v) && IsTabOrSpace(v[i]) {
			i++
		}
		if i == len(v) {
			return true
		}
		if v[i] != ',' {
			start := i
			for i < len(v) && tokenTable[v[i]] {
				i++
			}
			if i == start {
				return false
			}
			for i < len(v) && IsTabOrSpace(v[i]) {
				i++
			}
			if i == len(v) {
				return true
			}
			if v[i] != ',' {
				return false
			}
		}
		i++ // the comma
	}
}

// Elements walks the non-empty elements of fields already checked by
// [ExtractTokens]. The zero value yields nothing.
type Elements struct {
	values []string
	rest   string
}

// Next returns the next element and true, or "" and false at the end.
func (e *Elements) Next() (string, bool) {
	for {
		for e.rest == "" {
			if len(e.values) == 0 {
				return "", false
			}
			e.rest, e.values = e.values[0], e.values[1:]
		}
		var elem string
		if i := strings.IndexByte(e.rest, ','); i >= 0 {
			elem, e.rest = e.rest[:i], e.rest[i+1:]
		} else {
			elem, e.rest = e.rest, ""
		}
		if elem = TrimTabOrSpace(elem); elem != "" {
			return elem, true
		}
	}
}

// Contains reports whether the elements include name, compared
// byte-exactly. It consumes a copy, so e can still be walked afterwards.
func (e Elements) Contains(name string) bool {
	for {
		x, ok := e.Next()
		if !ok {
			return false
		}
		if x == name {
			return true
		}
	}
}

// ContainsFold reports whether the elements include a byte-case-insensitive
// match for name. It consumes a copy, so e can still be walked afterwards.
func (e Elements) ContainsFold(name string) bool {
	for {
		x, ok := e.Next()
		if !ok {
			return false
		}
		if EqualFold(x, name) {
			return true
		}
	}
}

// ExtractSingle extracts the header list values of a header whose ABNF
// allows a single field (Access-Control-Max-Age, Location): Null without a
// field, Failure with more than one, otherwise the one value for the caller
// to parse against the header's ABNF.
//
// [extract header list values]: https://fetch.spec.whatwg.org/#extract-header-list-values
func ExtractSingle(values []string) (string, Status) {
	switch len(values) {
	case 0:
		return "", Null
	case 1:
		return values[0], Parsed
	}
	return "", Failure
}
