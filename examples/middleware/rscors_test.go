package middleware_test

import (
	"net/http"
	"testing"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/rs/cors"
)

// github.com/rs/cors v1.11.1, in the configurations its README and Options
// documentation give, in front of net/http's ServeMux.

// rsDefault is the README's "Getting Started": cors.Default(), all origins
// with Access-Control-Allow-Origin: *, the methods GET, POST and HEAD, the
// request headers Accept, Content-Type and X-Requested-With.
func rsDefault(api *itemsAPI) http.Handler { return cors.Default().Handler(api.mux()) }

// rsAllowAll is cors.AllowAll(): all origins, the methods HEAD, GET, POST,
// PUT, PATCH and DELETE, any request header, no credentials.
func rsAllowAll(api *itemsAPI) http.Handler { return cors.AllowAll().Handler(api.mux()) }

// rsReadmeCredentials is the README's "Parameters" example for the page:
// an allow-list with credentials, the methods and headers left to their
// defaults.
func rsReadmeCredentials(api *itemsAPI) http.Handler {
	return cors.New(cors.Options{
		AllowedOrigins:   []string{pageOrigin},
		AllowCredentials: true,
	}).Handler(api.mux())
}

// rsAllowList is an allow-list with credentials completed for a
// single-page application: the methods and headers it sends, the response
// field it reads, a preflight lifetime of ten minutes.
func rsAllowList(api *itemsAPI) http.Handler {
	return cors.New(cors.Options{
		AllowedOrigins:   []string{pageOrigin},
		AllowedMethods:   []string{http.MethodGet, http.MethodPut, http.MethodDelete},
		AllowedHeaders:   []string{"Content-Type", "Authorization"},
		ExposedHeaders:   []string{"X-Total-Count"},
		AllowCredentials: true,
		MaxAge:           600,
	}).Handler(api.mux())
}

// rsStarCredentials is AllowedOrigins "*" with AllowCredentials, the
// combination the README's "Allow * With Credentials Security Protection"
// section is about.
func rsStarCredentials(api *itemsAPI) http.Handler {
	return cors.New(cors.Options{AllowedOrigins: []string{"*"}, AllowCredentials: true}).Handler(api.mux())
}

// rsSubdomains is the wildcard origin of the Options documentation
// ("http://*.domain.com"), for every subdomain of the page's site.
func rsSubdomains(api *itemsAPI) http.Handler {
	return cors.New(cors.Options{
		AllowedOrigins:   []string{"https://*.example.com"},
		AllowedMethods:   []string{http.MethodGet, http.MethodPut, http.MethodDelete},
		AllowedHeaders:   []string{"Content-Type", "Authorization"},
		AllowCredentials: true,
	}).Handler(api.mux())
}

