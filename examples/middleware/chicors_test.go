package middleware_test

import (
	"net/http"
	"testing"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/cors"
)

// github.com/go-chi/cors v1.2.2 (a fork of rs/cors) as the top-level
// middleware of a github.com/go-chi/chi/v5 router, as its README says.

// chiApp routes the items API with chi behind the middleware mw.
func chiApp(api *itemsAPI, mw func(http.Handler) http.Handler) http.Handler {
	r := chi.NewRouter()
	r.Use(mw)
	r.Get("/items", api.list)
	r.Put("/items", api.update)
	r.Delete("/items", api.remove)
	return r
}

// chiReadme is the README's "Basic CORS", as written: any https or http
// origin (the patterns "https://*" and "http://*"), no credentials.
func chiReadme(api *itemsAPI) http.Handler {
	return chiApp(api, cors.Handler(cors.Options{
		AllowedOrigins:   []string{"https://*", "http://*"},
		AllowedMethods:   []string{"GET", "POST", "PUT", "DELETE", "OPTIONS"},
		AllowedHeaders:   []string{"Accept", "Authorization", "Content-Type", "X-CSRF-Token"},
		ExposedHeaders:   []string{"Link"},
		AllowCredentials: false,
		MaxAge:           300,
	}))
}

// chiAllowAll is cors.AllowAll(): *, the usual methods, any header.
func chiAllowAll(api *itemsAPI) http.Handler { return chiApp(api, cors.AllowAll().Handler) }

// chiAllowList is the README's commented alternative, AllowedOrigins with
// the page's origin only, with credentials and the page's methods, headers
// and exposed field.
func chiAllowList(api *itemsAPI) http.Handler {
	return chiApp(api, cors.Handler(cors.Options{
		AllowedOrigins:   []string{pageOrigin},
		AllowedMethods:   []string{"GET", "PUT", "DELETE"},
		AllowedHeaders:   []string{"Content-Type", "Authorization"},
		ExposedHeaders:   []string{"X-Total-Count"},
		AllowCredentials: true,
		MaxAge:           300,
	}))
}

func TestChiCorsBrowser(t *testing.T) {
	t.Run("README Basic CORS", func(t *testing.T) {
		run(t, chiReadme, []call{
			{name: "simple GET", method: http.MethodGet, status: http.StatusOK, hidden: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "the origin matches https://* and is echoed; only Link is exposed, so X-Total-Count is filtered out",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, status: http.StatusOK, handlerRuns: true,
				why:    "PUT, Content-Type and Authorization are listed: the preflight (answered 200) echoes them",
				anchor: "#cors-preflight-fetch-0"},
			{name: "PATCH is not listed", method: http.MethodPatch, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				// Like rs/cors, go-chi/cors refuses a method by answering the
				// preflight without any CORS field, here with 200 (the status
				// is fixed in Handler). The browser's CORS check of the
				// preflight fails on the missing Access-Control-Allow-Origin.
				why:    "the preflight is answered 200 with Vary only: its CORS check fails",
				anchor: "#cors-preflight-fetch-0"},
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonInvalidAllowCredentials, handlerRuns: true,
				why:    "the origin is echoed but Access-Control-Allow-Credentials is absent, so a credentialed answer is not shared",
				anchor: "#concept-cors-check"},
			{name: "any other https origin", page: otherOrigin, method: http.MethodGet, status: http.StatusOK, handlerRuns: true,
				// "https://*" is not a wildcard for the page's own hosts: it
				// matches every https origin, and the middleware echoes it.
				// Without credentials a page elsewhere reads only what
				// anyone can fetch, but it reads it.
				why:    "https://evil.example.net matches https://* and is echoed",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("AllowAll", func(t *testing.T) {
		run(t, chiAllowAll, []call{
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, status: http.StatusOK, handlerRuns: true,
				why:    `AllowedHeaders "*" echoes the requested names (Authorization, Content-Type), which covers Authorization where "*" would not`,
				anchor: "#cors-preflight-fetch-0"},
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				why:    "* never passes for a credentialed fetch",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("allow-list with credentials", func(t *testing.T) {
		run(t, chiAllowList, []call{
			{name: "GET with credentials, exposed header", method: http.MethodGet, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "the listed origin is echoed with credentials; X-Total-Count is exposed",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "method and headers allowed",
				anchor: "#cors-preflight-fetch-0"},
			{name: "DELETE with Authorization", method: http.MethodDelete, auth: true, credentials: true, status: http.StatusNoContent, handlerRuns: true,
				why:    "method and header allowed",
				anchor: "#cors-preflight-fetch-0"},
			{name: "origin not allowed: GET", page: otherOrigin, method: http.MethodGet, credentials: true, reason: fetch.ReasonMissingAllowOriginHeader, handlerRuns: true,
				why:    "no Access-Control-Allow-Origin for another origin; the simple GET was sent and the handler ran",
				anchor: "#concept-cors-check"},
			{name: "origin not allowed: DELETE", page: otherOrigin, method: http.MethodDelete, auth: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				why:    "the preflight is answered 200 without CORS fields: the DELETE is never sent",
				anchor: "#cors-preflight-fetch-0"},
		})
	})
}

func TestChiCorsAudit(t *testing.T) {
	// go-chi/cors answers a refused preflight 200 with Vary and nothing
	// else (handlePreflight returns early, Handler writes 200): the audit's
	// PATCH and POST preflights, or every unlisted one.
	preflightNoCORS := finding{audit.PreflightNoCORSHeaders, audit.Low,
		"unlisted methods (PATCH, and POST where it is not listed) get 200 without CORS fields: the console blames Access-Control-Allow-Origin"}
	tests := []struct {
		name string
		h    func(*itemsAPI) http.Handler
		want []finding
	}{
		{"README Basic CORS", chiReadme, []finding{
			{audit.OriginReflected, audit.Low,
				"the pattern https://* is a wildcard{prefix: \"https://\"} that every https origin matches, and the origin is echoed; no Access-Control-Allow-Credentials, so reads without cookies only"},
			preflightNoCORS,
		}},
		// AllowAll: * and no credentials (a public resource to the audit),
		// PATCH listed, requested headers echoed, Vary: Origin on every
		// answer (handleActualRequest adds it first).
		{"AllowAll", chiAllowAll, nil},
		{"allow-list with credentials", chiAllowList, []finding{
			preflightNoCORS,
			{audit.RefusedOriginSideEffect, audit.Info, "a refused origin's GET reaches the handler: Handler calls next after handleActualRequest whatever the origin"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { auditHandler(t, tt.h(&itemsAPI{}), tt.want) })
	}
}

// TestChiCorsVary: like rs/cors, go-chi/cors adds Vary: Origin to every
// answer that is not a preflight, Origin or not (handleActualRequest), so
// no cached no-cors answer is served to the page's CORS fetch.
func TestChiCorsVary(t *testing.T) {
	checkCacheTrap(t, map[string]func(*itemsAPI) http.Handler{
		"README Basic CORS": chiReadme,
		"allow-list":        chiAllowList,
	}, false)
}
