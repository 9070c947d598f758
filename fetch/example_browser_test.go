package fetch_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// One browser, two pages: the second page of the same origin finds the
// preflight the first one cached for the URL, and the cookie the API set for the first
// page goes with the second page's credentialed request. The cookie store
// is the browser's, for export.
func ExampleBrowser() {
	preflights := 0
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		switch {
		case r.Method == http.MethodOptions:
			preflights++
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Max-Age", "600")
		case r.URL.Path == "/login":
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "alice", Path: "/"})
		default:
			c, _ := r.Cookie("session")
			fmt.Fprintf(w, "%s as %v", r.Method, c)
		}
	}))
	defer api.Close()

	// The pages and the API are on one site (127.0.0.1, other ports), so
	// the API's cookies are first-party.
	b := &fetch.Browser{Profile: fetch.Chrome}
	tab1 := &http.Client{Transport: b.Page(origin.MustParse("http://127.0.0.1:8000"))}
	tab2 := &http.Client{Transport: b.Page(origin.MustParse("http://127.0.0.1:8000"))}
	include := fetch.Options{Credentials: fetch.CredentialsInclude}

	send := func(c *http.Client, method, path string) {
		req, _ := http.NewRequest(method, api.URL+path, nil)
		resp, err := c.Do(fetch.WithOptions(req, include))
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s %s: %q\n", method, path, body)
	}
	send(tab1, http.MethodPost, "/login")
	send(tab1, http.MethodPut, "/items/1")
	send(tab2, http.MethodPut, "/items/1")
	fmt.Println("preflights:", preflights)
	for _, c := range b.CookieStore().All() {
		fmt.Println("stored:", c.Name, "for", c.Domain)
	}
	// Output:
	// POST /login: ""
	// PUT /items/1: "PUT as session=alice"
	// PUT /items/1: "PUT as session=alice"
	// preflights: 1
	// stored: session for 127.0.0.1
}

// A cacheable answer without Vary: Origin, whose server adds CORS headers
// only when a request has an Origin: an <img> of the page (a no-cors
// fetch) stores the answer without them, and the page's CORS fetch of the
// same URL is then answered from the HTTP cache and blocked, as in the
// browsers (httpcache-no-cors-then-cors-no-vary).
func ExampleBrowser_httpCache() {
	requests := 0
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
		}
		w.Header().Set("Cache-Control", "max-age=3600")
		fmt.Fprint(w, "logo")
	}))
	defer api.Close()

	page := (&fetch.Browser{}).Page(origin.MustParse("http://app.example"))
	for _, mode := range []fetch.Mode{fetch.ModeNoCORS, fetch.ModeCORS} {
		req, _ := http.NewRequest(http.MethodGet, api.URL+"/logo.png", nil)
		resp, err := page.RoundTrip(fetch.WithOptions(req, fetch.Options{Mode: mode}))
		var blocked *fetch.Error
		if errors.As(err, &blocked) {
			fmt.Println(mode, "blocked:", blocked.Reason)
			continue
		}
		resp.Body.Close()
		fmt.Println(mode, fetch.TypeOf(resp))
	}
	fmt.Println("requests the server saw:", requests)
	// Output:
	// no-cors opaque
	// cors blocked: MissingAllowOriginHeader
	// requests the server saw: 1
}

// A browser started with the cookies of a curl session (curl -c) and its
// cookies written back in the same format.
func ExampleBrowser_cookies() {
	curl := "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tbob\n"
	cookies, err := cookiestore.ReadNetscape(strings.NewReader(curl))
	if err != nil {
		fmt.Println(err)
		return
	}
	store := cookiestore.New(nil)
	if err := store.Import(cookies); err != nil {
		fmt.Println(err)
		return
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.Header.Get("Cookie"))
	}))
	defer api.Close()

	b := &fetch.Browser{Cookies: store}
	same := b.Page(origin.MustParse(api.URL)) // a page of the API's own origin
	resp, err := (&http.Client{Transport: same}).Get(api.URL + "/me")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Printf("sent: %s\n", body)
	var out strings.Builder
	cookiestore.WriteNetscape(&out, b.CookieStore().All())
	fmt.Print(out.String()[strings.LastIndex(out.String(), "\n\n")+2:])
	// Output:
	// sent: session=bob
	// 127.0.0.1	FALSE	/	FALSE	0	session	bob
}
