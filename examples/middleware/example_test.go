package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
	gincors "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	chicors "github.com/go-chi/cors"
	"github.com/gorilla/handlers"
	"github.com/gorilla/mux"
	"github.com/labstack/echo/v4"
	echomiddleware "github.com/labstack/echo/v4/middleware"
	"github.com/rs/cors"
)

// hello is the application of the examples: it answers every request.
var hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Total-Count", "0")
	fmt.Fprint(w, `{"hello":"world"}`)
})

// browse sends one fetch() from a page at https://app.example.com to
// url, and prints what page script sees: the status, or the reason the
// browser (Chrome, the default profile) blocks it.
func browse(method, url string, json, credentials bool) {
	client := &http.Client{Transport: &fetch.Transport{Origin: origin.MustParse("https://app.example.com")}}
	body := strings.NewReader("")
	if json {
		body = strings.NewReader(`{"name":"quince"}`)
	}
	req, _ := http.NewRequest(method, url, body)
	if json {
		req.Header.Set("Content-Type", "application/json") // not safelisted: a preflight first
	}
	if credentials {
		req = fetch.WithOptions(req, fetch.Options{Credentials: fetch.CredentialsInclude})
	}
	resp, err := client.Do(req)
	var blocked *fetch.Error
	switch {
	case errors.As(err, &blocked):
		fmt.Printf("%s: blocked, %s (on the preflight: %v)\n", method, blocked.Reason, blocked.Preflight)
	case err != nil:
		fmt.Printf("%s: %v\n", method, err)
	default:
		resp.Body.Close()
		fmt.Printf("%s: %d, X-Total-Count %q\n", method, resp.StatusCode, resp.Header.Get("X-Total-Count"))
	}
}

// rs/cors with the allow-list of its README: GET with credentials passes,
// but a PUT is refused, since the default methods are GET, POST and HEAD.
func Example_rsCors() {
	c := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowCredentials: true,
		ExposedHeaders:   []string{"X-Total-Count"},
	})
	srv := httptest.NewServer(c.Handler(hello))
	defer srv.Close()

	browse("GET", srv.URL+"/items", false, true)
	browse("PUT", srv.URL+"/items", true, true)
	// Output:
	// GET: 200, X-Total-Count "0"
	// PUT: blocked, MissingAllowOriginHeader (on the preflight: true)
}

// go-chi/cors as its README configures it: any https origin, no
// credentials, so a credentialed fetch fails.
func Example_chiCors() {
	r := chi.NewRouter()
	r.Use(chicors.Handler(chicors.Options{
		AllowedOrigins: []string{"https://*", "http://*"},
		AllowedMethods: []string{"GET", "POST", "PUT", "DELETE", "OPTIONS"},
		AllowedHeaders: []string{"Accept", "Authorization", "Content-Type", "X-CSRF-Token"},
		ExposedHeaders: []string{"Link"},
		MaxAge:         300,
	}))
	r.Handle("/items", hello)
	srv := httptest.NewServer(r)
	defer srv.Close()

	browse("PUT", srv.URL+"/items", true, false)
	browse("GET", srv.URL+"/items", false, true)
	// Output:
	// PUT: 200, X-Total-Count ""
	// GET: blocked, InvalidAllowCredentials (on the preflight: false)
}

// gorilla/handlers' defaults: *, and a 405 preflight for PUT.
func Example_gorillaHandlers() {
	r := mux.NewRouter()
	r.Handle("/items", hello)
	srv := httptest.NewServer(handlers.CORS()(r))
	defer srv.Close()

	browse("GET", srv.URL+"/items", false, false)
	browse("PUT", srv.URL+"/items", true, false)
	// Output:
	// GET: 200, X-Total-Count ""
	// PUT: blocked, MissingAllowOriginHeader (on the preflight: true)
}

// Echo's middleware.CORS(): * with the usual methods, and the requested
// headers echoed, so a JSON PUT passes.
func Example_echo() {
	e := echo.New()
	e.Use(echomiddleware.CORS())
	e.PUT("/items", echo.WrapHandler(hello))
	srv := httptest.NewServer(e)
	defer srv.Close()

	browse("PUT", srv.URL+"/items", true, false)
	browse("PUT", srv.URL+"/items", true, true)
	// Output:
	// PUT: 200, X-Total-Count ""
	// PUT: blocked, WildcardOriginNotAllowed (on the preflight: true)
}

// gin-contrib/cors' Default(), and gin's trailing-slash redirect, which
// answers before the middleware runs.
func Example_ginContribCors() {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.Use(gincors.Default())
	r.GET("/items", gin.WrapH(hello))
	srv := httptest.NewServer(r)
	defer srv.Close()

	browse("GET", srv.URL+"/items", false, false)
	browse("GET", srv.URL+"/items/", false, false)
	// Output:
	// GET: 200, X-Total-Count ""
	// GET: blocked, MissingAllowOriginHeader (on the preflight: false)
}

// The audit of a handler, served in process as if deployed at
// https://api.example.com/items: gorilla/handlers with one allowed origin
// sends no Vary: Origin.
func Example_audit() {
	h := handlers.CORS(handlers.AllowedOrigins([]string{"https://app.example.com"}))(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "private, max-age=60")
			fmt.Fprint(w, `[]`)
		}))
	cfg := audit.Config{Origin: origin.MustParse("https://app.example.com")}
	r, err := audit.RunHandler(context.Background(), h, cfg, "https://api.example.com/items")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Has(audit.VaryOriginMissing))
	for _, f := range r.AtLeast(audit.Medium) {
		fmt.Println(f.Severity, f.Class)
	}
	// Output:
	// true
	// medium vary-origin-missing
	// medium preflight-bad-status
}
