// Package golden compares a test's output with a golden file, the expected
// output kept in the repository (by convention under testdata/).
//
//	golden.Check(t, "testdata/open.golden", out)
//
// fails the test with a line diff when out differs from the file. Run the
// tests with -update to rewrite the files with the output instead, after a
// deliberate change, and review the files' diff before committing:
//
//	go test ./cmd/corsprobe -update
//
// The -update flag is registered on the test binary's command line when the
// package is linked in, once per test binary however many of its packages
// use Check; so a package whose tests use Check must not define a flag
// named update itself. Tests that run in parallel may each Check their own
// file.
package golden

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files with the tests' output (internal/golden)")

// Update reports whether the test binary runs with -update, for a test
// that has more to do than Check when rewriting its files.
func Update() bool { return *update }

// Check compares got with the golden file at path and fails t, with a diff,
// where they differ; under -update it writes got to path instead, creating
// the file and its directory as needed. A missing file fails t at once.
func Check(t testing.TB, path, got string) {
	t.Helper()
	check(t, path, got, *update)
}

// check is Check, with -update's value given.
func check(t testing.TB, path, got string, rewrite bool) {
	t.Helper()
	if rewrite {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
			return
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (go test -update creates it)", err)
		return
	}
	if got != string(want) {
		t.Errorf("output differs from %s (-file +output; go test -update rewrites the file):\n%s", path, Diff(string(want), got))
	}
}

// maxCells bounds the work of Diff, the product of the numbers of lines
// that differ on each side: above it, Diff shows every line between the
// common first and last lines as removed and then added, rather than the
// fewest changes.
const maxCells = 1 << 20

// contextLines is how many unchanged lines Diff shows around a change.
const contextLines = 3

// Diff returns a line diff from want to got in the unified style: lines of
// want only start with "-", lines of got only with "+", unchanged lines
// around them with a space, and each run of changes is headed by
// "@@ -L +L @@" with the line numbers where it starts in want and in got.
// A last line without a newline is followed by "\ No newline at end of
// file". It returns "" when want and got are equal.
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	a, b := lines(want), lines(got)
	ops := editScript(a, b)
	var sb strings.Builder
	for _, h := range hunks(ops) {
		fmt.Fprintf(&sb, "@@ -%d +%d @@\n", ops[h.from].a+1, ops[h.from].b+1)
		for _, op := range ops[h.from:h.to] {
			writeLine(&sb, op)
		}
	}
	return sb.String()
}

// lines splits s into lines, each with its newline but the last when s
// does not end in one.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.SplitAfter(s, "\n")
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// op is one line of an edit script: kept (' '), only in want ('-') or only
// in got ('+'); a and b are its position in want and in got, counted from
// 0 (for a line of one side, where it would be in the other).
type op struct {
	kind byte
	text string
	a, b int
}

// editScript returns the lines of a and b in order, marked kept, removed or
// added: the fewest changes, from the longest common subsequence, unless
// the part between the common prefix and suffix is too long for that.
func editScript(a, b []string) []op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []op
	for i := range pre {
		ops = append(ops, op{kind: ' ', text: a[i], a: i, b: i})
	}
	ops = append(ops, middle(a[pre:len(a)-suf], b[pre:len(b)-suf], pre, pre)...)
	for k := range suf {
		i, j := len(a)-suf+k, len(b)-suf+k
		ops = append(ops, op{kind: ' ', text: a[i], a: i, b: j})
	}
	return ops
}

// middle is the edit script from a to b, which start at line a0 of want
// and b0 of got.
func middle(a, b []string, a0, b0 int) []op {
	var ops []op
	if len(a)*len(b) > maxCells {
		for i, s := range a {
			ops = append(ops, op{kind: '-', text: s, a: a0 + i, b: b0})
		}
		for j, s := range b {
			ops = append(ops, op{kind: '+', text: s, a: a0 + len(a), b: b0 + j})
		}
		return ops
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, op{kind: ' ', text: a[i], a: a0 + i, b: b0 + j})
			i, j = i+1, j+1
		case j == len(b) || i < len(a) && lcs[i+1][j] >= lcs[i][j+1]:
			ops = append(ops, op{kind: '-', text: a[i], a: a0 + i, b: b0 + j})
			i++
		default:
			ops = append(ops, op{kind: '+', text: b[j], a: a0 + i, b: b0 + j})
			j++
		}
	}
	return ops
}

// hunk is a run of ops[from:to] that Diff shows: changes with up to
// contextLines kept lines around them.
type hunk struct{ from, to int }

// hunks groups the changes of ops into hunks, merging those whose kept
// lines in between would overlap.
func hunks(ops []op) []hunk {
	var out []hunk
	for i, o := range ops {
		if o.kind == ' ' {
			continue
		}
		from, to := max(0, i-contextLines), min(len(ops), i+contextLines+1)
		if n := len(out); n > 0 && from <= out[n-1].to {
			out[n-1].to = to
			continue
		}
		out = append(out, hunk{from: from, to: to})
	}
	return out
}

// writeLine writes o as a line of the diff.
func writeLine(sb *strings.Builder, o op) {
	sb.WriteByte(o.kind)
	sb.WriteString(o.text)
	if !strings.HasSuffix(o.text, "\n") {
		sb.WriteString("\n\\ No newline at end of file\n")
	}
}
