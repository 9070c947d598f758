package safelist

import (
	"math/big"
	"regexp"
	"strings"
	"testing"
)

func TestParseMIMEEssence(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		in                 string
		typ, sub           string
		ok                 bool
	}{
		{desc: "plain", spec: "#parse-a-mime-type", reason: "type/subtype", in: "text/plain", typ: "text", sub: "plain", ok: true},
		{desc: "params", spec: "#parse-a-mime-type", reason: "parameters never fail the parse", in: "text/plain;;;=;a", typ: "text", sub: "plain", ok: true},
		{desc: "whitespace", spec: "#parse-a-mime-type", reason: "step 1 trims HTTP whitespace, newlines included", in: "\r\n text/plain \t", typ: "text", sub: "plain", ok: true},
		{desc: "subtype trailing space", spec: "#parse-a-mime-type", reason: "step 8 trims the subtype's trailing whitespace", in: "text/plain \t;x", typ: "text", sub: "plain", ok: true},
		{desc: "empty type", spec: "#parse-a-mime-type", reason: "step 4: empty type", in: "/plain", typ: "", sub: "", ok: false},
		{desc: "no slash", spec: "#parse-a-mime-type", reason: "step 5: no slash", in: "text", typ: "", sub: "", ok: false},
		{desc: "empty subtype", spec: "#parse-a-mime-type", reason: "step 9: empty subtype", in: "text/;a=b", typ: "", sub: "", ok: false},
		{desc: "leading space subtype", spec: "#parse-a-mime-type", reason: "the subtype's leading space is not trimmed", in: "text/ plain", typ: "", sub: "", ok: false},
		{desc: "comma", spec: "#parse-a-mime-type", reason: "a comma list is not a MIME type", in: "text/plain, application/json", typ: "", sub: "", ok: false},
		{desc: "non-token", spec: "#parse-a-mime-type", reason: "the type must be token code points", in: "te(xt/plain", typ: "", sub: "", ok: false},
		{desc: "case kept", spec: "#parse-a-mime-type", reason: "the caller compares the essence case-insensitively", in: "Text/PLAIN", typ: "Text", sub: "PLAIN", ok: true},
		{desc: "empty", spec: "#parse-a-mime-type", reason: "nothing is no MIME type", in: "", typ: "", sub: "", ok: false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			typ, sub, ok := parseMIMEEssence(tc.in)
			if typ != tc.typ || sub != tc.sub || ok != tc.ok {
				t.Errorf("parseMIMEEssence(%q) = %q, %q, %v; want %q, %q, %v (%s: %s)", tc.in, typ, sub, ok, tc.typ, tc.sub, tc.ok, tc.spec, tc.reason)
			}
		})
	}
}

func TestParseSingleRangeWhitespace(t *testing.T) {
	// #simple-range-header-value: with allowWhitespace, tabs and spaces may
	// surround "=" and "-" (the form used for blob: URLs, not for the
	// safelist).
	s, e, ok := parseSingleRange("bytes \t= 1 - 2", true)
	if !ok || s != "1" || e != "2" {
		t.Errorf(`parseSingleRange("bytes \t= 1 - 2", true) = %q, %q, %v; want 1, 2, true`, s, e, ok)
	}
	if _, _, ok := parseSingleRange("bytes = 1-2", false); ok {
		t.Error("parseSingleRange must reject whitespace when allowWhitespace is false")
	}
	if _, _, ok := parseSingleRange("bytes=1-2 ", true); ok {
		t.Error("parseSingleRange: trailing whitespace is not skipped after the end")
	}
}

// slowMIMEEssence is a literal transcription of "parse a MIME type" steps 1-9
// built from strings functions, kept as an oracle for FuzzParseMIMEEssence.
func slowMIMEEssence(in string) (string, string, bool) {
	in = strings.Trim(in, "\t\n\r ")
	typ, rest, found := strings.Cut(in, "/")
	isToken := func(s string) bool {
		return s != "" && strings.Trim(s, "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
	}
	if !isToken(typ) || !found {
		return "", "", false
	}
	sub, _, _ := strings.Cut(rest, ";")
	sub = strings.TrimRight(sub, "\t\n\r ")
	if !isToken(sub) {
		return "", "", false
	}
	return typ, sub, true
}

func FuzzParseMIMEEssence(f *testing.F) {
	for _, s := range []string{"text/plain", " a/b ;c", "/", "a/", "a", "text/plain, x/y", "\x00/\x00", "a/b\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, sub, ok := parseMIMEEssence(s)
		wt, ws, wok := slowMIMEEssence(s)
		if typ != wt || sub != ws || ok != wok {
			t.Fatalf("parseMIMEEssence(%q) = %q, %q, %v; oracle %q, %q, %v", s, typ, sub, ok, wt, ws, wok)
		}
	})
}

var rangeRE = regexp.MustCompile(`^bytes=([0-9]*)-([0-9]*)$`)

func FuzzParseSingleRange(f *testing.F) {
	for _, s := range []string{"bytes=0-", "bytes=-5", "bytes=1-0", "bytes=00-0", "bytes=", "BYTES=1-2", "bytes=1-2,3-4", "bytes=99999999999999999999-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, ok := parseSingleRange(s, false)
		m := rangeRE.FindStringSubmatch(s)
		wantOK := m != nil && (m[1] != "" || m[2] != "")
		if wantOK && m[1] != "" && m[2] != "" {
			a, _ := new(big.Int).SetString(m[1], 10)
			b, _ := new(big.Int).SetString(m[2], 10)
			wantOK = a.Cmp(b) <= 0
		}
		if ok != wantOK {
			t.Fatalf("parseSingleRange(%q) ok = %v; oracle %v", s, ok, wantOK)
		}
		if ok && (start != m[1] || end != m[2]) {
			t.Fatalf("parseSingleRange(%q) = %q, %q; want %q, %q", s, start, end, m[1], m[2])
		}
	})
}
