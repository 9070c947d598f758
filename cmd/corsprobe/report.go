package main

import "net/http"

// schemaVersion names the JSON document's format. It changes only when a
// field is removed, renamed or changes meaning; fields may be added within
// a version.
const schemaVersion = "corsprobe/v1"

// Report is everything one probe found: the JSON document of -json, and
// what the human output is rendered from. See the package doc for the
// meaning of every field.
type Report struct {
	Schema          string           `json:"schema"`
	Browser         string           `json:"browser"`
	Origin          string           `json:"origin"`
	Request         RequestSummary   `json:"request"`
	Steps           []Step           `json:"steps"`
	Verdict         Verdict          `json:"verdict"`
	Fixes           []string         `json:"fixes"`
	Warnings        []Warning        `json:"warnings"`
	Notes           []string         `json:"notes"`
	ReflectionCheck *ReflectionCheck `json:"reflection_check"`
	VaryCheck       *VaryCheck       `json:"vary_check"`
	LNA             *LNA             `json:"lna"`
}

// RequestSummary is the fetch() call the probe made.
type RequestSummary struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	Mode        string      `json:"mode"`
	Credentials string      `json:"credentials"`
	Redirect    string      `json:"redirect"`
	Headers     http.Header `json:"headers"`
	BodyBytes   int         `json:"body_bytes"`
	Cookies     int         `json:"cookies"`
	// TargetAddressSpace is fetch()'s targetAddressSpace, "" when not
	// given.
	TargetAddressSpace string `json:"target_address_space"`
}

// Step is one thing the browser did, in order. Kind says which of the
// other fields is set; the others are null.
type Step struct {
	Kind          string         `json:"kind"`
	Exchange      *Exchange      `json:"exchange"`
	CacheLookup   *CacheLookup   `json:"cache_lookup"`
	CacheStore    *CacheStore    `json:"cache_store"`
	Redirect      *RedirectStep  `json:"redirect"`
	DroppedHeader *DroppedHeader `json:"dropped_header"`
}

// Step kinds.
const (
	kindExchange      = "exchange"
	kindCacheLookup   = "cache_lookup"
	kindCacheStore    = "cache_store"
	kindRedirect      = "redirect"
	kindDroppedHeader = "dropped_header"
)

// Exchange is a request that went to the network and its response, as
// the network panel shows them (unfiltered).
type Exchange struct {
	Preflight bool         `json:"preflight"`
	Request   SentRequest  `json:"request"`
	Response  *RawResponse `json:"response"`
}

// SentRequest is a request as it went out.
type SentRequest struct {
	Method  string      `json:"method"`
	URL     string      `json:"url"`
	Headers http.Header `json:"headers"`
}

// RawResponse is a response as it arrived, before the browser filtered it.
type RawResponse struct {
	Status  int         `json:"status"`
	Headers http.Header `json:"headers"`
}

// CacheLookup is a look-up in the CORS-preflight cache.
type CacheLookup struct {
	URL      string   `json:"url"`
	Result   string   `json:"result"`
	Bypassed bool     `json:"bypassed"`
	Method   string   `json:"method"`
	Headers  []string `json:"headers"`
}

// CacheStore is a preflight result stored in the cache.
type CacheStore struct {
	URL           string   `json:"url"`
	Methods       []string `json:"methods"`
	Headers       []string `json:"headers"`
	MaxAgeSeconds float64  `json:"max_age_seconds"`
}

// RedirectStep is a redirect the browser followed.
type RedirectStep struct {
	Status int    `json:"status"`
	To     string `json:"to"`
	Method string `json:"method"`
}

// DroppedHeader is a request header the page set that the browser did not
// send.
type DroppedHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Why   string `json:"why"`
}

// Outcomes of a probe, and the exit status of each.
const (
	outcomeAllowed = "allowed" // exit 0
	outcomeBlocked = "blocked" // exit 1
	outcomeError   = "error"   // exit 2
)

