package fetch

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCORSCheck(t *testing.T) {
	const o = "https://app.example"
	tests := []struct {
		desc, spec, reason string
		acao, acac         []string
		origin             string
		include            bool
		want               Reason // "" for success
		value              string
	}{
		{"exact origin", "#concept-cors-check", "step 4: byte-identical origin passes", []string{o}, nil, o, false, "", ""},
		{"star", "#concept-cors-check", "step 3: * without credentials passes", []string{"*"}, nil, o, false, "", ""},
		{"missing", "#concept-cors-check", "step 2: no header fails", nil, nil, o, false, ReasonMissingAllowOriginHeader, ""},
		{"empty value", "#concept-cors-check", "an empty field is not null and does not match", []string{""}, nil, o, false, ReasonInvalidAllowOriginValue, ""},
		{"trailing slash", "#concept-cors-check", "no normalization: a trailing slash fails", []string{o + "/"}, nil, o, false, ReasonAllowOriginMismatch, o + "/"},
		{"case", "#concept-cors-check", "no normalization: case differs", []string{"https://APP.example"}, nil, o, false, ReasonAllowOriginMismatch, "https://APP.example"},
		{"default port written", "#concept-cors-check", "no normalization: :443 differs", []string{o + ":443"}, nil, o, false, ReasonAllowOriginMismatch, o + ":443"},
		{"other origin", "#concept-cors-check", "another origin fails", []string{"https://other.example"}, nil, o, false, ReasonAllowOriginMismatch, "https://other.example"},
		{"two fields", "#concept-header-list-get", "two fields join to 'a, a', which never matches", []string{o, o}, nil, o, false, ReasonMultipleAllowOriginValues, o + ", " + o},
		{"two stars", "#concept-header-list-get", "* twice joins to '*, *'", []string{"*", "*"}, nil, o, false, ReasonMultipleAllowOriginValues, "*, *"},
		{"list in one field", "#concept-cors-check", "a list is not an origin", []string{o + " https://b.example"}, nil, o, false, ReasonMultipleAllowOriginValues, o + " https://b.example"},
		{"null value", "#concept-cors-check", "null matches only a null request origin", []string{"null"}, nil, o, false, ReasonAllowOriginMismatch, "null"},
		{"null tainted", "#concept-cors-check", "a tainted request's origin serializes as null", []string{"null"}, nil, "null", false, "", ""},
		{"garbage", "#concept-cors-check", "a value that is no origin", []string{"yes"}, nil, o, false, ReasonInvalidAllowOriginValue, "yes"},
		{"star with credentials", "#concept-cors-check", "step 3 applies only without credentials; * never equals an origin", []string{"*"}, []string{"true"}, o, true, ReasonWildcardOriginNotAllowed, "*"},
		{"credentials true", "#concept-cors-check", "step 7: exactly true passes", []string{o}, []string{"true"}, o, true, "", ""},
		{"credentials missing", "#concept-cors-check", "step 8: no ACAC fails", []string{o}, nil, o, true, ReasonInvalidAllowCredentials, ""},
		{"credentials True", "#concept-cors-check", "the comparison is case-sensitive", []string{o}, []string{"True"}, o, true, ReasonInvalidAllowCredentials, "True"},
		{"credentials twice", "#concept-cors-check", "two fields join to 'true, true'", []string{o}, []string{"true", "true"}, o, true, ReasonInvalidAllowCredentials, "true, true"},
		{"credentials ignored without include", "#concept-cors-check", "step 5: ACAC does not matter without credentials", []string{o}, []string{"false"}, o, false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			h := http.Header{}
			if tc.acao != nil {
				h["Access-Control-Allow-Origin"] = tc.acao
			}
			if tc.acac != nil {
				h["Access-Control-Allow-Credentials"] = tc.acac
			}
			reason, value, ok := corsCheck(h, tc.origin, tc.include)
			if ok != (tc.want == "") || reason != tc.want || value != tc.value {
				t.Errorf("corsCheck(%v, %q, %v) = %q, %q, %v; want %q, %q (%s: %s)", h, tc.origin, tc.include, reason, value, ok, tc.want, tc.value, tc.spec, tc.reason)
			}
		})
	}
}

