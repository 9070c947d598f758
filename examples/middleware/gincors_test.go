package middleware_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
)

// github.com/gin-contrib/cors v1.7.7 on github.com/gin-gonic/gin v1.12.0,
// registered with router.Use as its README does.

func init() { gin.SetMode(gin.TestMode) } // no debug banner and route list

// ginApp routes the items API with gin (gin.New: gin.Default's router
// without the logger and recovery middleware) behind the middleware mw.
func ginApp(api *itemsAPI, mw gin.HandlerFunc) http.Handler {
	r := gin.New()
	r.Use(mw)
	r.GET("/items", gin.WrapF(api.list))
	r.PUT("/items", gin.WrapF(api.update))
	r.DELETE("/items", gin.WrapF(api.remove))
	return r
}

// ginDefault is the README's Quick Start, cors.Default(): all origins
// answered *, the methods GET, POST, PUT, PATCH, DELETE, HEAD and OPTIONS,
// the request headers Origin, Content-Length and Content-Type, and a
// MaxAge of 12 hours.
func ginDefault(api *itemsAPI) http.Handler { return ginApp(api, cors.Default()) }

// ginAllowList is the README's "DefaultConfig Reference" for the page's
// origin, with credentials, Authorization added (AddAllowHeaders) and
// X-Total-Count exposed (AddExposeHeaders).
func ginAllowList(api *itemsAPI) http.Handler {
	config := cors.DefaultConfig()
	config.AllowOrigins = []string{pageOrigin}
	config.AllowCredentials = true
	config.AddAllowHeaders("Authorization")
	config.AddExposeHeaders("X-Total-Count")
	return ginApp(api, cors.New(config))
}

// ginSuffix is the README's "Custom Origin Validation",
// strings.HasSuffix(origin, "github.com"), for the page's site.
func ginSuffix(api *itemsAPI) http.Handler {
	return ginApp(api, cors.New(cors.Config{
		AllowOriginFunc: func(origin string) bool { return strings.HasSuffix(origin, "example.com") },
	}))
}

// ginWildcard is the README's "Advanced Options" for the page's site:
// "https://*.example.com" with AllowWildcard, GET and POST, credentials,
// a MaxAge of 24 hours.
func ginWildcard(api *itemsAPI) http.Handler {
	return ginApp(api, cors.New(cors.Config{
		AllowOrigins:     []string{"https://*.example.com"},
		AllowWildcard:    true,
		AllowMethods:     []string{"GET", "POST"},
		AllowHeaders:     []string{"Authorization", "Content-Type"},
		AllowCredentials: true,
		MaxAge:           24 * time.Hour,
		ExposeHeaders:    []string{"X-Total-Count"},
	}))
}