// Verdict is what page script gets: a response or a failure.
type Verdict struct {
	Outcome  string           `json:"outcome"`
	Response *VisibleResponse `json:"response"`
	Error    *FetchError      `json:"error"`
}

// VisibleResponse is the response as script sees it.
type VisibleResponse struct {
	Type          string      `json:"type"`
	Status        int         `json:"status"`
	StatusText    string      `json:"status_text"`
	URL           string      `json:"url"`
	Redirected    bool        `json:"redirected"`
	URLList       []string    `json:"url_list"`
	Headers       http.Header `json:"headers"`
	HiddenHeaders []string    `json:"hidden_headers"`
	BodyBytes     int64       `json:"body_bytes"`
}

// FetchError is why the fetch failed.
type FetchError struct {
	Reason     string `json:"reason"`
	Preflight  bool   `json:"preflight"`
	Value      string `json:"value"`
	URL        string `json:"url"`
	InitialURL string `json:"initial_url"`
	Console    string `json:"console"`
	Cause      string `json:"cause"`
	// consoleOf is the browser whose console words Console as it is
	// ("Chrome", "Firefox" or "Safari"); not in the JSON document.
	consoleOf string
}

// Warning is a setup that works but is risky or fragile.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Warning codes.
const (
	warnReflectedWithCredentials = "reflected-origin-with-credentials"
	warnMissingVary              = "reflected-origin-without-vary"
	warnMaxAgeAboveCap           = "max-age-above-cap"
	warnNullAllowed              = "null-origin-allowed"
	warnCacheableWithoutVary     = "cacheable-without-vary-origin"
)

// ReflectionCheck is the second probe, from a made-up origin, that tells
// an allow-list from a server that echoes any Origin.
type ReflectionCheck struct {
	Origin           string `json:"origin"`
	Requests         int    `json:"requests"`
	Reflected        bool   `json:"reflected"`
	AllowCredentials bool   `json:"allow_credentials"`
	Detail           string `json:"detail"`
}

// VaryCheck is the request without Origin, as an <img> or a no-cors
// fetch() sends it, that tells whether a cacheable CORS answer without
// Vary: Origin could be replaced by a cached answer that blocks the fetch.
type VaryCheck struct {
	Cacheable   string `json:"cacheable"`
	Requests    int    `json:"requests"`
	Status      int    `json:"status"`
	AllowOrigin string `json:"allow_origin"`
	WouldBlock  bool   `json:"would_block"`
	Detail      string `json:"detail"`
}

// LNA is the Local Network Access check of the fetch: the page's address
// space and how it was chosen, the server's, and the permission a local
// network request needs.
type LNA struct {
	PageAddressSpace string `json:"page_address_space"`
	// PageSpaceSource is "flag" (-page-address-space), "override"
	// (-address-space-overrides covers the page's address) or "default"
	// (corsprobe's rule).
	PageSpaceSource string `json:"page_address_space_source"`
	PageSpaceReason string `json:"page_address_space_reason"`
	SecureContext   bool   `json:"secure_context"`
	// ServerURL is the URL whose server is described: the one being
	// fetched when the fetch failed, else the last one requested.
	ServerURL          string `json:"server_url"`
	ServerAddress      string `json:"server_address"`
	ServerAddressSpace string `json:"server_address_space"`
	// LocalNetworkRequest is set when the server is in a less public
	// space than the page (and the URL is not the page's own origin over
	// a secure URL).
	LocalNetworkRequest bool `json:"local_network_request"`
	// Permission is the permission a local network request needs,
	// "loopback-network" or "local-network", and "" for another request.
	Permission string `json:"permission"`
	// Granted reports whether the page holds Permission (-grant).
	Granted bool `json:"granted"`
	// exempt is set when the server is less public than the page but the
	// URL is the page's own origin over a secure URL.
	exempt bool
}
