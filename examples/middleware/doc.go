// Package middleware tests real Go CORS middleware, in the configurations
// their documentation gives, the way a browser calls them, and records what
// package audit finds in each. It is a module of its own
// (github.com/corsfetch/corsfetch/examples/middleware), so that corsfetch
// itself keeps its two dependencies; it holds tests and examples only.
//
// The middleware and the versions tested:
//
//	github.com/rs/cors            v1.11.1   rscors_test.go
//	github.com/go-chi/cors        v1.2.2    chicors_test.go   (on github.com/go-chi/chi/v5 v5.5.0)
//	github.com/gorilla/handlers   v1.5.2    gorilla_test.go   (on github.com/gorilla/mux v1.8.1)
//	github.com/labstack/echo/v4   v4.16.4   echo_test.go      (middleware.CORS)
//	github.com/gin-contrib/cors   v1.7.7    gincors_test.go   (on github.com/gin-gonic/gin v1.12.0)
//
// Each file has, per middleware:
//
//   - a table of fetch() calls from a page at https://app.example.com (a
//     simple GET, a PUT or DELETE with a JSON body or Authorization, which
//     the browser preflights, credentials: "include", an origin that is not
//     allowed, an exposed response field), each made through a
//     fetch.Transport against an httptest server, with what the browser
//     shows: the status page script reads, or the fetch.Reason it fails
//     with, whether the application's handler ran, why, and the Fetch
//     Standard section that decides it;
//   - the findings of audit.RunHandler for each configuration, deployed as
//     https://api.example.com/items, each with the cause in the
//     middleware's code;
//   - where it applies, the HTTP-cache trap of an answer without Vary:
//     Origin, replayed in a fetch.Browser of each engine, and how long each
//     engine keeps a preflight whose Access-Control-Max-Age is above its cap.
//
// What each configuration does in a browser, what the audit finds and the
// fix are tabulated in README.md beside this file. In short:
//
//   - Every middleware refuses a preflight it does not allow without saying
//     why: rs/cors (204) and go-chi/cors (200) answer without any CORS
//     field, gorilla/handlers with 405 or 403, so the console blames
//     Access-Control-Allow-Origin; Echo and gin-contrib/cors send their
//     lists, and the console names the method or header.
//   - Only gin-contrib/cors keeps a refused origin's request from the
//     handler (403); the others run it and withhold the CORS fields.
//   - rs/cors, go-chi/cors and Echo send Vary: Origin on every answer;
//     gorilla/handlers (unless two origins are allowed, and even then not
//     on an answer to a request without Origin) and gin-contrib/cors leave
//     it out where it matters, and a cacheable answer loaded once without
//     CORS then fails the page's fetch() in every engine.
//   - "*" with credentials is answered * with Access-Control-Allow-
//     Credentials: true by rs/cors, gorilla/handlers and Echo (safe, but
//     every credentialed fetch fails), unless Echo's
//     UnsafeWildcardOriginWithAllowCredentials is set: then any origin is
//     echoed with credentials.
//   - go-chi/cors' README pattern "https://*" allows every https origin;
//     gin-contrib/cors' README example strings.HasSuffix(origin,
//     "github.com") allows any domain that ends like the site, any
//     subdomain and http pages.
//
// Run the tests from this directory: go test -race ./... (Go 1.26 or newer:
// Echo v4.16.4 needs it).
package middleware
