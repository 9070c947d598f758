//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// The hosts of the experiment: the victim's host, the attacker's domain,
// and the host of the controlling page. In a direct pass the command's DNS
// server resolves them to the command's own server; through the proxy they
// are never resolved.
const (
	victimHost     = "target.example"
	attackerSuffix = ".attacker.test"
	controlHost    = "hostchars.test"
)

// File is the JSON document the command writes (audit/hostchars.json).
type File struct {
	// Recorded is the date of the last run that changed the file
	// (YYYY-MM-DD).
	Recorded string `json:"recorded"`
	// Method says how the data were recorded.
	Method string `json:"method"`
	// Engines maps "chromium", "firefox" and "webkit" to their results.
	Engines map[string]*Engine `json:"engines"`
}

// Engine is what one engine did with every candidate character.
type Engine struct {
	// Version is the browser's version line.
	Version string `json:"version"`
	// Recorded is the date of the engine's run (YYYY-MM-DD).
	Recorded string `json:"recorded"`
	// Direct says how the pages were loaded with the browser resolving
	// the names itself (the characters' top-level load fields), or why
	// they were not (those fields are then null).
	Direct string `json:"direct"`
	// Proxy says how the browser was sent through the HTTP proxy (the
	// characters' "proxied" fields), or why it was not.
	Proxy string `json:"proxy"`
	// Characters has one entry per candidate, in the order of candidates.
	Characters []Char `json:"characters"`
}

// Char is what an engine did with one candidate character C.
type Char struct {
	// Char is the character.
	Char string `json:"char"`
	// CodePoint is its code point, such as "U+005F" for "_".
	CodePoint string `json:"code_point"`
	// URLHost and URLOrigin are new URL(u).host and .origin for
	// u = "https://target.example" + C + ".attacker.test/"; both are empty
	// when the constructor threw, and URLError is the exception's name and
	// message.
	URLHost   string `json:"url_host"`
	URLOrigin string `json:"url_origin"`
	URLError  string `json:"url_error"`
	// HostKept tells whether URLHost is target.example, then something
	// (C, or what the parser made of it), then .attacker.test.
	HostKept bool `json:"host_kept"`
	// Load is the page load with the browser resolving the name itself,
	// through DNS that answers every name under attacker.test (an
	// attacker's wildcard record): what a browser without a proxy does.
	Load
	// Proxied is the page load through an HTTP proxy, which gets the name
	// as the browser writes it and resolves nothing: what a browser behind
	// a proxy that forwards any name would do.
	Proxied Load `json:"proxied"`
}

// Load is what became of the page at http://target.example{C}.attacker.test/
// and of its fetch() in one way of loading pages. Every field is null or
// empty when that way was not recorded.
type Load struct {
	// Navigation says what became of the page load: "loaded", the
	// exception location.href threw, that nothing came back in time, or
	// that the page ran at an origin whose host its request did not name.
	Navigation string `json:"navigation"`
	// DNSQueries are the names under target.example and attacker.test
	// whose addresses (A, AAAA) the browser asked the DNS server for while
	// the tab was at this candidate (null through the proxy, where the
	// browser resolves nothing).
	DNSQueries []string `json:"dns_queries"`
	// PageLoaded tells whether the page's script ran and the page's request
	// named the host of its origin (so that the attacker's server is the
	// one asked for it).
	PageLoaded *bool `json:"page_loaded"`
	// PageHost is the Host header of the page's request as received (""
	// when no request came).
	PageHost string `json:"page_host"`
	// PageRequest is the request target of that request as received.
	PageRequest string `json:"page_request"`
	// PageOrigin is self.origin in the page.
	PageOrigin string `json:"page_origin"`
	// FetchSeen tells whether the page's fetch() of
	// http://target.example/hc/api reached the server.
	FetchSeen *bool `json:"fetch_seen"`
	// FetchResult is what the page's fetch() gave: "status 200" or the
	// error.
	FetchResult string `json:"fetch_result"`
	// OriginSent is the Origin header of that fetch ("" when none).
	OriginSent string `json:"origin_sent"`
	// AttackerUsable tells whether the page loaded and its fetch carried
	// Origin: http://target.example<X>.attacker.test, the page's host, with
	// X not empty: an origin that a server's check for target.example
	// followed by something other than a letter or digit may take for its
	// own.
	AttackerUsable *bool `json:"attacker_usable"`
	// SentAs is that X ("" unless AttackerUsable).
	SentAs string `json:"sent_as"`
}

