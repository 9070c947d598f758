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
		{desc: "exact origin", spec: "#concept-cors-check", reason: "step 4: byte-identical origin passes", acao: []string{o}, acac: nil, origin: o, include: false, want: "", value: ""},
		{desc: "star", spec: "#concept-cors-check", reason: "step 3: * without credentials passes", acao: []string{"*"}, acac: nil, origin: o, include: false, want: "", value: ""},
		{desc: "missing", spec: "#concept-cors-check", reason: "step 2: no header fails", acao: nil, acac: nil, origin: o, include: false, want: ReasonMissingAllowOriginHeader, value: ""},
		{desc: "empty value", spec: "#concept-cors-check", reason: "an empty field is not null and does not match", acao: []string{""}, acac: nil, origin: o, include: false, want: ReasonInvalidAllowOriginValue, value: ""},
		{desc: "trailing slash", spec: "#concept-cors-check", reason: "no normalization: a trailing slash fails", acao: []string{o + "/"}, acac: nil, origin: o, include: false, want: ReasonAllowOriginMismatch, value: o + "/"},
		{desc: "case", spec: "#concept-cors-check", reason: "no normalization: case differs", acao: []string{"https://APP.example"}, acac: nil, origin: o, include: false, want: ReasonAllowOriginMismatch, value: "https://APP.example"},
		{desc: "default port written", spec: "#concept-cors-check", reason: "no normalization: :443 differs", acao: []string{o + ":443"}, acac: nil, origin: o, include: false, want: ReasonAllowOriginMismatch, value: o + ":443"},
		{desc: "other origin", spec: "#concept-cors-check", reason: "another origin fails", acao: []string{"https://other.example"}, acac: nil, origin: o, include: false, want: ReasonAllowOriginMismatch, value: "https://other.example"},
		{desc: "two fields", spec: "#concept-header-list-get", reason: "two fields join to 'a, a', which never matches", acao: []string{o, o}, acac: nil, origin: o, include: false, want: ReasonMultipleAllowOriginValues, value: o + ", " + o},
		{desc: "two stars", spec: "#concept-header-list-get", reason: "* twice joins to '*, *'", acao: []string{"*", "*"}, acac: nil, origin: o, include: false, want: ReasonMultipleAllowOriginValues, value: "*, *"},
		{desc: "list in one field", spec: "#concept-cors-check", reason: "a list is not an origin", acao: []string{o + " https://b.example"}, acac: nil, origin: o, include: false, want: ReasonMultipleAllowOriginValues, value: o + " https://b.example"},
		{desc: "null value", spec: "#concept-cors-check", reason: "null matches only a null request origin", acao: []string{"null"}, acac: nil, origin: o, include: false, want: ReasonAllowOriginMismatch, value: "null"},
		{desc: "null tainted", spec: "#concept-cors-check", reason: "a tainted request's origin serializes as null", acao: []string{"null"}, acac: nil, origin: "null", include: false, want: "", value: ""},
		{desc: "garbage", spec: "#concept-cors-check", reason: "a value that is no origin", acao: []string{"yes"}, acac: nil, origin: o, include: false, want: ReasonInvalidAllowOriginValue, value: "yes"},
		{desc: "star with credentials", spec: "#concept-cors-check", reason: "step 3 applies only without credentials; * never equals an origin", acao: []string{"*"}, acac: []string{"true"}, origin: o, include: true, want: ReasonWildcardOriginNotAllowed, value: "*"},
		{desc: "credentials true", spec: "#concept-cors-check", reason: "step 7: exactly true passes", acao: []string{o}, acac: []string{"true"}, origin: o, include: true, want: "", value: ""},
		{desc: "credentials missing", spec: "#concept-cors-check", reason: "step 8: no ACAC fails", acao: []string{o}, acac: nil, origin: o, include: true, want: ReasonInvalidAllowCredentials, value: ""},
		{desc: "credentials True", spec: "#concept-cors-check", reason: "the comparison is case-sensitive", acao: []string{o}, acac: []string{"True"}, origin: o, include: true, want: ReasonInvalidAllowCredentials, value: "True"},
		{desc: "credentials twice", spec: "#concept-cors-check", reason: "two fields join to 'true, true'", acao: []string{o}, acac: []string{"true", "true"}, origin: o, include: true, want: ReasonInvalidAllowCredentials, value: "true, true"},
		{desc: "credentials ignored without include", spec: "#concept-cors-check", reason: "step 5: ACAC does not matter without credentials", acao: []string{o}, acac: []string{"false"}, origin: o, include: false, want: "", value: ""},
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
		{desc: "no expose", spec: "#concept-filtered-response-cors", reason: "only the seven safelisted names", h: base(nil), include: false,
			want: []string{"Content-Length", "Content-Type"}},
		{desc: "expose one", spec: "#concept-filtered-response-cors", reason: "listed names are visible, case-insensitively", h: base(http.Header{"Access-Control-Expose-Headers": {"x-CUSTOM"}}), include: false,
			want: []string{"Content-Length", "Content-Type", "X-Custom"}},
		{desc: "expose two fields", spec: "#extract-header-list-values", reason: "several fields concatenate", h: base(http.Header{"Access-Control-Expose-Headers": {"X-Custom", "X-Other"}}), include: false,
			want: []string{"Content-Length", "Content-Type", "X-Custom", "X-Other"}},
		{desc: "expose set-cookie", spec: "#forbidden-response-header-name", reason: "Set-Cookie is never exposed", h: base(http.Header{"Access-Control-Expose-Headers": {"Set-Cookie"}}), include: false,
			want: []string{"Content-Length", "Content-Type"}},
		{desc: "star", spec: "#concept-main-fetch", reason: "* without credentials exposes every name but Set-Cookie", h: base(http.Header{"Access-Control-Expose-Headers": {"*"}}), include: false,
			want: []string{"Access-Control-Expose-Headers", "Content-Length", "Content-Type", "Date", "X-Custom", "X-Other"}},
		{desc: "star with credentials", spec: "#concept-main-fetch", reason: "with credentials * names only a header called *", h: base(http.Header{"Access-Control-Expose-Headers": {"*"}}), include: true,
			want: []string{"Content-Length", "Content-Type"}},
		{desc: "unparsable", spec: "#concept-main-fetch", reason: "a list that fails to parse exposes nothing", h: base(http.Header{"Access-Control-Expose-Headers": {"X-Custom, bad name"}}), include: false,
			want: []string{"Content-Length", "Content-Type"}},
		{desc: "one bad field", spec: "#extract-header-list-values", reason: "one bad field fails the whole list", h: base(http.Header{"Access-Control-Expose-Headers": {"X-Custom", "a/b"}}), include: false,
			want: []string{"Content-Length", "Content-Type"}},
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
// cors_error_string.cc (third_party/blink/renderer/platform/network/
// cors/cors_error_string.cc in Chromium's source).
func TestErrorText(t *testing.T) {
	tests := []struct {
		desc string
		err  Error
		want string
	}{
		{desc: "missing ACAO", err: Error{Reason: ReasonMissingAllowOriginHeader, URL: "http://127.0.0.2:8080/data", Origin: "http://127.0.0.1:8080"},
			want: "Access to fetch at 'http://127.0.0.2:8080/data' from origin 'http://127.0.0.1:8080' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{desc: "preflight method", err: Error{Reason: ReasonMethodDisallowed, Preflight: true, Value: "PUT", URL: "https://api.example/x", Origin: "https://app.example"},
			want: "Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."},
		{desc: "redirected", err: Error{Reason: ReasonAllowOriginMismatch, Value: "https://b.example", URL: "https://c.example/", InitialURL: "https://b.example/", Origin: "https://a.example"},
			want: "Access to fetch at 'https://c.example/' (redirected from 'https://b.example/') from origin 'https://a.example' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://b.example' that is not equal to the supplied origin. Have the server send the header with a valid value."},
		{desc: "forbidden method", err: Error{Reason: ReasonForbiddenMethod, Value: "TRACE", URL: "https://api.example/"},
			want: "Failed to fetch 'https://api.example/': 'TRACE' HTTP method is unsupported."},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
