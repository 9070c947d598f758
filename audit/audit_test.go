package audit

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// auditHandler runs RunHandler on h for the test page and URL.
func auditHandler(t *testing.T, h http.Handler, edit func(*Config), urls ...string) *Report {
	t.Helper()
	cfg := Config{Origin: origin.MustParse(testPage)}
	if edit != nil {
		edit(&cfg)
	}
	if len(urls) == 0 {
		urls = []string{testURL}
	}
	r, err := RunHandler(t.Context(), h, cfg, urls...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestClasses audits a server written to have each class of problem and
// checks that the finding is made, at the severity the browsers' verdicts
// give it.
func TestClasses(t *testing.T) {
	tests := []struct {
		class  Class
		server *corsServer
		edit   func(*Config)
		url    string
		want   Severity
		why    string
	}{
		{OriginReflected, &corsServer{allow: func(string) bool { return true }, credentials: true}, nil, "", High,
			"any origin with credentials: Chrome with third-party cookies allowed sends a SameSite=None cookie, and #cors-check passes"},
		{OriginReflected, &corsServer{allow: func(string) bool { return true }}, nil, "", Low,
			"without Access-Control-Allow-Credentials the credentialed fetch fails #cors-check: reads without cookies only"},
		{OriginNull, &corsServer{allow: func(o string) bool { return o == "null" || exactOrigin(o) }, credentials: true}, nil, "", High,
			"a sandboxed iframe's opaque origin serializes as null (#ascii-serialisation-of-an-origin)"},
		{OriginPrefixMatch, &corsServer{allow: func(o string) bool { return strings.HasPrefix(o, testPage) }, credentials: true}, nil, "", High,
			"startsWith lets app.example.com.attacker through"},
		{OriginSuffixMatch, &corsServer{allow: func(o string) bool { return strings.HasSuffix(o, "example.com") }, credentials: true}, nil, "", High,
			"endsWith without the dot lets attackerexample.com through"},
		{OriginUnescapedDot, &corsServer{allow: matches(`^https://app.example.com$`), credentials: true}, nil, "", High,
			"an unescaped dot matches x"},
		{OriginSubstringMatch, &corsServer{allow: func(o string) bool { return strings.Contains(testPage, o) }, credentials: true}, nil, "", High,
			"a substring test lets https://app.example.co through"},
		{OriginAnySubdomain, &corsServer{allow: func(o string) bool { return exactOrigin(o) || strings.HasSuffix(o, ".example.com") }, credentials: true}, nil, "", Medium,
			"a subdomain is same-site: its cookies go in every engine, but the attacker needs the subdomain"},
		{OriginInsecureScheme, &corsServer{allow: func(o string) bool { return exactOrigin(o) || o == "http://app.example.com" }, credentials: true}, nil, "", Medium,
			"an http page needs a network attacker"},
		{OriginSpecialChars, &corsServer{allow: matches(`^https://app\.example\.com([^.a-zA-Z0-9-][^/]*)?$`), credentials: true}, nil, "", High,
			"a pattern that only refuses a dot or a letter after the host: all three engines load a page from app.example.com_.attacker (hostchars.json)"},
		{OriginThirdParty, &corsServer{allow: func(o string) bool { return exactOrigin(o) || strings.HasSuffix(o, ".vercel.app") }, credentials: true}, nil, "", High,
			"anyone can publish on vercel.app"},
		{WildcardWithCredentials, &corsServer{wildcard: true, credentials: true}, nil, "", Medium,
			"#cors-check step 3: * never passes with credentials include"},
		{VaryOriginMissing, &corsServer{allow: exactOrigin, noVary: true, cacheControl: "max-age=600"}, nil, "", Medium,
			"the no-cors answer, cached without ACAO, is served to the CORS fetch and fails #cors-check"},
		{VaryOriginMissing, &corsServer{allow: exactOrigin, noVary: true, cacheControl: "public, s-maxage=600, max-age=0, must-revalidate"}, nil, "", Low,
			"not fresh for the browser, but a shared cache may store it"},
		{PreflightBadStatus, &corsServer{allow: exactOrigin, preflight: status(http.StatusMethodNotAllowed)}, nil, "", Medium,
			"#cors-preflight-fetch-0 step 7: a preflight needs an ok status"},
		{PreflightBadStatus, &corsServer{allow: exactOrigin, preflight: status(http.StatusUnauthorized)}, nil, "", Medium,
			"authentication before CORS: the preflight carries no credentials"},
		{PreflightBadStatus, &corsServer{allow: exactOrigin, preflight: func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Access-Control-Request-Method") == http.MethodPatch {
				status(http.StatusMethodNotAllowed)(w, r)
				return
			}
			(&corsServer{}).answerPreflight(w, true)
		}}, nil, "", Low,
			"one method refused with 405 (gorilla/handlers' way): a refusal, whose console message misleads"},
		{VaryOriginMissing, &corsServer{allow: exactOrigin, varyOnlyWithOrigin: true, cacheControl: "private, max-age=60"}, nil, "", Medium,
			"the answer without Origin is stored without Vary and served to the CORS fetch (gorilla/handlers, gin-contrib/cors)"},
		{PreflightNoCORSHeaders, &corsServer{allow: exactOrigin, preflight: status(http.StatusNoContent)}, nil, "", Low,
			"a 204 without Access-Control-Allow-Origin fails the preflight's #cors-check"},
		{PreflightRefused, &corsServer{allow: exactOrigin, methods: "GET, POST", headers: "Content-Type"}, nil, "", Info,
			"PUT, DELETE, PATCH and Authorization are not in the lists: refused, which may be the intent"},
		{RedirectBeforeCORS, &corsServer{allow: exactOrigin, slashRedirect: true}, nil, testURL + "/", Medium,
			"the redirect has no ACAO: #http-redirect-fetch runs #cors-check on the 3xx"},
		{RedirectBeforeCORS, &corsServer{allow: exactOrigin, slashRedirect: true}, nil, "", Low,
			"the other form of the URL redirects before CORS"},
		{MaxAgeAboveCap, &corsServer{allow: exactOrigin, maxAge: "86400"}, nil, "", Info,
			"Chrome caps at 2 h (kMaxTimeout), Safari at 10 min"},
		{RefusedOriginSideEffect, &corsServer{allow: exactOrigin}, func(c *Config) { c.UnsafeMethods = true }, "", Medium,
			"a text/plain POST is a simple request (#cors-safelisted-request-header): sent without a preflight"},
		{RefusedOriginSideEffect, &corsServer{allow: exactOrigin}, nil, "", Info,
			"only a GET was sent: the handler ran, harmless when GET is safe"},
		{LocalNetworkAccess, &corsServer{allow: func(string) bool { return true }}, func(c *Config) { c.ServerAddressSpace = fetch.AddressSpaceLoopback }, "", High,
			"WebKit makes no Local Network Access check: any page reads a loopback server that answers any origin"},
		{LocalNetworkAccess, &corsServer{allow: exactOrigin}, func(c *Config) { c.ServerAddressSpace = fetch.AddressSpaceLocal }, "", Info,
			"a local server that refuses other origins: public pages need the permission, and read nothing more"},
	}
	for _, tt := range tests {
		t.Run(string(tt.class)+"/"+tt.want.String(), func(t *testing.T) {
			var urls []string
			if tt.url != "" {
				urls = []string{tt.url}
			}
			r := auditHandler(t, tt.server, tt.edit, urls...)
			var got []string
			for _, f := range r.Findings {
				got = append(got, string(f.Class)+"/"+f.Severity.String())
				if f.Class == tt.class && f.Severity == tt.want {
					if len(f.Verdicts) != len(r.Profiles) {
						t.Errorf("%d verdicts for %d profiles", len(f.Verdicts), len(r.Profiles))
					}
					return
				}
			}
			t.Errorf("%s: no %s finding at %s; got %v (%+v)", tt.why, tt.class, tt.want, got, r.URLs)
		})
	}
}

