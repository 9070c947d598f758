//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// root is the repository root, where the command's default paths start.
var root = filepath.Join("..", "..", "..")

// TestDefaultPaths checks that the default -scenarios directory and the
// default -stored recording of every engine exist from the repository root.
func TestDefaultPaths(t *testing.T) {
	t.Parallel()
	scenarios, err := loadScenarios(filepath.Join(root, corpusDir, "scenarios"), "")
	if err != nil || len(scenarios) < 200 {
		t.Fatalf("default -scenarios: %d scenarios, %v; want the corpus", len(scenarios), err)
	}
	for _, engine := range []string{"chromium", "firefox", "webkit"} {
		o := options{engine: engine}
		if _, err := o.launcher(); err != nil {
			t.Errorf("-engine %s: %v", engine, err)
		}
		if _, err := os.Stat(filepath.Join(root, o.storedPath())); err != nil {
			t.Errorf("default -stored for %s: %v", engine, err)
		}
	}
	if got := (options{engine: "chromium", stored: "x.json"}).storedPath(); got != "x.json" {
		t.Errorf("storedPath() with -stored x.json = %q", got)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		desc    string
		opts    options
		wantErr string // "" means valid
	}{
		{desc: "record", opts: options{engine: "chromium", out: "x.json"}},
		{desc: "check", opts: options{engine: "firefox", check: true}},
		{desc: "experiment", opts: options{engine: "webkit", run: "x-", replay: true}},
		{desc: "nothing to do", opts: options{engine: "chromium"}, wantErr: "give -out, -check or -run"},
		{desc: "run and out", opts: options{engine: "chromium", run: "x", out: "x.json"}, wantErr: "-run cannot be combined"},
		{desc: "run and check", opts: options{engine: "chromium", run: "x", check: true}, wantErr: "-run cannot be combined"},
		{desc: "unknown engine", opts: options{engine: "netscape", check: true}, wantErr: `unknown engine "netscape"`},
		{desc: "firefox pref", opts: options{engine: "firefox", run: "^lna-", dump: "x.json", firefoxPrefs: prefList{{Name: "network.lna.blocking", Value: false}}}},
		{desc: "firefox pref, other stored", opts: options{engine: "firefox", check: true, stored: "x.json", firefoxPrefs: prefList{{Name: "a", Value: 1}}}},
		{desc: "firefox pref, other out", opts: options{engine: "firefox", out: "x.json", firefoxPrefs: prefList{{Name: "a", Value: 1}}}},
		{desc: "firefox pref, chromium", opts: options{engine: "chromium", run: "x", firefoxPrefs: prefList{{Name: "a", Value: 1}}}, wantErr: "needs -engine firefox"},
		{desc: "firefox pref, stored check", opts: options{engine: "firefox", check: true, firefoxPrefs: prefList{{Name: "a", Value: 1}}}, wantErr: "cannot write or check the stored recording"},
		{desc: "firefox pref, stored out", opts: options{engine: "firefox", out: "conformance/corpus/firefox.json", firefoxPrefs: prefList{{Name: "a", Value: 1}}}, wantErr: "cannot write or check the stored recording"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			_, err := tt.opts.launcher()
			if err == nil {
				err = tt.opts.validate()
			}
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("error = %v; want %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadScenariosRun(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(root, corpusDir, "scenarios")
	tests := []struct {
		desc, run string
		wantErr   string
		wantAll   string // a prefix every selected id has
	}{
		{desc: "one area", run: "^preflight-", wantAll: "preflight-"},
		{desc: "no match", run: "^nothing-matches$", wantErr: "no scenario matches"},
		{desc: "bad expression", run: "(", wantErr: "missing closing )"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := loadScenarios(dir, tt.run)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("loadScenarios(%q) error = %v; want %q", tt.run, err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) == 0 {
				t.Fatalf("loadScenarios(%q) = %d scenarios, %v", tt.run, len(got), err)
			}
			for _, s := range got {
				if !strings.HasPrefix(s.ID, tt.wantAll) {
					t.Errorf("%s selected by %q", s.ID, tt.run)
				}
			}
		})
	}
}
