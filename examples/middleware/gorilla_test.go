package middleware_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/gorilla/handlers"
	"github.com/gorilla/mux"
)

// github.com/gorilla/handlers v1.5.2, CORS around a github.com/gorilla/mux
// v1.8.1 router, as the documentation of handlers.CORS shows it.

// gorillaApp routes the items API with mux and wraps the router in mw.
func gorillaApp(api *itemsAPI, mw func(http.Handler) http.Handler) http.Handler {
	r := mux.NewRouter()
	r.HandleFunc("/items", api.list).Methods(http.MethodGet)
	r.HandleFunc("/items", api.update).Methods(http.MethodPut)
	r.HandleFunc("/items", api.remove).Methods(http.MethodDelete)
	return mw(r)
}

// gorillaDefault is handlers.CORS()(r) "with the defaults": any origin
// answered *, the methods GET, HEAD and POST, the request headers Accept,
// Accept-Language, Content-Language and Origin.
func gorillaDefault(api *itemsAPI) http.Handler { return gorillaApp(api, handlers.CORS()) }

// gorillaSingleOrigin is one allowed origin with AllowCredentials, the
// methods (AllowedMethods replaces the defaults, so GET, HEAD and POST are
// listed again) and headers the page sends, X-Total-Count exposed, and a
// MaxAge of a day.
func gorillaSingleOrigin(api *itemsAPI) http.Handler {
	return gorillaApp(api, handlers.CORS(
		handlers.AllowedOrigins([]string{pageOrigin}),
		handlers.AllowedMethods([]string{"GET", "HEAD", "POST", "PUT", "DELETE"}),
		handlers.AllowedHeaders([]string{"Content-Type", "Authorization"}),
		handlers.ExposedHeaders([]string{"X-Total-Count"}),
		handlers.AllowCredentials(),
		handlers.MaxAge(86400),
	))
}

// gorillaTwoOrigins is the same with a second allowed origin.
func gorillaTwoOrigins(api *itemsAPI) http.Handler {
	return gorillaApp(api, handlers.CORS(
		handlers.AllowedOrigins([]string{pageOrigin, "https://admin.example.com"}),
		handlers.AllowedMethods([]string{"GET", "HEAD", "POST", "PUT", "DELETE"}),
		handlers.AllowedHeaders([]string{"Content-Type", "Authorization"}),
		handlers.ExposedHeaders([]string{"X-Total-Count"}),
		handlers.AllowCredentials(),
	))
}

// gorillaStarCredentials is AllowedOrigins "*" ("will allow any domain")
// with AllowCredentials.
func gorillaStarCredentials(api *itemsAPI) http.Handler {
	return gorillaApp(api, handlers.CORS(handlers.AllowedOrigins([]string{"*"}), handlers.AllowCredentials()))
}