// TestNoRepeats checks that a finding that explains another is not
// reported twice: a suffix check lets the unescaped-dot origin through
// too, which ends with the site.
func TestNoRepeats(t *testing.T) {
	r := auditHandler(t, &corsServer{allow: func(o string) bool { return strings.HasSuffix(o, "example.com") }, credentials: true}, nil)
	if !r.Has(OriginSuffixMatch) || r.Has(OriginUnescapedDot) {
		t.Errorf("suffix %v, unescaped dot %v; want the suffix match alone", r.Has(OriginSuffixMatch), r.Has(OriginUnescapedDot))
	}
}

// TestStrict audits correct, strict configurations: nothing above info.
func TestStrict(t *testing.T) {
	for name, s := range map[string]*corsServer{
		"allow-list with credentials, refusing others": {allow: exactOrigin, credentials: true, refuse: true},
		"allow-list, handler answers refused GETs":     {allow: exactOrigin, credentials: true},
		"allow-list, cacheable with Vary: Origin":      {allow: exactOrigin, cacheControl: "public, max-age=600"},
		"public API with *":                            {wildcard: true, cacheControl: "public, max-age=600"},
	} {
		t.Run(name, func(t *testing.T) {
			r := auditHandler(t, s, nil)
			for _, f := range r.AtLeast(Low) {
				t.Errorf("%s %s: %s\n%s", f.Class, f.Severity, f.Title, f.Detail)
			}
			if r.URLs[0].Requests > DefaultMaxRequests {
				t.Errorf("%d requests, over the budget", r.URLs[0].Requests)
			}
		})
	}
}