func TestRSCorsBrowser(t *testing.T) {
	t.Run("Default", func(t *testing.T) {
		run(t, rsDefault, []call{
			{name: "simple GET", method: http.MethodGet, status: http.StatusOK, hidden: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "Access-Control-Allow-Origin: * passes for a request without credentials; X-Total-Count is not exposed, so the cors filtered response drops it",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body", method: http.MethodPut, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				// Surprising: rs/cors refuses a method outside AllowedMethods
				// (PUT, by default) by answering the preflight 204 with Vary
				// and no CORS field at all. A browser runs the CORS check on
				// the preflight's answer first, so Chrome's console blames a
				// missing Access-Control-Allow-Origin, not the method, and
				// the PUT is never sent.
				why:    "the preflight's answer is 204 without Access-Control-Allow-Origin: the CORS check of the preflight fails",
				anchor: "#cors-preflight-fetch-0"},
			{name: "DELETE with Authorization", method: http.MethodDelete, auth: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				why:    "DELETE is not a default method and Authorization not a default header: a 204 without CORS fields again",
				anchor: "#cors-preflight-fetch-0"},
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				why:    "a credentialed answer must name the origin: * fails the CORS check, after the server ran the GET",
				anchor: "#concept-cors-check"},
			{name: "any origin", page: otherOrigin, method: http.MethodGet, status: http.StatusOK, handlerRuns: true,
				why:    "every origin gets *: any page reads what the API gives without cookies",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("AllowAll", func(t *testing.T) {
		run(t, rsAllowAll, []call{
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, status: http.StatusOK, hidden: []string{"X-Total-Count"}, handlerRuns: true,
				// AllowedHeaders "*" makes rs/cors echo the requested names
				// (authorization,content-type) in Access-Control-Allow-Headers
				// rather than send "*", which would not cover Authorization.
				why:    "the preflight echoes the method and the header names, Authorization included: the PUT is sent and read",
				anchor: "#cors-preflight-fetch-0"},
			{name: "DELETE with Authorization", method: http.MethodDelete, auth: true, status: http.StatusNoContent, handlerRuns: true,
				why:    "DELETE is in AllowAll's methods",
				anchor: "#cors-preflight-fetch-0"},
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				why:    "AllowAll sets no credentials: the answer is *, which a credentialed fetch never accepts",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("README allow-list with credentials", func(t *testing.T) {
		run(t, rsReadmeCredentials, []call{
			{name: "credentials include", method: http.MethodGet, credentials: true, status: http.StatusOK, hidden: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "the origin is echoed with Access-Control-Allow-Credentials: true",
				anchor: "#concept-cors-check"},
			{name: "PUT with a JSON body", method: http.MethodPut, json: true, credentials: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				// The README's example leaves AllowedMethods at its default
				// (GET, POST, HEAD): a page of the listed origin cannot PUT,
				// and the console names the wrong cause.
				why:    "PUT is not in the default methods: the preflight is answered 204 without any CORS field",
				anchor: "#cors-preflight-fetch-0"},
			{name: "origin not allowed", page: otherOrigin, method: http.MethodGet, credentials: true, reason: fetch.ReasonMissingAllowOriginHeader, handlerRuns: true,
				why:    "the answer to another origin has no Access-Control-Allow-Origin; the GET needed no preflight, so the handler ran",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("allow-list for a single-page application", func(t *testing.T) {
		run(t, rsAllowList, []call{
			{name: "GET with credentials, exposed header", method: http.MethodGet, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "the origin is echoed with credentials allowed; X-Total-Count is listed in Access-Control-Expose-Headers",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "PUT and both header names are allowed: preflight, then the request",
				anchor: "#cors-preflight-fetch-0"},
			{name: "DELETE with Authorization", method: http.MethodDelete, auth: true, credentials: true, status: http.StatusNoContent, handlerRuns: true,
				why:    "DELETE is allowed",
				anchor: "#cors-preflight-fetch-0"},
			{name: "origin not allowed: GET", page: otherOrigin, method: http.MethodGet, reason: fetch.ReasonMissingAllowOriginHeader, handlerRuns: true,
				// rs/cors only withholds the CORS fields; the handler answers
				// every origin. Harmless for a GET without side effects.
				why:    "no Access-Control-Allow-Origin for another origin, but the simple GET was sent and the handler ran",
				anchor: "#concept-cors-check"},
			{name: "origin not allowed: PUT", page: otherOrigin, method: http.MethodPut, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				why:    "the preflight's answer has no CORS field, so the PUT is never sent",
				anchor: "#cors-preflight-fetch-0"},
		})
	})
	t.Run("* with credentials", func(t *testing.T) {
		run(t, rsStarCredentials, []call{
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				// Since rs/cors#55 the middleware no longer reflects the
				// origin for "*" with credentials: it sends * together with
				// Access-Control-Allow-Credentials: true, which every browser
				// refuses for a credentialed fetch. Safe, but broken.
				why:    "Access-Control-Allow-Origin: * with credentials fails the CORS check",
				anchor: "#concept-cors-check"},
			{name: "without credentials", method: http.MethodGet, status: http.StatusOK, handlerRuns: true,
				why:    "a fetch without credentials accepts *",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("wildcard subdomains", func(t *testing.T) {
		run(t, rsSubdomains, []call{
			{name: "the page", method: http.MethodGet, credentials: true, status: http.StatusOK, handlerRuns: true,
				why:    "app.example.com matches https://*.example.com: the origin is echoed with credentials",
				anchor: "#concept-cors-check"},
			{name: "any other subdomain", page: "https://forgotten-preview.example.com", method: http.MethodPut, json: true, auth: true, credentials: true, status: http.StatusOK, handlerRuns: true,
				why:    "every subdomain matches, a forgotten or taken-over one too, with credentials",
				anchor: "#concept-cors-check"},
			{name: "another site", page: otherOrigin, method: http.MethodGet, reason: fetch.ReasonMissingAllowOriginHeader, handlerRuns: true,
				why:    "evil.example.net does not end with .example.com",
				anchor: "#concept-cors-check"},
		})
	})
}

func TestRSCorsAudit(t *testing.T) {
	// preflightNoCORS is what rs/cors does with a preflight it refuses
	// (handlePreflight returns before any Access-Control-Allow-* field, and
	// Handler answers OptionsSuccessStatus, 204): the audit's PATCH and POST
	// preflights (and PUT and DELETE where the methods are the default
	// GET, POST, HEAD) get a 2xx without CORS fields.
	preflightNoCORS := finding{audit.PreflightNoCORSHeaders, audit.Low,
		"methods or headers outside the lists get 204 without CORS fields (handlePreflight returns early): the console blames Access-Control-Allow-Origin"}
	// sideEffect: handleActualRequest only withholds the CORS fields from
	// an origin it refuses, then Handler calls the application anyway.
	sideEffect := finding{audit.RefusedOriginSideEffect, audit.Info,
		"a refused origin's GET still reaches the handler (Handler calls h.ServeHTTP after handleActualRequest)"}
	tests := []struct {
		name string
		h    func(*itemsAPI) http.Handler
		want []finding
	}{
		{"Default", rsDefault, []finding{preflightNoCORS}},
		// AllowAll: * for any origin and no credentials, which the audit
		// takes for a public resource; every method of the audit's
		// preflights is listed and the requested headers are echoed; Vary:
		// Origin is on every answer (handleActualRequest sets it before
		// looking at Origin). Nothing to report.
		{"AllowAll", rsAllowAll, nil},
		{"README allow-list with credentials", rsReadmeCredentials, []finding{preflightNoCORS, sideEffect}},
		{"allow-list for a single-page application", rsAllowList, []finding{preflightNoCORS, sideEffect}},
		{"* with credentials", rsStarCredentials, []finding{
			{audit.WildcardWithCredentials, audit.Medium, "allowedOriginsAll writes * and allowCredentials writes true, independently: every credentialed fetch fails"},
			preflightNoCORS,
		}},
		{"wildcard subdomains", rsSubdomains, []finding{
			{audit.OriginAnySubdomain, audit.Medium, "wildcard.match is a prefix and suffix test: https://corsprobe-sub.example.com is echoed with credentials; an attacker needs a subdomain"},
			preflightNoCORS, sideEffect,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { auditHandler(t, tt.h(&itemsAPI{}), tt.want) })
	}
}

// TestRSCorsVary: rs/cors sets Vary: Origin on every answer that is not a
// preflight, before it looks at Origin (handleActualRequest), so the answer
// to a no-cors load is stored with Vary: Origin, does not match the page's
// CORS fetch, and the fetch goes to the server.
func TestRSCorsVary(t *testing.T) {
	checkCacheTrap(t, map[string]func(*itemsAPI) http.Handler{
		"Default":    rsDefault,
		"allow-list": rsAllowList,
	}, false)
}
