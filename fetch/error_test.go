package fetch_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/internal/golden"
)

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

// goldenValues are the values at fault that TestErrorMessages gives the
// reasons whose wording depends on them; the others get "VALUE".
var goldenValues = map[fetch.Reason]string{
	fetch.ReasonMultipleAllowOriginValues:   "http://app.example, http://other.example",
	fetch.ReasonInvalidAllowOriginValue:     "app.example",
	fetch.ReasonAllowOriginMismatch:         "http://other.example",
	fetch.ReasonInvalidAllowCredentials:     "TRUE",
	fetch.ReasonInvalidAllowMethods:         "GET, PU(T",
	fetch.ReasonInvalidAllowHeaders:         "x-a, x b",
	fetch.ReasonMethodDisallowed:            "PUT",
	fetch.ReasonHeaderDisallowed:            "x-custom",
	fetch.ReasonRedirectContainsCredentials: "http://user:pass@api.example/r",
}

// goldenStatus is the status of the failing response in TestErrorMessages:
// 200 but for the reasons that are about the status.
func goldenStatus(r fetch.Reason) int {
	switch r {
	case fetch.ReasonPreflightInvalidStatus:
		return 404
	case fetch.ReasonPreflightDisallowedRedirect:
		return 302
	}
	return 200
}

// TestErrorMessages holds the text of every Reason in the wording of each
// engine's console (Chrome, Firefox, Safari), as a request and as a
// preflight failure after a redirect, to testdata/errors.golden (run with
// -update to rewrite it after a deliberate change). The sources of each
// wording are listed on [fetch.Error.Error].
func TestErrorMessages(t *testing.T) {
	var b strings.Builder
	for _, r := range allReasons {
		fmt.Fprintf(&b, "%s\n", r)
		for _, prof := range []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari} {
			browser := prof.Name
			value, ok := goldenValues[r]
			if !ok {
				value = "VALUE"
			}
			e := &fetch.Error{Reason: r, Value: value, URL: "http://api.example/r", Origin: "http://app.example",
				Profile: browser, Console: prof.Console, Status: goldenStatus(r)}
			if r == fetch.ReasonNetwork {
				e.Err = context.DeadlineExceeded
			}
			fmt.Fprintf(&b, "\t%-7s  %s\n", browser, e.Error())
			e.Preflight, e.InitialURL = true, "http://start.example/"
			fmt.Fprintf(&b, "\t%-7s  %s\n", browser, e.Error())
		}
	}
	golden.Check(t, "testdata/errors.golden", b.String())
}

// TestErrorEngineText pins the cases of the engines' wording that the
// golden file does not show: what depends on Status, on Browser names other
// than the three, and on the value at fault.
func TestErrorEngineText(t *testing.T) {
	const url, page = "https://api.example/x", "https://app.example"
	tests := []struct {
		desc   string
		err    fetch.Error
		want   string
		reason string
	}{
		{
			desc:   "Spec words as Chrome",
			err:    fetch.Error{Reason: fetch.ReasonMissingAllowOriginHeader, URL: url, Origin: page, Profile: "Spec", Status: 200},
			want:   "Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			reason: "only Firefox and Safari have wordings of their own",
		},
		{
			desc:   "custom words as Chrome",
			err:    fetch.Error{Reason: fetch.ReasonMethodDisallowed, Preflight: true, Value: "PUT", URL: url, Origin: page, Profile: "custom"},
			want:   "Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
			reason: "only Firefox and Safari have wordings of their own",
		},
		{
			desc:   "Firefox without a status",
			err:    fetch.Error{Reason: fetch.ReasonMissingAllowOriginHeader, URL: url, Origin: page, Profile: "Firefox", Console: fetch.ConsoleFirefox},
			want:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example/x. (Reason: CORS header \u2018Access-Control-Allow-Origin\u2019 missing).",
			reason: "a status of 0 means no response, so the status sentence is left out",
		},
		{
			desc:   "Firefox names the first invalid token",
			err:    fetch.Error{Reason: fetch.ReasonInvalidAllowHeaders, Preflight: true, Value: "x-a,, x b ,x-c", URL: url, Origin: page, Profile: "Firefox", Console: fetch.ConsoleFirefox, Status: 200},
			want:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example/x. (Reason: invalid token \u2018x b\u2019 in CORS header \u2018Access-Control-Allow-Headers\u2019).",
			reason: "nsCORSPreflightListener logs the trimmed item that is not a token, skipping empty ones",
		},
		{
			desc:   "Firefox falls back to Chrome",
			err:    fetch.Error{Reason: fetch.ReasonRedirectContainsCredentials, Value: "https://u:p@api.example/", URL: url, InitialURL: "https://b.example/", Origin: page, Profile: "Firefox", Console: fetch.ConsoleFirefox},
			want:   "Access to fetch at 'https://api.example/x' (redirected from 'https://b.example/') from origin 'https://app.example' has been blocked by CORS policy: Redirect location 'https://u:p@api.example/' contains a username and password, which is disallowed for cross-origin requests.",
			reason: "Gecko fails the redirect without a console line of its own",
		},
		{
			desc:   "Safari single invalid origin",
			err:    fetch.Error{Reason: fetch.ReasonMultipleAllowOriginValues, Value: "https://a.example https://b.example", URL: url, Origin: page, Profile: "Safari", Console: fetch.ConsoleWebKit, Status: 200},
			want:   "Origin https://app.example is not allowed by Access-Control-Allow-Origin. Status code: 200 Fetch API cannot load https://api.example/x due to access control checks.",
			reason: "WebKit reports several origins only when the value has a comma",
		},
		{
			desc:   "Safari preflight status before CORS check",
			err:    fetch.Error{Reason: fetch.ReasonMissingAllowOriginHeader, Preflight: true, URL: url, Origin: page, Profile: "Safari", Console: fetch.ConsoleWebKit, Status: 405},
			want:   "Preflight response is not successful. Status code: 405 Fetch API cannot load https://api.example/x due to access control checks.",
			reason: "validatePreflightResponse checks the status before the CORS check",
		},
		{
			desc:   "Safari non-CORS failure keeps its description",
			err:    fetch.Error{Reason: fetch.ReasonInvalidMethod, Value: "G T", URL: url, Origin: page, Profile: "Safari", Console: fetch.ConsoleWebKit},
			want:   "Failed to fetch 'https://api.example/x': 'G T' is not a valid HTTP method.",
			reason: "only CORS console messages are worded per engine",
		},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() =\n%s\nwant\n%s\n(%s)", got, tc.want, tc.reason)
			}
		})
	}
}
