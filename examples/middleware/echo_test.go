package middleware_test

import (
	"net/http"
	"testing"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// github.com/labstack/echo/v4 v4.16.4 and its middleware.CORS, registered
// with e.Use as Echo's CORS documentation does.

// echoApp routes the items API with Echo behind the middleware mw.
func echoApp(api *itemsAPI, mw echo.MiddlewareFunc) http.Handler {
	e := echo.New()
	e.Use(mw)
	e.GET("/items", echo.WrapHandler(http.HandlerFunc(api.list)))
	e.PUT("/items", echo.WrapHandler(http.HandlerFunc(api.update)))
	e.DELETE("/items", echo.WrapHandler(http.HandlerFunc(api.remove)))
	return e
}

// echoDefault is middleware.CORS(): DefaultCORSConfig, any origin answered
// *, the methods GET, HEAD, PUT, PATCH, POST and DELETE, the requested
// headers echoed.
func echoDefault(api *itemsAPI) http.Handler { return echoApp(api, middleware.CORS()) }

// echoDocs is the documentation's CORSWithConfig example with the page's
// origins: two origins and the request headers Origin, Content-Type and
// Accept.
func echoDocs(api *itemsAPI) http.Handler {
	return echoApp(api, middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins: []string{pageOrigin, "https://admin.example.com"},
		AllowHeaders: []string{echo.HeaderOrigin, echo.HeaderContentType, echo.HeaderAccept},
	}))
}

// echoAllowList is an allow-list with credentials and X-Total-Count
// exposed; AllowMethods and AllowHeaders are left out.
func echoAllowList(api *itemsAPI) http.Handler {
	return echoApp(api, middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:     []string{pageOrigin},
		AllowCredentials: true,
		ExposeHeaders:    []string{"X-Total-Count"},
	}))
}

// echoStarCredentials is AllowCredentials with the default origins, "*",
// which the AllowCredentials documentation warns against.
func echoStarCredentials(api *itemsAPI) http.Handler {
	return echoApp(api, middleware.CORSWithConfig(middleware.CORSConfig{AllowCredentials: true}))
}

// echoUnsafeWildcard adds UnsafeWildcardOriginWithAllowCredentials, which
// its documentation calls INSECURE: "*" then echoes any origin.
func echoUnsafeWildcard(api *itemsAPI) http.Handler {
	return echoApp(api, middleware.CORSWithConfig(middleware.CORSConfig{
		AllowCredentials:                         true,
		UnsafeWildcardOriginWithAllowCredentials: true,
	}))
}