// keys returns the sorted header names of h.
func keys(h http.Header) []string {
	var out []string
	for k := range h {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestFilteredHeaders(t *testing.T) {
	base := func(extra http.Header) http.Header {
		h := http.Header{
			"Content-Type":   {"text/plain"},
			"Content-Length": {"2"},
			"Date":           {"x"},
			"Set-Cookie":     {"a=b"},
			"X-Custom":       {"1"},
			"X-Other":        {"2"},
		}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	tests := []struct {
		desc, spec, reason string
		h                  http.Header
		include            bool
		want               []string
	}{
		{"no expose", "#concept-filtered-response-cors", "only the seven safelisted names", base(nil), false,
			[]string{"Content-Length", "Content-Type"}},
		{"expose one", "#concept-filtered-response-cors", "listed names are visible, case-insensitively", base(http.Header{"Access-Control-Expose-Headers": {"x-CUSTOM"}}), false,
			[]string{"Content-Length", "Content-Type", "X-Custom"}},
		{"expose two fields", "#extract-header-list-values", "several fields concatenate", base(http.Header{"Access-Control-Expose-Headers": {"X-Custom", "X-Other"}}), false,
			[]string{"Content-Length", "Content-Type", "X-Custom", "X-Other"}},
		{"expose set-cookie", "#forbidden-response-header-name", "Set-Cookie is never exposed", base(http.Header{"Access-Control-Expose-Headers": {"Set-Cookie"}}), false,
			[]string{"Content-Length", "Content-Type"}},
		{"star", "#concept-main-fetch", "* without credentials exposes every name but Set-Cookie", base(http.Header{"Access-Control-Expose-Headers": {"*"}}), false,
			[]string{"Access-Control-Expose-Headers", "Content-Length", "Content-Type", "Date", "X-Custom", "X-Other"}},
		{"star with credentials", "#concept-main-fetch", "with credentials * names only a header called *", base(http.Header{"Access-Control-Expose-Headers": {"*"}}), true,
			[]string{"Content-Length", "Content-Type"}},
		{"unparsable", "#concept-main-fetch", "a list that fails to parse exposes nothing", base(http.Header{"Access-Control-Expose-Headers": {"X-Custom, bad name"}}), false,
			[]string{"Content-Length", "Content-Type"}},
		{"one bad field", "#extract-header-list-values", "one bad field fails the whole list", base(http.Header{"Access-Control-Expose-Headers": {"X-Custom", "a/b"}}), false,
			[]string{"Content-Length", "Content-Type"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got := keys(corsHeader(tc.h, tc.include))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("corsHeader mismatch (-want +got):\n%s\n%s: %s", diff, tc.spec, tc.reason)
			}
		})
	}
	got := keys(basicHeader(base(http.Header{"Set-Cookie2": {"x"}})))
	want := []string{"Content-Length", "Content-Type", "Date", "X-Custom", "X-Other"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("basicHeader mismatch (-want +got):\n%s\n#concept-filtered-response-basic: Set-Cookie and Set-Cookie2 are removed", diff)
	}
}

// TestErrorText pins the console text, whose templates come from Blink's
// cors_error_string.cc (../shared/reference/landscape.md section 2.1).
func TestErrorText(t *testing.T) {
	tests := []struct {
		desc string
		err  Error
		want string
	}{
		{"missing ACAO", Error{Reason: ReasonMissingAllowOriginHeader, URL: "http://127.0.0.2:8080/data", Origin: "http://127.0.0.1:8080"},
			"Access to fetch at 'http://127.0.0.2:8080/data' from origin 'http://127.0.0.1:8080' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{"preflight method", Error{Reason: ReasonMethodDisallowed, Preflight: true, Value: "PUT", URL: "https://api.example/x", Origin: "https://app.example"},
			"Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."},
		{"redirected", Error{Reason: ReasonAllowOriginMismatch, Value: "https://b.example", URL: "https://c.example/", InitialURL: "https://b.example/", Origin: "https://a.example"},
			"Access to fetch at 'https://c.example/' (redirected from 'https://b.example/') from origin 'https://a.example' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://b.example' that is not equal to the supplied origin. Have the server send the header with a valid value."},
		{"forbidden method", Error{Reason: ReasonForbiddenMethod, Value: "TRACE", URL: "https://api.example/"},
			"Failed to fetch 'https://api.example/': 'TRACE' HTTP method is unsupported."},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
