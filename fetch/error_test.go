package fetch_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsfetch/corsfetch/fetch"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// allReasons is the closed set of reasons, in the order of error.go.
var allReasons = []fetch.Reason{
	fetch.ReasonInvalidMethod, fetch.ReasonForbiddenMethod, fetch.ReasonInvalidHeader,
	fetch.ReasonNoCORSMethod, fetch.ReasonInvalidOrigin, fetch.ReasonInvalidURL,
	fetch.ReasonBodyNotAllowed, fetch.ReasonOnlyIfCached,
	fetch.ReasonDisallowedByMode, fetch.ReasonMixedContent, fetch.ReasonCorsDisabledScheme,
	fetch.ReasonUnsupportedScheme,
	fetch.ReasonMissingAllowOriginHeader, fetch.ReasonMultipleAllowOriginValues,
	fetch.ReasonInvalidAllowOriginValue, fetch.ReasonAllowOriginMismatch,
	fetch.ReasonWildcardOriginNotAllowed, fetch.ReasonInvalidAllowCredentials,
	fetch.ReasonPreflightInvalidStatus, fetch.ReasonPreflightDisallowedRedirect,
	fetch.ReasonInvalidAllowMethods, fetch.ReasonInvalidAllowHeaders,
	fetch.ReasonMethodDisallowed, fetch.ReasonHeaderDisallowed,
	fetch.ReasonRedirectContainsCredentials, fetch.ReasonTooManyRedirects,
	fetch.ReasonRedirectModeError, fetch.ReasonInvalidRedirectLocation,
	fetch.ReasonRedirectSchemeNotHTTP, fetch.ReasonBodyNotReplayable, fetch.ReasonNetwork,
}

// TestErrorMessages holds the text of every Reason, as a request and as a
// preflight failure after a redirect, to testdata/errors.golden (run with
// -update to rewrite it after a deliberate change). The CORS messages follow
// Chromium's console lines (Blink cors_error_string.cc).
func TestErrorMessages(t *testing.T) {
	var b strings.Builder
	for _, r := range allReasons {
		e := &fetch.Error{Reason: r, Value: "VALUE", URL: "http://api.example/r", Origin: "http://app.example"}
		if r == fetch.ReasonNetwork {
			e.Err = context.DeadlineExceeded
		}
		fmt.Fprintf(&b, "%s\n\t%s\n", r, e.Error())
		e.Preflight, e.InitialURL = true, "http://start.example/"
		fmt.Fprintf(&b, "\t%s\n", e.Error())
	}
	golden(t, "testdata/errors.golden", b.String())
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
