package corpus_test

import (
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/conformance/corpus"
)

// TestCorpusMatchesRecording checks that the built-in corpus loads and that
// the stored recording of every engine covers exactly the current version of
// every scenario: editing a scenario without re-recording fails here.
func TestCorpusMatchesRecording(t *testing.T) {
	t.Parallel()
	scenarios, err := corpus.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	if len(scenarios) < 200 {
		t.Errorf("corpus has %d scenarios; issue 3 asks for at least 200", len(scenarios))
	}
	for _, engine := range corpus.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			rec, err := corpus.Recording(engine)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Engine != engine {
				t.Errorf("%s.json names engine %q", engine, rec.Engine)
			}
			if len(rec.Scenarios) != len(scenarios) {
				t.Errorf("recording has %d scenarios, corpus %d", len(rec.Scenarios), len(scenarios))
			}
			for i := range scenarios {
				s := &scenarios[i]
				r := rec.Scenario(s.ID)
				switch {
				case r == nil:
					t.Errorf("scenario %s is not recorded; re-record (see conformance/README.md)", s.ID)
				case r.Digest != s.Digest():
					t.Errorf("scenario %s changed since it was recorded; re-record (see conformance/README.md)", s.ID)
				case len(r.Outcomes) != len(s.Calls):
					t.Errorf("scenario %s: %d outcomes for %d calls", s.ID, len(r.Outcomes), len(s.Calls))
				}
			}
		})
	}
}

// TestEngines checks that Engines names exactly the recordings in the
// package directory, and that an unknown engine is an error.
func TestEngines(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(os.DirFS("."), "*.json")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, n := range names {
		files = append(files, strings.TrimSuffix(path.Base(n), ".json"))
	}
	if !slices.Equal(files, corpus.Engines()) {
		t.Errorf("recordings %v; Engines() = %v", files, corpus.Engines())
	}
	if _, err := corpus.Recording("netscape"); err == nil || !strings.Contains(err.Error(), `no recording for engine "netscape"`) {
		t.Errorf(`Recording("netscape") error = %v; want one naming the engine`, err)
	}
}
