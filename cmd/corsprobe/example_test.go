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
// document names the reason, and the exit status is 1.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}))
	defer srv.Close()

	var out strings.Builder
	code := run(context.Background(),
		[]string{"-json", "-origin", "https://app.example", "-credentials", "include", srv.URL + "/me"},
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
