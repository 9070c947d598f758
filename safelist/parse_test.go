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
		{"plain", "#parse-a-mime-type", "type/subtype", "text/plain", "text", "plain", true},
		{"params", "#parse-a-mime-type", "parameters never fail the parse", "text/plain;;;=;a", "text", "plain", true},
		{"whitespace", "#parse-a-mime-type", "step 1 trims HTTP whitespace, newlines included", "\r\n text/plain \t", "text", "plain", true},
		{"subtype trailing space", "#parse-a-mime-type", "step 8 trims the subtype's trailing whitespace", "text/plain \t;x", "text", "plain", true},
		{"empty type", "#parse-a-mime-type", "step 4: empty type", "/plain", "", "", false},
		{"no slash", "#parse-a-mime-type", "step 5: no slash", "text", "", "", false},
		{"empty subtype", "#parse-a-mime-type", "step 9: empty subtype", "text/;a=b", "", "", false},
		{"leading space subtype", "#parse-a-mime-type", "the subtype's leading space is not trimmed", "text/ plain", "", "", false},
		{"comma", "#parse-a-mime-type", "a comma list is not a MIME type", "text/plain, application/json", "", "", false},
		{"non-token", "#parse-a-mime-type", "the type must be token code points", "te(xt/plain", "", "", false},
		{"case kept", "#parse-a-mime-type", "the caller compares the essence case-insensitively", "Text/PLAIN", "Text", "PLAIN", true},
		{"empty", "#parse-a-mime-type", "nothing is no MIME type", "", "", "", false},
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
