package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
)

// A server answering `*` to a request with credentials: the probe's JSON
// document names the reason, and the exit status is 1. The server runs on
// loopback: -page-address-space unknown probes it as if the page were
// served from the same network, without the Local Network Access check.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}))
	defer srv.Close()

	var out strings.Builder
	code := run(context.Background(),
		[]string{"-json", "-page-address-space", "unknown", "-origin", "https://app.example", "-credentials", "include", srv.URL + "/me"},
		&env{stdout: &out, stderr: &out})
	var r Report
	json.Unmarshal([]byte(out.String()), &r)
	fmt.Println("exit status:", code)
	fmt.Println("outcome:", r.Verdict.Outcome)
	fmt.Println("reason:", r.Verdict.Error.Reason)
	// Output:
	// exit status: 1
	// outcome: blocked
	// reason: WildcardOriginNotAllowed
}

// A page at https://app.example, a name, calling a server on loopback:
// corsprobe assumes the page public, and the browser fails the fetch
// before sending anything unless the user grants the page the
// loopback-network permission (-grant loopback-network).
func Example_localNetworkAccess() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}))
	defer srv.Close()

	var out strings.Builder
	code := run(context.Background(),
		[]string{"-json", "-origin", "https://app.example", srv.URL + "/me"},
		&env{stdout: &out, stderr: &out})
	var r Report
	json.Unmarshal([]byte(out.String()), &r)
	fmt.Println("exit status:", code)
	fmt.Println("reason:", r.Verdict.Error.Reason)
	fmt.Println("page:", r.LNA.PageAddressSpace, "-", r.LNA.PageSpaceReason)
	fmt.Println("server:", r.LNA.ServerAddressSpace)
	fmt.Println("permission:", r.LNA.Permission, "granted:", r.LNA.Granted)
	// Output:
	// exit status: 1
	// reason: LocalNetworkAccessPermissionDenied
	// page: public - app.example is a name; 127.0.0.1 is loopback
	// server: loopback
	// permission: loopback-network granted: false
}

// The first line of the human output is the fetch() call the probe makes,
// written as page script would write it.
func Example_fetchCall() {
	fmt.Println(fetchCall(RequestSummary{
		Method:      "PUT",
		URL:         "https://api.example/items/1",
		Mode:        "cors",
		Credentials: "include",
		Redirect:    "follow",
		Headers:     http.Header{"Content-Type": {"application/json"}},
		BodyBytes:   2,
	}))
	// Output:
	// fetch("https://api.example/items/1", {method: "PUT", headers: {"Content-Type": "application/json"}, body: /* 2 bytes */, credentials: "include"})
}
