package conformance_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestReplayCostsNoMore checks what a program that replays a recording
// links with package conformance: neither the browser launchers (os/exec,
// package recorder), nor package testing, nor the embedded corpus (package
// corpus, or any file embedded by a package of this module).
func TestReplayCostsNoMore(t *testing.T) {
	t.Parallel()
	const module = "github.com/corsfetch/corsfetch"
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}{{if .EmbedFiles}} embeds{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := map[string]string{
		"os/exec":                               "starts processes",
		"testing":                               "is for tests",
		module + "/conformance/recorder":        "launches browsers",
		module + "/conformance/corpus":          "embeds the corpus",
		module + "/conformance/conformancetest": "is for tests",
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, embeds := strings.CutSuffix(line, " embeds")
		if why, ok := forbidden[pkg]; ok {
			t.Errorf("package conformance depends on %s, which %s", pkg, why)
		}
		if embeds && strings.HasPrefix(pkg, module) {
			t.Errorf("package conformance depends on %s, which embeds files", pkg)
		}
	}
}
