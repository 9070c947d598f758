package preflightcache_test

import (
	"fmt"
	"time"

	"github.com/corsfetch/corsfetch/preflightcache"
)

// The life of a cached preflight: a PUT with an X-Api-Key header needs a
// CORS preflight; its answer is stored, covers the next request, and
// expires after Access-Control-Max-Age seconds.
func Example() {
	cache := preflightcache.New(preflightcache.Options{MaxAgeLimit: 2 * time.Hour})
	key := preflightcache.Key{Origin: "https://app.example", URL: "https://api.example/items/7"}
	now := time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC)
	unsafeNames := []string{"x-api-key"} // the request's CORS-unsafe request-header names

	fmt.Println("before the preflight:", cache.Lookup(key, "PUT", unsafeNames, now))

	// The preflight answered:
	//   Access-Control-Allow-Methods: PUT, DELETE
	//   Access-Control-Allow-Headers: X-Api-Key
	//   Access-Control-Max-Age: 600
	maxAge, ok := preflightcache.ParseMaxAge("600")
	if !ok {
		maxAge = 5 * time.Second // the standard's default
	}
	cache.Store(key, []string{"PUT", "DELETE"}, []string{"X-Api-Key"}, maxAge, now)

	fmt.Println("one minute later:", cache.Lookup(key, "PUT", unsafeNames, now.Add(time.Minute)))
	fmt.Println("DELETE, no headers:", cache.Covers(key, "DELETE", nil, now.Add(time.Minute)))
	fmt.Println("PATCH:", cache.Covers(key, "PATCH", nil, now.Add(time.Minute)))
	fmt.Println("ten minutes later:", cache.Lookup(key, "PUT", unsafeNames, now.Add(10*time.Minute)))
	fmt.Printf("%+v\n", cache.Stats())
	// Output:
	// before the preflight: miss
	// one minute later: hit
	// DELETE, no headers: true
	// PATCH: false
	// ten minutes later: stale
	// {Hits:2 Misses:2 StaleHits:1 Evictions:0 Expired:0 Keys:1}
}

// A fetch that needed a preflight and then failed (here: the actual
// response failed the CORS check) clears every entry for its origin and
// URL, with or without credentials.
func ExampleCache_Clear() {
	cache := preflightcache.New(preflightcache.Options{})
	key := preflightcache.Key{Origin: "https://app.example", URL: "https://api.example/items/7"}
	now := time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC)
	cache.Store(key, []string{"PUT"}, nil, time.Minute, now)

	cache.Clear(key)
	fmt.Println(cache.Covers(key, "PUT", nil, now))
	// Output:
	// false
}

// The same preflight answer, `Access-Control-Allow-Methods: *`, stored and
// looked up under the standard and under each engine's rule for `*`.
func ExampleWildcard() {
	now := time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC)
	uncredentialed := preflightcache.Key{Origin: "https://app.example", URL: "https://api.example/x"}
	credentialed := uncredentialed
	credentialed.Credentials = true

	for _, p := range []struct {
		name string
		w    preflightcache.Wildcard
	}{
		{name: "spec", w: preflightcache.WildcardSpec},
		{name: "chromium, webkit", w: preflightcache.WildcardUncredentialed},
		{name: "firefox", w: preflightcache.WildcardLiteral},
	} {
		cache := preflightcache.New(preflightcache.Options{Wildcard: p.w})
		cache.Store(uncredentialed, []string{"*"}, nil, time.Minute, now)
		// A credentialed preflight answered `*, PUT`: only PUT was honoured
		// by the preflight itself, but both names are stored.
		cache.Store(credentialed, []string{"*", "PUT"}, nil, time.Minute, now)
		fmt.Printf("%-16s PATCH without credentials: %-5v PATCH with credentials: %v\n", p.name,
			cache.Covers(uncredentialed, "PATCH", nil, now),
			cache.Covers(credentialed, "PATCH", nil, now))
	}
	// Output:
	// spec             PATCH without credentials: true  PATCH with credentials: true
	// chromium, webkit PATCH without credentials: true  PATCH with credentials: false
	// firefox          PATCH without credentials: false PATCH with credentials: false
}

// The standard never lets `*` in Access-Control-Allow-Headers cover
// Authorization; the engines do, for compatibility.
func ExampleOptions_wildcardCoversAuthorization() {
	now := time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC)
	key := preflightcache.Key{Origin: "https://app.example", URL: "https://api.example/x"}
	for _, covers := range []bool{false, true} {
		cache := preflightcache.New(preflightcache.Options{WildcardCoversAuthorization: covers})
		cache.Store(key, nil, []string{"*"}, time.Minute, now)
		fmt.Printf("WildcardCoversAuthorization=%v: x-trace %v, authorization %v\n", covers,
			cache.Covers(key, "", []string{"x-trace"}, now),
			cache.Covers(key, "", []string{"authorization"}, now))
	}
	// Output:
	// WildcardCoversAuthorization=false: x-trace true, authorization false
	// WildcardCoversAuthorization=true: x-trace true, authorization true
}

// The caller applies the rule for a missing or bad Access-Control-Max-Age:
// the standard uses 5 seconds. The engines differ: Chromium and WebKit
// parse "-1" as a number and cache nothing, and Firefox caches nothing for
// any value that is not digits. The limit is then applied by Store
// (Options.MaxAgeLimit).
func ExampleParseMaxAge() {
	for _, v := range []string{"600", "", "-1", "abc", "99999999999999999999"} {
		d, ok := preflightcache.ParseMaxAge(v)
		stored := d
		if !ok {
			stored = 5 * time.Second
		}
		fmt.Printf("%q: %v %v; the standard stores for %v\n", v, d, ok, stored)
	}
	// Output:
	// "600": 10m0s true; the standard stores for 10m0s
	// "": 0s false; the standard stores for 5s
	// "-1": 0s false; the standard stores for 5s
	// "abc": 0s false; the standard stores for 5s
	// "99999999999999999999": 596523h14m8s true; the standard stores for 596523h14m8s
}