func TestGorillaCorsBrowser(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		run(t, gorillaDefault, []call{
			{name: "simple GET", method: http.MethodGet, status: http.StatusOK, hidden: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "no AllowedOrigins: every origin is answered *",
				anchor: "#concept-cors-check"},
			{name: "PUT with a JSON body", method: http.MethodPut, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				// gorilla refuses an unlisted method with 405 and no CORS
				// field. Chromium checks the preflight's CORS fields before
				// its status, so Chrome's console names the missing
				// Access-Control-Allow-Origin; the spec's step (CORS check
				// and an ok status) fails either way.
				why:    "PUT is not a default method: the preflight is answered 405 without CORS fields",
				anchor: "#cors-preflight-fetch-0"},
			{name: "PUT with a JSON body, Safari", browser: fetch.Safari, method: http.MethodPut, json: true, reason: fetch.ReasonPreflightInvalidStatus, preflight: true,
				// WebKit checks the status first: its console names the 405.
				why:    "WebKit reports the preflight's status, not the missing field",
				anchor: "#cors-preflight-fetch-0, #ok-status"},
			{name: "POST with a JSON body", method: http.MethodPost, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				// POST is allowed, but Content-Type is not in the default
				// headers (the AllowedHeaders documentation says so): 403.
				why:    "Content-Type: application/json needs a preflight, which gorilla answers 403 without CORS fields",
				anchor: "#cors-safelisted-request-header, #cors-preflight-fetch-0"},
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				why:    "* never passes for a credentialed fetch",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("single origin with credentials", func(t *testing.T) {
		run(t, gorillaSingleOrigin, []call{
			{name: "GET with credentials, exposed header", method: http.MethodGet, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "the listed origin is echoed with Access-Control-Allow-Credentials: true; X-Total-Count is exposed",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "PUT, Content-Type and Authorization are allowed",
				anchor: "#cors-preflight-fetch-0"},
			{name: "PATCH is not listed", method: http.MethodPatch, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				why:    "405 without CORS fields",
				anchor: "#cors-preflight-fetch-0"},
			{name: "origin not allowed: GET", page: otherOrigin, method: http.MethodGet, reason: fetch.ReasonMissingAllowOriginHeader, handlerRuns: true,
				// For a refused origin the middleware calls the router with
				// no CORS field: the GET runs, its answer is hidden.
				why:    "no Access-Control-Allow-Origin; the handler ran",
				anchor: "#concept-cors-check"},
			{name: "origin not allowed: PUT", page: otherOrigin, method: http.MethodPut, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				// A refused origin's OPTIONS is left unanswered by the
				// middleware: net/http sends 200 with nothing.
				why:    "the preflight gets an empty 200: the PUT is never sent",
				anchor: "#cors-preflight-fetch-0"},
		})
	})
	t.Run("* with credentials", func(t *testing.T) {
		run(t, gorillaStarCredentials, []call{
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				// gorilla answers * for "*" whatever AllowCredentials says
				// (returning arbitrary origins "is unsafe", says its source):
				// safe, but every credentialed fetch fails.
				why:    "* with Access-Control-Allow-Credentials: true fails a credentialed fetch",
				anchor: "#concept-cors-check"},
		})
	})
}

// TestGorillaCorsVary shows what a missing Vary: Origin does in a browser.
// gorilla sends Vary: Origin only when more than one origin is allowed
// (len(allowedOrigins) > 1), and never on an answer to a request without
// Origin, which it passes to the router untouched. The items answer is
// cacheable (private, max-age=60): once a page has loaded the URL without
// CORS (an <img>, a no-cors fetch()), the browser's HTTP cache holds an
// answer without Access-Control-Allow-Origin that, having no Vary, matches
// the page's later CORS fetch, which then fails without reaching the
// server. This is so in all three engines, and in every gorilla
// configuration here: the second origin adds Vary: Origin to the CORS
// answers only, not to the answer that gets cached.
func TestGorillaCorsVary(t *testing.T) {
	checkCacheTrap(t, map[string]func(*itemsAPI) http.Handler{
		"defaults":                       gorillaDefault,
		"single origin with credentials": gorillaSingleOrigin,
		"two origins":                    gorillaTwoOrigins,
	}, true)
}

// TestGorillaCorsMaxAge: handlers.MaxAge caps its argument at 600 seconds,
// so the day asked for is sent as 600, which every engine keeps whole
// (Chrome caps at 2 h, Firefox at 24 h, Safari at 10 min).
func TestGorillaCorsMaxAge(t *testing.T) {
	for _, p := range []fetch.Profile{fetch.Chrome, fetch.Firefox, fetch.Safari} {
		received, kept := preflightLifetime(t, gorillaSingleOrigin(&itemsAPI{}), p)
		if received != "600" || kept != 10*time.Minute {
			t.Errorf("%s: Access-Control-Max-Age %q kept %v, want 600 kept 10m", p.Name, received, kept)
		}
	}
}

func TestGorillaCorsAudit(t *testing.T) {
	// gorilla answers a preflight for an unlisted method 405 and one with
	// an unlisted header 403 (ServeHTTP), without CORS fields.
	badStatus := finding{audit.PreflightBadStatus, audit.Medium,
		"the audit's PATCH preflight (and, with the defaults, PUT and DELETE: 405; POST with JSON and Authorization: 403) gets an error status"}
	sideEffect := finding{audit.RefusedOriginSideEffect, audit.Info,
		"a refused origin's GET is passed to the router (ServeHTTP calls ch.h.ServeHTTP for non-OPTIONS requests it refuses)"}
	// The cache trap of TestGorillaCorsVary: the answer to a request
	// without Origin passes the middleware untouched, without Vary: Origin.
	trap := finding{audit.VaryOriginMissing, audit.Medium,
		"the answer without Origin has neither Access-Control-Allow-Origin nor Vary: Origin; cached, it is served to the page's fetch (TestGorillaCorsVary)"}
	// With the methods configured, only the PATCH preflight gets 405: a
	// refusal, with a misleading console message.
	somePreflights := finding{audit.PreflightBadStatus, audit.Low,
		"only the PATCH preflight gets 405; the others pass"}
	tests := []struct {
		name string
		h    func(*itemsAPI) http.Handler
		want []finding
	}{
		// The defaults answer * to any origin: nothing for the origin
		// checks.
		{"defaults", gorillaDefault, []finding{badStatus, trap}},
		{"single origin with credentials", gorillaSingleOrigin, []finding{
			{audit.VaryOriginMissing, audit.Medium,
				"with one allowed origin, ServeHTTP sets no Vary: Origin, and the answer is cacheable: the no-cors answer, cached, is served to the page's fetch (TestGorillaCorsVary)"},
			somePreflights, sideEffect,
			// No max-age-above-cap: MaxAge(86400) is sent as 600.
		}},
		{"two origins", gorillaTwoOrigins, []finding{somePreflights, sideEffect, trap}},
		{"* with credentials", gorillaStarCredentials, []finding{
			{audit.WildcardWithCredentials, audit.Medium, "\"*\" makes ServeHTTP answer * while AllowCredentials adds true"},
			badStatus, trap,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { auditHandler(t, tt.h(&itemsAPI{}), tt.want) })
	}
}
