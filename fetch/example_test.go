package fetch_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// An API that allows any origin: the page reads the response, but only the
// CORS-safelisted headers and those listed in Access-Control-Expose-Headers.
func Example() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "42")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer api.Close()

	client := &http.Client{Transport: &fetch.Transport{Origin: origin.MustParse("http://app.example")}}
	resp, err := client.Get(api.URL + "/status")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, fetch.TypeOf(resp), string(body))
	fmt.Println("Content-Type:", resp.Header.Get("Content-Type"))
	fmt.Println("X-Request-Id:", resp.Header.Get("X-Request-Id"), "(not exposed)")
	// Output:
	// 200 cors {"ok":true}
	// Content-Type: application/json
	// X-Request-Id:  (not exposed)
}

// A PUT with a JSON body needs a CORS preflight; the trace shows it, and
// the second request is served from the preflight cache.
func Example_preflight() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer api.Close()

	t := &fetch.Transport{
		Origin: origin.MustParse("http://app.example"),
		Trace: func(e fetch.Event) {
			switch e.Kind {
			case fetch.EventPreflightCache:
				fmt.Println("preflight cache:", e.Cache)
			case fetch.EventRequest:
				fmt.Println("sent:", strings.TrimSpace(e.Method+" "+e.Header.Get("Access-Control-Request-Headers")))
			}
		},
	}
	for range 2 {
		req, _ := http.NewRequest(http.MethodPut, api.URL+"/items/1", strings.NewReader(`{"name":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := t.RoundTrip(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println("status:", resp.StatusCode)
	}
	// Output:
	// preflight cache: miss
	// sent: OPTIONS content-type
	// sent: PUT
	// status: 200
	// preflight cache: hit
	// sent: PUT
	// status: 200
}

// A request with credentials: cookies from Transport.Jar are sent and the
// server must name the origin and allow credentials.
func Example_credentials() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		if c, err := r.Cookie("session"); err == nil {
			fmt.Fprint(w, "hello "+c.Value)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "alice", Path: "/"})
		fmt.Fprint(w, "logged in")
	}))
	defer api.Close()

	jar, _ := cookiejar.New(nil)
	// The page and the API are on the same site (127.0.0.1, other ports),
	// so the browser keeps the API's cookies.
	t := &fetch.Transport{Origin: origin.MustParse("http://127.0.0.1:8000"), Jar: jar}
	client := &http.Client{Transport: t}
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, api.URL+"/me", nil)
		req = fetch.WithOptions(req, fetch.Options{Credentials: fetch.CredentialsInclude})
		resp, err := client.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(string(body))
	}
	// Output:
	// logged in
	// hello alice
}

// A server that answers without Access-Control-Allow-Origin: the browser
// blocks the response, and the error says why, as the console would.
func Example_blocked() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "secret")
	}))
	defer api.Close()

	client := &http.Client{Transport: &fetch.Transport{Origin: origin.MustParse("http://app.example")}}
	_, err := client.Get(api.URL + "/data")
	var fe *fetch.Error
	if errors.As(err, &fe) {
		fmt.Println(fe.Reason)
		fmt.Println(strings.ReplaceAll(fe.Error(), api.URL, "http://api.example"))
	}
	// Output:
	// MissingAllowOriginHeader
	// Access to fetch at 'http://api.example/data' from origin 'http://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.
}

// A no-cors request gets an opaque response: the request is sent, but the
// page learns nothing about the answer.
func Example_noCORS() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Anything", "1")
		fmt.Fprint(w, "body")
	}))
	defer api.Close()

	t := &fetch.Transport{Origin: origin.MustParse("http://app.example")}
	req, _ := http.NewRequest(http.MethodGet, api.URL+"/pixel", nil)
	resp, err := t.RoundTrip(fetch.WithOptions(req, fetch.Options{Mode: fetch.ModeNoCORS}))
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Printf("type %s, status %d %q, %d headers, %d body bytes\n", fetch.TypeOf(resp), resp.StatusCode, resp.Status, len(resp.Header), len(body))
	// Output:
	// type opaque, status 0 "", 0 headers, 0 body bytes
}

// A public app (https://app.example) calling an API that runs on the
// user's machine: the same test both ways. With PageAddressSpace left
// zero, there is no Local Network Access check, as if the page came from
// the API's own network: the CORS answer decides. Set to
// AddressSpacePublic, the Transport fails the fetch before anything is
// sent, as Chrome and Firefox do for a deployed app, unless the user
// granted the permission the error names.
func ExampleTransport_localNetworkAccess() {
	var requests atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Access-Control-Allow-Origin", "https://app.example")
		fmt.Fprint(w, "ok")
	}))
	defer api.Close()
	app := origin.MustParse("https://app.example")

	for _, t := range []*fetch.Transport{
		{Origin: app}, // no check: the API's CORS alone
		{Origin: app, PageAddressSpace: fetch.AddressSpacePublic},
		{Origin: app, PageAddressSpace: fetch.AddressSpacePublic, Permissions: fetch.Permissions{LoopbackNetwork: true}},
	} {
		resp, err := (&http.Client{Transport: t}).Get(api.URL + "/items")
		var fe *fetch.Error
		switch {
		case errors.As(err, &fe):
			fmt.Printf("page %s: blocked: %s, the %s address space (requests so far: %d)\n", t.PageAddressSpace, fe.Reason, fe.AddressSpace, requests.Load())
		case err != nil:
			fmt.Println(err)
		default:
			resp.Body.Close()
			fmt.Printf("page %s: %d (requests so far: %d)\n", t.PageAddressSpace, resp.StatusCode, requests.Load())
		}
	}
	// Output:
	// page unknown: 200 (requests so far: 1)
	// page public: blocked: LocalNetworkAccessPermissionDenied, the loopback address space (requests so far: 1)
	// page public: 200 (requests so far: 2)
}
