package corsfetch_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// allowed lists, for each package of the module, the project packages it may
// import directly: the design's package boundaries (README.md, Status).
// A package missing from the map fails the test, so a new package must be
// placed in the graph on purpose.
var allowed = map[string][]string{
	"":                            nil,
	"origin":                      nil,
	"preflightcache":              nil,
	"cookiestore":                 {"origin"},
	"httpcache":                   nil,
	"internal/headerlist":         nil,
	"safelist":                    {"internal/headerlist"},
	"redirect":                    {"origin"},
	"fetch":                       {"origin", "safelist", "preflightcache", "redirect", "cookiestore", "httpcache", "internal/headerlist"},
	"conformance":                 {"fetch", "origin", "cookiestore"},
	"conformance/corpus":          {"conformance"},
	"conformance/recorder":        {"conformance"},
	"conformance/conformancetest": {"conformance", "conformance/corpus"},
	"conformance/cmd/record":      {"conformance", "conformance/recorder"},
	"conformance/cmd/compare":     {"conformance", "conformance/corpus", "conformance/recorder"},
	"conformance/cmd/hostchars":   {"conformance/recorder"},
	"audit":                       {"fetch", "origin", "cookiestore"},
	"cmd/corsprobe":               {"fetch", "conformance", "origin", "cookiestore", "httpcache", "audit"},
	// internal/golden is a test helper: packages import it from their
	// _test.go files only (cmd/corsprobe does), which this graph of
	// non-test imports does not see; no package may import it otherwise.
	"internal/golden": nil,
}

// TestImportGraph checks the package boundaries of the design: leaves import
// nothing of the project, consumers of the public API never reach into
// internal/, and nothing outside the graph appears.
func TestImportGraph(t *testing.T) {
	const module = "github.com/corsfetch/corsfetch"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		ok, known := allowed[pkg]
		if !known {
			t.Errorf("package %q is not in the design's import graph; add it to allowed on purpose", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(imp, module+"/")
			permitted := false
			for _, a := range ok {
				if a == dep {
					permitted = true
				}
			}
			if !permitted {
				t.Errorf("%s imports %s, which the design does not allow (allowed: %v)", pkg, dep, ok)
			}
		}
	}
}

// maxFuncLines bounds the length of a function or method outside tests,
// declaration to closing brace: past it, a function does several jobs that
// deserve names of their own. Tables and other declarations are not
// functions and are not bounded.
const maxFuncLines = 80

// TestFunctionLength checks maxFuncLines over every non-test Go file of the
// module.
func TestFunctionLength(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1; n > maxFuncLines {
				t.Errorf("%s: %s is %d lines long; split it into named steps (at most %d)", path, fd.Name.Name, n, maxFuncLines)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
