package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors, fatals []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

func TestCheck(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "testdata", "out.golden")

	missing := &recorder{TB: t}
	check(missing, path, "a\n", false)
	if len(missing.fatals) != 1 || !strings.Contains(missing.fatals[0], "-update creates it") {
		t.Errorf("missing file: fatals %q; want one that names -update", missing.fatals)
	}

	created := &recorder{TB: t}
	check(created, path, "a\nb\n", true)
	if b, err := os.ReadFile(path); err != nil || string(b) != "a\nb\n" {
		t.Fatalf("after update: file %q, %v; want the output, in a new directory", b, err)
	}

	same := &recorder{TB: t}
	check(same, path, "a\nb\n", false)
	if len(same.errors)+len(same.fatals) != 0 {
		t.Errorf("equal output: failures %q %q; want none", same.errors, same.fatals)
	}

	differs := &recorder{TB: t}
	check(differs, path, "a\nc\n", false)
	if len(differs.errors) != 1 || !strings.Contains(differs.errors[0], path) ||
		!strings.Contains(differs.errors[0], "-b\n+c\n") {
		t.Errorf("different output: errors %q; want one naming the file with the diff", differs.errors)
	}
	for _, r := range []*recorder{created, same, differs} {
		if len(r.fatals) != 0 {
			t.Errorf("fatals %q; want none", r.fatals)
		}
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	long := func(n int, changed int) string {
		var sb strings.Builder
		for i := 1; i <= n; i++ {
			if i == changed {
				fmt.Fprintf(&sb, "changed %d\n", i)
				continue
			}
			fmt.Fprintf(&sb, "line %d\n", i)
		}
		return sb.String()
	}
	for _, tt := range []struct {
		name, want, got, diff string
	}{
		{name: "equal", want: "a\nb\n", got: "a\nb\n", diff: ""},
		{name: "changed line", want: "a\nb\nc\n", got: "a\nB\nc\n", diff: "@@ -1 +1 @@\n a\n-b\n+B\n c\n"},
		{name: "added line", want: "a\nc\n", got: "a\nb\nc\n", diff: "@@ -1 +1 @@\n a\n+b\n c\n"},
		{name: "removed line", want: "a\nb\nc\n", got: "a\nc\n", diff: "@@ -1 +1 @@\n a\n-b\n c\n"},
		{name: "from empty", want: "", got: "a\n", diff: "@@ -1 +1 @@\n+a\n"},
		{
			name: "final newline", want: "a\nb\n", got: "a\nb",
			diff: "@@ -1 +1 @@\n a\n-b\n+b\n\\ No newline at end of file\n",
		},
		{
			name: "context and hunks", want: long(20, 0), got: strings.Replace(long(20, 3), "line 17\n", "line 17'\n", 1),
			diff: "@@ -1 +1 @@\n line 1\n line 2\n-line 3\n+changed 3\n line 4\n line 5\n line 6\n" +
				"@@ -14 +14 @@\n line 14\n line 15\n line 16\n-line 17\n+line 17'\n line 18\n line 19\n line 20\n",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Diff(tt.want, tt.got); got != tt.diff {
				t.Errorf("Diff(%q, %q) =\n%s\nwant\n%s", tt.want, tt.got, got, tt.diff)
			}
		})
	}
}

// TestDiffLarge checks that outputs too long for the fewest changes still
// get a diff, from the first line that differs to the last.
func TestDiffLarge(t *testing.T) {
	t.Parallel()
	var a, b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
	}
	d := Diff("same\n"+a.String(), "same\n"+b.String())
	if !strings.HasPrefix(d, "@@ -1 +1 @@\n same\n-a0\n") || !strings.Contains(d, "\n+b0\n") || !strings.HasSuffix(d, "+b2999\n") {
		t.Errorf("Diff of long outputs starts %q, ends %q", d[:min(len(d), 40)], d[max(0, len(d)-40):])
	}
}