// candidates are the characters tried: every printable ASCII character but
// letters, digits, "." and "-", then a few non-ASCII ones that IDNA
// mapping may turn into one of them or into a dot.
var candidates = []string{
	" ", "!", "\"", "#", "$", "%", "&", "'", "(", ")", "*", "+", ",", "/",
	":", ";", "<", "=", ">", "?", "@", "[", "\\", "]", "^", "_", "`", "{",
	"|", "}", "~",
	"\u00a0", // NO-BREAK SPACE
	"\u00df", // LATIN SMALL LETTER SHARP S
	"\u3002", // IDEOGRAPHIC FULL STOP
	"\uff0e", // FULLWIDTH FULL STOP
	"\uff3f", // FULLWIDTH LOW LINE
	"\uff40", // FULLWIDTH GRAVE ACCENT
}

// codePoint returns the first code point of c written as "U+005F" is.
func codePoint(c string) string {
	r, _ := utf8.DecodeRuneInString(c)
	return fmt.Sprintf("U+%04X", r)
}

// keptAs returns X when host is target.example + X + .attacker.test with X
// not empty, and "" otherwise.
func keptAs(host string) string {
	rest, ok := strings.CutPrefix(host, victimHost)
	if !ok {
		return ""
	}
	x, ok := strings.CutSuffix(rest, attackerSuffix)
	if !ok {
		return ""
	}
	return x
}

// originHost returns the host of a serialized http origin, "" for any
// other string.
func originHost(origin string) string {
	h, ok := strings.CutPrefix(origin, "http://")
	if !ok {
		return ""
	}
	return h
}

// readFile reads the document at path; a missing file gives an empty one.
func readFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Engines: map[string]*Engine{}}, nil
	}
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f.Engines == nil {
		f.Engines = map[string]*Engine{}
	}
	return &f, nil
}

// encode returns f as indented JSON, characters unescaped where JSON
// allows (so "<" reads as "<", not "\u003c").
func encode(f *File) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeFile writes f to path through a temporary file in the same
// directory, so that a failed write leaves the old file alone.
func writeFile(path string, f *File) error {
	b, err := encode(f)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hostchars-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// merge puts e into f as engine's results, recorded on date, with method
// as the file's method, and returns how e differs from the results it
// replaces (nil when there were none, or no difference).
func merge(f *File, engine string, e *Engine, date, method string) []string {
	diffs := diffEngines(f.Engines[engine], e)
	f.Engines[engine] = e
	f.Recorded = date
	f.Method = method
	return diffs
}

// diffEngines lists the differences between an engine's old and new
// results, one line each: the version, then per character every field
// that changed (the recording date is left out).
func diffEngines(old, e *Engine) []string {
	if old == nil {
		return nil
	}
	var diffs []string
	if old.Version != e.Version {
		diffs = append(diffs, fmt.Sprintf("version: %q → %q", old.Version, e.Version))
	}
	if old.Direct != e.Direct {
		diffs = append(diffs, fmt.Sprintf("direct: %q → %q", old.Direct, e.Direct))
	}
	if old.Proxy != e.Proxy {
		diffs = append(diffs, fmt.Sprintf("proxy: %q → %q", old.Proxy, e.Proxy))
	}
	before := map[string]Char{}
	for _, c := range old.Characters {
		before[c.Char] = c
	}
	seen := map[string]bool{}
	for _, c := range e.Characters {
		seen[c.Char] = true
		o, ok := before[c.Char]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%q (%s): new", c.Char, c.CodePoint))
			continue
		}
		for _, d := range diffFields(o, c) {
			diffs = append(diffs, fmt.Sprintf("%q (%s): %s", c.Char, c.CodePoint, d))
		}
	}
	for _, c := range old.Characters {
		if !seen[c.Char] {
			diffs = append(diffs, fmt.Sprintf("%q (%s): gone", c.Char, c.CodePoint))
		}
	}
	return diffs
}

// diffFields returns "field: old → new" for every JSON field of two
// results that differs, in the order of the field names.
func diffFields(a, b Char) []string {
	ma, mb := fieldMap(a), fieldMap(b)
	var names []string
	for k := range ma {
		names = append(names, k)
	}
	sort.Strings(names)
	var diffs []string
	for _, k := range names {
		if va, vb := string(ma[k]), string(mb[k]); va != vb {
			diffs = append(diffs, fmt.Sprintf("%s: %s → %s", k, va, vb))
		}
	}
	return diffs
}

// fieldMap returns the JSON fields of c, each as its encoded value; the
// fields of an object (proxied) are listed as "proxied.name".
func fieldMap(c Char) map[string]json.RawMessage {
	b, _ := json.Marshal(c)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	for k, v := range m {
		var sub map[string]json.RawMessage
		if len(v) == 0 || v[0] != '{' || json.Unmarshal(v, &sub) != nil {
			continue
		}
		delete(m, k)
		for sk, sv := range sub {
			m[k+"."+sk] = sv
		}
	}
	return m
}
