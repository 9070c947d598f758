package headerlist

import (
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// splitAll collects every item a Splitter yields; nil means it yielded none.
func splitAll(sp Splitter) []string {
	var out []string
	for {
		item, ok := sp.Next()
		if !ok {
			return out
		}
		out = append(out, item)
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		in                 string
		want               []string
	}{
		{desc: "spec example trailing comma", spec: "#header-value-get-decode-and-split", reason: "a trailing comma leaves an empty last item", in: "nosniff,", want: []string{"nosniff", ""}},
		{desc: "spec example empty value", spec: "#header-value-get-decode-and-split", reason: "a present empty field is one empty item", in: "", want: []string{""}},
		{desc: "spec example quoted comma", spec: "#header-value-get-decode-and-split", reason: "commas inside quotes do not split; quotes are kept", in: `"1,2", 3`, want: []string{`"1,2"`, "3"}},
		{desc: "quote after semicolon", spec: "#collect-an-http-quoted-string", reason: "a quote opened mid-item and never closed swallows the rest", in: "text/html;\", text/plain", want: []string{"text/html;\", text/plain"}},
		{desc: "escaped quote", spec: "#collect-an-http-quoted-string", reason: "a backslash escapes the quote inside a quoted string", in: `"a\",b", c`, want: []string{`"a\",b"`, "c"}},
		{desc: "unterminated quote", spec: "#collect-an-http-quoted-string", reason: "an unterminated quoted string runs to the end", in: `a, "b, c`, want: []string{"a", `"b, c`}},
		{desc: "backslash at end", spec: "#collect-an-http-quoted-string", reason: "a backslash as the last byte ends the string", in: `"ab\`, want: []string{`"ab\`}},
		{desc: "tabs trimmed", spec: "#header-value-get-decode-and-split", reason: "HTTP tab or space is removed around items", in: "\tGET \t,\tTRACE ", want: []string{"GET", "TRACE"}},
		{desc: "only commas", spec: "#header-value-get-decode-and-split", reason: "every empty item is kept", in: ",,", want: []string{"", "", ""}},
		{desc: "text after quote", spec: "#header-value-get-decode-and-split", reason: "an item may continue after a quoted string", in: `a"b,c"d, e`, want: []string{`a"b,c"d`, "e"}},
		{desc: "non-ASCII bytes", spec: "#isomorphic-decode", reason: "bytes above 0x7F pass through untouched", in: "\xff\xfe, \xc3\xa9", want: []string{"\xff\xfe", "\xc3\xa9"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got := splitAll(Split(tc.in))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Split(%q) mismatch (-want +got):\n%s\n%s: %s", tc.in, diff, tc.spec, tc.reason)
			}
		})
	}
}

func TestSplitValues(t *testing.T) {
	if got := splitAll(SplitValues(nil)); got != nil {
		t.Errorf("SplitValues(nil) = %q; want nothing (null): #concept-header-list-get-decode-split step 1", got)
	}
	// Fields are combined with ", " before splitting, so a quote opened in
	// one field swallows the next (#concept-header-list-get-decode-split).
	got := splitAll(SplitValues([]string{`"a`, `b"`, "c"}))
	want := []string{`"a, b"`, "c"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SplitValues mismatch (-want +got):\n%s", diff)
	}
}

func TestGet(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		in                 []string
		want               string
		wantOK             bool
	}{
		{desc: "absent", spec: "#concept-header-list-get", reason: "no field is null", in: nil, want: "", wantOK: false},
		{desc: "one", spec: "#concept-header-list-get", reason: "a single field is its value", in: []string{"*"}, want: "*", wantOK: true},
		{desc: "empty field", spec: "#concept-header-list-get", reason: "an empty field is the empty string, not null", in: []string{""}, want: "", wantOK: true},
		{desc: "two", spec: "#concept-header-list-get", reason: "repeated fields join with comma space", in: []string{"*", "*"}, want: "*, *", wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got, ok := Get(tc.in)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Get(%q) = %q, %v; want %q, %v (%s: %s)", tc.in, got, ok, tc.want, tc.wantOK, tc.spec, tc.reason)
			}
		})
	}
}

func TestValues(t *testing.T) {
	h := http.Header{
		"Access-Control-Allow-Origin": {"a"},
		"access-control-allow-origin": {"b"},
		"ACCESS-CONTROL-ALLOW-ORIGIN": {"c"},
		"Other":                       {"x"},
	}
	// Header names match byte-case-insensitively (#header-name); the
	// canonical key comes first, then the others by key.
	got := Values(h, "Access-Control-Allow-Origin")
	want := []string{"a", "c", "b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Values mismatch (-want +got):\n%s", diff)
	}
	if got := Values(h, "Missing"); got != nil {
		t.Errorf("Values(Missing) = %q; want nil", got)
	}
	if got := Values(http.Header{"x-lower": {"1"}}, "X-Lower"); !cmp.Equal(got, []string{"1"}) {
		t.Errorf("Values(X-Lower) = %q; want [1]: a non-canonical key still matches", got)
	}
}