func TestGinCorsBrowser(t *testing.T) {
	t.Run("Default", func(t *testing.T) {
		run(t, ginDefault, []call{
			{name: "simple GET", method: http.MethodGet, status: http.StatusOK, hidden: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "* for any origin; nothing exposed",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body", method: http.MethodPut, json: true, status: http.StatusOK, handlerRuns: true,
				why:    "PUT and Content-Type are in the defaults",
				anchor: "#cors-preflight-fetch-0"},
			{name: "DELETE with Authorization", method: http.MethodDelete, auth: true, reason: fetch.ReasonHeaderDisallowed, preflight: true,
				// The preflight's answer is a fixed list
				// (Origin,Content-Length,Content-Type) whatever is asked.
				why:    "Authorization is not in Access-Control-Allow-Headers",
				anchor: "#cors-preflight-fetch-0"},
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				why:    "* never passes for a credentialed fetch",
				anchor: "#concept-cors-check"},
			{name: "trailing slash", method: http.MethodGet, path: "/items/", reason: fetch.ReasonMissingAllowOriginHeader,
				// gin's router redirects /items/ to /items (301,
				// RedirectTrailingSlash) before any middleware runs, so the
				// redirect has no CORS field. The browser CORS-checks every
				// response of a cors request, redirects included, so the
				// fetch fails before following it, and the console speaks
				// of Access-Control-Allow-Origin, not of the redirect.
				why:    "the 301 to /items has no Access-Control-Allow-Origin",
				anchor: "#concept-http-fetch, #concept-cors-check"},
		})
	})
	t.Run("DefaultConfig allow-list with credentials", func(t *testing.T) {
		run(t, ginAllowList, []call{
			{name: "GET with credentials, exposed header", method: http.MethodGet, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "the listed origin with credentials; X-Total-Count exposed",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "PUT, Content-Type and Authorization are allowed",
				anchor: "#cors-preflight-fetch-0"},
			{name: "origin not allowed: GET", page: otherOrigin, method: http.MethodGet, credentials: true, reason: fetch.ReasonMissingAllowOriginHeader,
				// Unlike the other middleware, gin-contrib/cors aborts a
				// request from an origin it refuses with 403: the handler
				// does not run, even for a simple GET.
				why:    "403 without Access-Control-Allow-Origin, before the handler",
				anchor: "#concept-cors-check"},
			{name: "origin not allowed: PUT", page: otherOrigin, method: http.MethodPut, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				why:    "the preflight is answered 403 without CORS fields",
				anchor: "#cors-preflight-fetch-0"},
		})
	})
	t.Run("custom origin validation by suffix", func(t *testing.T) {
		run(t, ginSuffix, []call{
			{name: "the page", method: http.MethodGet, status: http.StatusOK, handlerRuns: true,
				why:    "https://app.example.com ends with example.com",
				anchor: "#concept-cors-check"},
			{name: "a domain that ends like the site", page: "https://attackerexample.com", method: http.MethodGet, status: http.StatusOK, handlerRuns: true,
				// HasSuffix(origin, "example.com") has no dot before the
				// site: anyone who registers attackerexample.com is let in.
				why:    "https://attackerexample.com ends with example.com too, and is echoed",
				anchor: "#concept-cors-check"},
			{name: "an http page", page: "http://app.example.com", method: http.MethodGet, status: http.StatusOK, handlerRuns: true,
				why:    "the scheme is not checked: a page served over http, which a network attacker can rewrite, is allowed",
				anchor: "#concept-cors-check"},
			{name: "PUT with a JSON body", method: http.MethodPut, json: true, reason: fetch.ReasonMethodDisallowed, preflight: true,
				// A Config without AllowMethods sends no
				// Access-Control-Allow-Methods at all (DefaultConfig has
				// them, a bare Config does not): only the safelisted
				// methods pass.
				why:    "the preflight's answer has no Access-Control-Allow-Methods",
				anchor: "#cors-preflight-fetch-0"},
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonInvalidAllowCredentials, handlerRuns: true,
				why:    "no Access-Control-Allow-Credentials",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("wildcard subdomains", func(t *testing.T) {
		run(t, ginWildcard, []call{
			{name: "the page with credentials", method: http.MethodGet, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "https://app.example.com starts with https:// and ends with .example.com",
				anchor: "#concept-cors-check"},
			{name: "any subdomain with credentials", page: "https://forgotten-preview.example.com", method: http.MethodGet, credentials: true, status: http.StatusOK, handlerRuns: true,
				why:    "every subdomain matches",
				anchor: "#concept-cors-check"},
			{name: "PUT is not listed", method: http.MethodPut, json: true, reason: fetch.ReasonMethodDisallowed, preflight: true,
				why:    "Access-Control-Allow-Methods is GET,POST",
				anchor: "#cors-preflight-fetch-0"},
		})
	})
}

// TestGinCorsVary: gin-contrib/cors adds Vary: Origin to the answers it
// gives CORS fields to (and none with AllowAllOrigins), but an answer to a
// request without Origin leaves the middleware untouched (applyCors returns
// at once). The items answer is cacheable, so after a no-cors load of the
// URL the browser's HTTP cache holds an answer without Vary and without
// Access-Control-Allow-Origin, and serves it to the page's CORS fetch,
// which fails in all three engines.
func TestGinCorsVary(t *testing.T) {
	checkCacheTrap(t, map[string]func(*itemsAPI) http.Handler{
		"Default":                  ginDefault,
		"DefaultConfig allow-list": ginAllowList,
		"custom validation":        ginSuffix,
		"wildcard subdomains":      ginWildcard,
	}, true)
}

// TestGinCorsMaxAge: Default's MaxAge is 12 hours, the README's advanced
// example 24. Each engine keeps a preflight for its own cap at most:
// Chrome 2 h, Firefox 24 h, Safari 10 min. A policy change (a method
// removed) reaches Firefox users only after up to a day.
func TestGinCorsMaxAge(t *testing.T) {
	tests := []struct {
		name     string
		h        func(*itemsAPI) http.Handler
		received string
		kept     map[string]time.Duration
	}{
		{"Default", ginDefault, "43200", map[string]time.Duration{"Chrome": 2 * time.Hour, "Firefox": 12 * time.Hour, "Safari": 10 * time.Minute}},
		{"DefaultConfig allow-list", ginAllowList, "43200", map[string]time.Duration{"Chrome": 2 * time.Hour, "Firefox": 12 * time.Hour, "Safari": 10 * time.Minute}},
	}
	for _, tt := range tests {
		for _, p := range []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari} {
			received, kept := preflightLifetime(t, tt.h(&itemsAPI{}), p)
			if received != tt.received || kept != tt.kept[p.Name] {
				t.Errorf("%s, %s: Access-Control-Max-Age %q kept %v, want %q kept %v", tt.name, p.Name, received, kept, tt.received, tt.kept[p.Name])
			}
		}
	}
}

func TestGinCorsAudit(t *testing.T) {
	// gin's router answers GET /items/ with a 301 to /items
	// (RedirectTrailingSlash, on in gin.New and gin.Default) before the
	// handlers, the CORS middleware among them, run.
	slash := finding{audit.RedirectBeforeCORS, audit.Low,
		"the audit's GET of /items/ gets gin's trailing-slash redirect, without CORS fields"}
	maxAge := finding{audit.MaxAgeAboveCap, audit.Info,
		"DefaultConfig's MaxAge is 12 h (the advanced example's 24 h), above Chrome's 2 h and Safari's 10 min"}
	// The cache trap of TestGinCorsVary: a request without Origin skips
	// the middleware, whose answer then has no Vary: Origin.
	trap := finding{audit.VaryOriginMissing, audit.Medium,
		"the answer without Origin has no Vary: Origin; cached, it is served to the page's fetch (TestGinCorsVary)"}
	tests := []struct {
		name string
		h    func(*itemsAPI) http.Handler
		want []finding
	}{
		{"Default", ginDefault, []finding{
			slash,
			{audit.PreflightRefused, audit.Info, "Access-Control-Allow-Headers is the fixed Origin,Content-Length,Content-Type: the preflights with Authorization are refused"},
			maxAge, trap,
			// No refused-origin-side-effect here or below: an origin
			// the middleware refuses gets 403 (AbortWithStatus) before
			// the handler.
		}},
		{"DefaultConfig allow-list with credentials", ginAllowList, []finding{slash, maxAge, trap}},
		{"custom origin validation by suffix", ginSuffix, []finding{
			{audit.OriginSuffixMatch, audit.Low, "HasSuffix(origin, \"example.com\") lets https://corsprobeattackerexample.com in; no credentials, so reads without cookies"},
			{audit.OriginAnySubdomain, audit.Low, "every subdomain ends with example.com"},
			{audit.OriginInsecureScheme, audit.Low, "http://app.example.com ends with example.com: the scheme is not checked"},
			slash,
			{audit.PreflightRefused, audit.Info, "a bare Config sends neither Access-Control-Allow-Methods nor -Headers"},
			trap,
			// No origin-unescaped-dot: https://appxexample.com ends with
			// the site too, which the suffix match already reports.
		}},
		{"wildcard subdomains", ginWildcard, []finding{
			{audit.OriginAnySubdomain, audit.Medium, "https://*.example.com is a prefix and suffix test, with credentials: an attacker needs a subdomain"},
			slash,
			{audit.PreflightRefused, audit.Info, "only GET and POST are listed"},
			{audit.MaxAgeAboveCap, audit.Info, "MaxAge 24 h: above Chrome's 2 h and Safari's 10 min (Firefox's cap is 24 h)"},
			trap,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { auditHandler(t, tt.h(&itemsAPI{}), tt.want) })
	}
}