func TestEchoCorsBrowser(t *testing.T) {
	t.Run("CORS()", func(t *testing.T) {
		run(t, echoDefault, []call{
			{name: "simple GET", method: http.MethodGet, status: http.StatusOK, hidden: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "* for any origin; nothing exposed",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, status: http.StatusOK, handlerRuns: true,
				// With AllowHeaders empty, the preflight's answer repeats
				// Access-Control-Request-Headers, so Authorization is
				// allowed by name.
				why:    "PUT is in the default methods and the requested headers are echoed",
				anchor: "#cors-preflight-fetch-0"},
			{name: "DELETE with Authorization", method: http.MethodDelete, auth: true, status: http.StatusNoContent, handlerRuns: true,
				why:    "DELETE is in the default methods",
				anchor: "#cors-preflight-fetch-0"},
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				why:    "* never passes for a credentialed fetch",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("documented CORSWithConfig", func(t *testing.T) {
		run(t, echoDocs, []call{
			{name: "PUT with a JSON body", method: http.MethodPut, json: true, status: http.StatusOK, handlerRuns: true,
				// Without AllowMethods, the answer's Access-Control-Allow-
				// Methods is the router's Allow for the path ("OPTIONS,
				// DELETE, GET, PUT"), which holds PUT.
				why:    "the origin is listed, Content-Type allowed, PUT among the route's methods",
				anchor: "#cors-preflight-fetch-0"},
			{name: "DELETE with Authorization", method: http.MethodDelete, auth: true, reason: fetch.ReasonHeaderDisallowed, preflight: true,
				why:    "Access-Control-Allow-Headers is Origin,Content-Type,Accept: Authorization is not allowed, the DELETE is never sent",
				anchor: "#cors-preflight-fetch-0"},
			{name: "origin not allowed: GET", page: otherOrigin, method: http.MethodGet, reason: fetch.ReasonMissingAllowOriginHeader, handlerRuns: true,
				why:    "no Access-Control-Allow-Origin for an unlisted origin; Echo ran the handler (next(c))",
				anchor: "#concept-cors-check"},
			{name: "origin not allowed: PUT", page: otherOrigin, method: http.MethodPut, json: true, reason: fetch.ReasonMissingAllowOriginHeader, preflight: true,
				why:    "the preflight is answered 204 with Vary and Allow only",
				anchor: "#cors-preflight-fetch-0"},
		})
	})
	t.Run("allow-list with credentials", func(t *testing.T) {
		run(t, echoAllowList, []call{
			{name: "GET with credentials, exposed header", method: http.MethodGet, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "the listed origin with Access-Control-Allow-Credentials: true; X-Total-Count exposed",
				anchor: "#concept-cors-check, #concept-filtered-response-cors"},
			{name: "PUT with a JSON body and Authorization", method: http.MethodPut, json: true, auth: true, credentials: true, status: http.StatusOK, exposed: []string{"X-Total-Count"}, handlerRuns: true,
				why:    "requested headers echoed, PUT among the route's methods",
				anchor: "#cors-preflight-fetch-0"},
			{name: "PATCH is not routed", method: http.MethodPatch, json: true, reason: fetch.ReasonMethodDisallowed, preflight: true,
				// Surprising: CORSWithConfig without AllowMethods does not use
				// the default list that CORS() sends (which has PATCH) but
				// the router's Allow for the path, so a method is allowed
				// only where a route has it.
				why:    "Access-Control-Allow-Methods is the router's \"OPTIONS, DELETE, GET, PUT\"",
				anchor: "#cors-preflight-fetch-0"},
			{name: "origin not allowed", page: otherOrigin, method: http.MethodGet, credentials: true, reason: fetch.ReasonMissingAllowOriginHeader, handlerRuns: true,
				why:    "no Access-Control-Allow-Origin; the handler ran",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("* with credentials", func(t *testing.T) {
		run(t, echoStarCredentials, []call{
			{name: "credentials include", method: http.MethodGet, credentials: true, reason: fetch.ReasonWildcardOriginNotAllowed, handlerRuns: true,
				why:    "* with Access-Control-Allow-Credentials: true: a credentialed fetch fails",
				anchor: "#concept-cors-check"},
		})
	})
	t.Run("UnsafeWildcardOriginWithAllowCredentials", func(t *testing.T) {
		run(t, echoUnsafeWildcard, []call{
			{name: "any origin, credentials include", page: otherOrigin, method: http.MethodGet, credentials: true, status: http.StatusOK, handlerRuns: true,
				// Any page reads the answer to a credentialed request:
				// where the browser sends the user's cookies with it (third-
				// party cookies allowed, or a same-site attacker), it reads
				// what the user reads.
				why:    "the origin is echoed with Access-Control-Allow-Credentials: true, whatever it is",
				anchor: "#concept-cors-check"},
		})
	})
}

func TestEchoCorsAudit(t *testing.T) {
	sideEffect := finding{audit.RefusedOriginSideEffect, audit.Info,
		"an unlisted origin's GET goes on to the handler: the middleware returns next(c) for a refused non-preflight request"}
	// routerMethods: without AllowMethods, Access-Control-Allow-Methods is
	// the router's Allow ("OPTIONS, DELETE, GET, PUT"), so the audit's
	// PATCH preflight is refused by a 204 with CORS fields.
	routerMethods := finding{audit.PreflightRefused, audit.Info,
		"PATCH (and POST) are not routed for /items, and the router's Allow is what the preflight lists"}
	tests := []struct {
		name string
		h    func(*itemsAPI) http.Handler
		want []finding
	}{
		// CORS(): * without credentials (a public resource), the explicit
		// default methods with PATCH, echoed headers, Vary: Origin on every
		// answer (added before Origin is looked at). Nothing to report.
		{"CORS()", echoDefault, nil},
		{"documented CORSWithConfig", echoDocs, []finding{
			{audit.PreflightRefused, audit.Info, "Authorization is not in AllowHeaders, and PATCH is not in the router's Allow"},
			sideEffect,
		}},
		{"allow-list with credentials", echoAllowList, []finding{routerMethods, sideEffect}},
		{"* with credentials", echoStarCredentials, []finding{
			{audit.WildcardWithCredentials, audit.Medium, "o == \"*\" sets allowOrigin to *, and AllowCredentials adds true"},
			routerMethods,
		}},
		{"UnsafeWildcardOriginWithAllowCredentials", echoUnsafeWildcard, []finding{
			{audit.OriginReflected, audit.High,
				"\"*\" with both flags sets allowOrigin = origin, with credentials: a page anywhere reads a credentialed answer in a browser that sends third-party cookies"},
			routerMethods,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { auditHandler(t, tt.h(&itemsAPI{}), tt.want) })
	}
}

// TestEchoCorsVary: Echo's middleware adds Vary: Origin first thing, to
// every answer, so no cached no-cors answer is served to the page's CORS
// fetch.
func TestEchoCorsVary(t *testing.T) {
	checkCacheTrap(t, map[string]func(*itemsAPI) http.Handler{
		"CORS()":     echoDefault,
		"allow-list": echoAllowList,
	}, false)
}