func TestExtractTokens(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		in                 []string
		status             Status
		want               []string
	}{
		{desc: "absent", spec: "#extract-header-list-values", reason: "no field is null", in: nil, status: Null, want: nil},
		{desc: "simple", spec: "#extract-header-list-values", reason: "a comma list of tokens", in: []string{"GET, PUT"}, status: Parsed, want: []string{"GET", "PUT"}},
		{desc: "empty field", spec: "#extract-header-list-values", reason: "an empty value is an empty list (RFC 9110 5.6.1)", in: []string{""}, status: Parsed, want: nil},
		{desc: "empty elements", spec: "#extract-header-list-values", reason: "empty list elements are ignored", in: []string{",GET,, PUT ,"}, status: Parsed, want: []string{"GET", "PUT"}},
		{desc: "two fields", spec: "#extract-header-list-values", reason: "fields concatenate in order", in: []string{"GET", "patch"}, status: Parsed, want: []string{"GET", "patch"}},
		{desc: "star", spec: "#extract-header-list-values", reason: "* is a tchar, so a valid token", in: []string{"*"}, status: Parsed, want: []string{"*"}},
		{desc: "space inside", spec: "#extract-header-list-values", reason: "two tokens without a comma are not a list", in: []string{"PUT, bad method"}, status: Failure, want: nil},
		{desc: "one bad field of two", spec: "#extract-header-list-values", reason: "any field that fails fails the whole", in: []string{"GET", "a/b"}, status: Failure, want: nil},
		{desc: "semicolon", spec: "#extract-header-list-values", reason: "; is not a tchar", in: []string{"GET;PUT"}, status: Failure, want: nil},
		{desc: "quoted", spec: "#extract-header-list-values", reason: "quotes are not tchars", in: []string{`"GET"`}, status: Failure, want: nil},
		{desc: "tab separators", spec: "#extract-header-list-values", reason: "OWS is spaces and tabs", in: []string{"\tGET\t,\tPUT\t"}, status: Parsed, want: []string{"GET", "PUT"}},
		{desc: "control byte", spec: "#extract-header-list-values", reason: "a control byte is not a tchar", in: []string{"GET\x01"}, status: Failure, want: nil},
		{desc: "non-ASCII", spec: "#extract-header-list-values", reason: "bytes above 0x7F are not tchars", in: []string{"caf\xc3\xa9"}, status: Failure, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			e, st := ExtractTokens(tc.in)
			if st != tc.status {
				t.Fatalf("ExtractTokens(%q) status = %v; want %v (%s: %s)", tc.in, st, tc.status, tc.spec, tc.reason)
			}
			var got []string
			for {
				x, ok := e.Next()
				if !ok {
					break
				}
				got = append(got, x)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ExtractTokens(%q) elements mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestElementsContains(t *testing.T) {
	e, _ := ExtractTokens([]string{"GET, x-Custom", "patch"})
	if !e.Contains("patch") || e.Contains("PATCH") {
		t.Error("Contains must compare byte-exactly (#concept-cache-match-method: methods match case-sensitively)")
	}
	if !e.ContainsFold("X-CUSTOM") || e.ContainsFold("x-other") {
		t.Error("ContainsFold must compare byte-case-insensitively (header names)")
	}
	// Contains works on a copy: the original still yields everything.
	if x, ok := e.Next(); !ok || x != "GET" {
		t.Errorf("after Contains, Next() = %q, %v; want GET, true", x, ok)
	}
}

func TestExtractSingle(t *testing.T) {
	if _, st := ExtractSingle(nil); st != Null {
		t.Errorf("ExtractSingle(nil) = %v; want null", st)
	}
	if v, st := ExtractSingle([]string{"5"}); st != Parsed || v != "5" {
		t.Errorf("ExtractSingle([5]) = %q, %v; want 5, parsed", v, st)
	}
	// #extract-header-list-values step 2: a single-field ABNF with two fields fails.
	if _, st := ExtractSingle([]string{"5", "5"}); st != Failure {
		t.Errorf("ExtractSingle([5 5]) = %v; want failure", st)
	}
}

func TestBytes(t *testing.T) {
	if !EqualFold("Content-Type", "content-TYPE") || EqualFold("k", "\u212a") || EqualFold("a", "ab") {
		t.Error("EqualFold must fold ASCII letters only")
	}
	if got := ToLower("X-Custom-\xc3\x89"); got != "x-custom-\xc3\x89" {
		t.Errorf("ToLower = %q; bytes above 0x7F must not change", got)
	}
	if !IsToken("!#$%&'*+-.^_`|~09azAZ") || IsToken("") || IsToken("a b") || IsToken("a/b") {
		t.Error("IsToken must accept exactly the RFC 9110 tchar bytes")
	}
	if !IsValue("") || !IsValue("a b") || IsValue(" a") || IsValue("a\t") || IsValue("a\x00b") || IsValue("a\nb") || IsValue("a\rb") {
		t.Error("IsValue must follow #header-value")
	}
	if !IsValue("a\x01\x7f\xff") {
		t.Error("IsValue: only 0x00, 0x0A and 0x0D are excluded inside a value")
	}
	if TrimWhitespace("\r\n\t x \n") != "x" || TrimTabOrSpace("\nx\n") != "\nx\n" {
		t.Error("trimming must use the right byte sets")
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{{a: "a", b: "B", want: -1}, {a: "b", b: "A", want: 1}, {a: "Ab", b: "aB", want: 0}, {a: "a", b: "ab", want: -1}, {a: "ab", b: "A", want: 1}} {
		if got := CompareFold(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareFold(%q, %q) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if !HasPrefixFold("Sec-Fetch", "sec-") || HasPrefixFold("se", "sec-") {
		t.Error("HasPrefixFold")
	}
	if string(AppendLower(nil, "AbC")) != "abc" {
		t.Error("AppendLower")
	}
}

func TestAllocs(t *testing.T) {
	h := http.Header{"Access-Control-Allow-Methods": {"GET, PUT, patch"}, "Content-Type": {"text/plain"}}
	allocs := testing.AllocsPerRun(100, func() {
		v := Values(h, "Access-Control-Allow-Methods")
		e, _ := ExtractTokens(v)
		for {
			if _, ok := e.Next(); !ok {
				break
			}
		}
		sp := Split("a, \"b,c\", d")
		for {
			if _, ok := sp.Next(); !ok {
				break
			}
		}
		_ = ToLower("already-lower")
		_, _ = Get(v)
	})
	if allocs != 0 {
		t.Errorf("common paths allocate %v times per run; want 0", allocs)
	}
}

// FuzzSplit checks that splitting never panics, that items never carry
// surrounding tabs or spaces, and that each item is a substring of the input.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "nosniff,", `"1,2", 3`, `"a\"`, `\`, `"`, ",,,", "a\tb , c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp := Split(s)
		n := 0
		for {
			item, ok := sp.Next()
			if !ok {
				break
			}
			n++
			if TrimTabOrSpace(item) != item || !strings.Contains(s, item) {
				t.Fatalf("Split(%q) yielded bad item %q", s, item)
			}
			if n > len(s)+1 {
				t.Fatalf("Split(%q) yielded more items than possible", s)
			}
		}
		if n == 0 {
			t.Fatalf("Split(%q) yielded nothing; a present value yields at least one item", s)
		}
	})
}

// FuzzExtractTokens checks the list parser against a slow transcription of
// the #token rule: split on commas, trim OWS, each non-empty element a token.
func FuzzExtractTokens(f *testing.F) {
	for _, s := range []string{"", "GET, PUT", "PUT, bad method", ",,", " * ", "a/b", "\tx\t,y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		wantOK := true
		var want []string
		for _, part := range strings.Split(s, ",") {
			part = TrimTabOrSpace(part)
			if part == "" {
				continue
			}
			if !IsToken(part) {
				wantOK = false
				break
			}
			want = append(want, part)
		}
		e, st := ExtractTokens([]string{s})
		if (st == Parsed) != wantOK {
			t.Fatalf("ExtractTokens(%q) = %v; slow parse ok = %v", s, st, wantOK)
		}
		if !wantOK {
			return
		}
		var got []string
		for {
			x, ok := e.Next()
			if !ok {
				break
			}
			got = append(got, x)
		}
		if !cmp.Equal(want, got) {
			t.Fatalf("ExtractTokens(%q) = %q; want %q", s, got, want)
		}
	})
}

func BenchmarkExtractTokens(b *testing.B) {
	v := []string{"GET, POST, PUT, DELETE, PATCH, OPTIONS", "x-custom"}
	b.ReportAllocs()
	for b.Loop() {
		e, _ := ExtractTokens(v)
		if !e.Contains("PATCH") {
			b.Fatal("PATCH not found")
		}
	}
}

func BenchmarkSplit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sp := Split(`GET, "quoted, value", TRACE`)
		for {
			if _, ok := sp.Next(); !ok {
				break
			}
		}
	}
}

// FuzzIsCanonicalToken checks IsCanonicalToken against its definition: a
// token that textproto.CanonicalMIMEHeaderKey leaves as it is.
func FuzzIsCanonicalToken(f *testing.F) {
	for _, s := range []string{"Content-Type", "content-type", "X-1a", "X-1A", "Www-Authenticate", "WWW-Authenticate", "X A", "-", "A--B", "A-", "\u00e9", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := IsToken(s) && textproto.CanonicalMIMEHeaderKey(s) == s
		if got := IsCanonicalToken(s); got != want {
			t.Fatalf("IsCanonicalToken(%q) = %v; a token CanonicalMIMEHeaderKey leaves unchanged: %v", s, got, want)
		}
	})
}
