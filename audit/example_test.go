package audit_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/origin"
)

// An API that echoes any origin with credentials: the audit finds it, and
// the verdicts say where an attacker's page reads the user's data. Chrome
// with third-party cookies allowed sends a SameSite=None session cookie
// with the attacker's request; the recorded Chrome (third-party cookies
// blocked), Firefox (partitioned) and Safari send none.
func ExampleRunHandler() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, `{"user":"ada"}`)
	})
	r, err := audit.RunHandler(context.Background(), api, audit.Config{Origin: origin.MustParse("https://app.example.com")},
		"https://api.example.com/me")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.AtLeast(audit.Low) {
		fmt.Println(f.Severity, f.Class)
		for _, v := range f.Verdicts {
			fmt.Printf("  %s: readable %v, with cookies %v\n", v.Profile, v.Readable, v.Credentialed)
		}
	}
	// Output:
	// high origin-reflected
	//   Chrome: readable true, with cookies false
	//   Chrome (third-party cookies allowed): readable true, with cookies true
	//   Firefox: readable true, with cookies false
	//   Safari: readable true, with cookies false
}

// A strict configuration: one origin allowed by name, Vary: Origin, the
// preflights answered with what the page sends. Nothing above info.
func ExampleRunHandler_strict() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Origin")
		if r.Header.Get("Origin") != "https://app.example.com" {
			http.Error(w, "origin not allowed", http.StatusForbidden)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		fmt.Fprint(w, `{"user":"ada"}`)
	})
	r, _ := audit.RunHandler(context.Background(), api, audit.Config{Origin: origin.MustParse("https://app.example.com")},
		"https://api.example.com/me")
	fmt.Println(len(r.AtLeast(audit.Low)), "findings above info; within the budget:", r.URLs[0].Requests <= audit.DefaultMaxRequests)
	// Output:
	// 0 findings above info; within the budget: true
}
