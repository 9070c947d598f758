package audit

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// answer is what the audit reads from a server's answer: the CORS fields,
// Vary, caching and redirect signals. It judges nothing a browser would
// judge differently per engine (whether a fetch passes is left to package
// fetch); it only collects what the findings are about.
type answer struct {
	status int
	// allowOrigin is the one Access-Control-Allow-Origin value, as sent;
	// allowOriginCount the number of values across fields (a browser fails
	// more than one).
	allowOrigin      string
	allowOriginCount int
	// credentials reports Access-Control-Allow-Credentials: true, exactly
	// as #cors-check compares it (case-sensitive "true").
	credentials bool
	// cors reports whether any Access-Control-Allow-* field is present.
	cors bool
	// methods and headers are the preflight's lists, lower-cased for
	// headers; maxAge is Access-Control-Max-Age when it parses as a
	// non-negative integer (hasMaxAge).
	methods, headers []string
	maxAge           time.Duration
	hasMaxAge        bool
	// varyOrigin reports Vary naming Origin (any case) or *.
	varyOrigin bool
	// location is the Location of a redirect status.
	location string
	// setCookie counts Set-Cookie fields.
	setCookie int
	// sharedCacheable reports a Cache-Control that lets a shared cache
	// (a CDN, a proxy) store the answer: public or s-maxage, and neither
	// private nor no-store.
	sharedCacheable bool
}

// parseAnswer reads an answer's status and head.
func parseAnswer(status int, h http.Header) answer {
	a := answer{status: status}
	for _, v := range h.Values("Access-Control-Allow-Origin") {
		for _, part := range strings.Split(v, ",") {
			if p := strings.TrimSpace(part); p != "" {
				a.allowOriginCount++
				a.allowOrigin = p
			}
		}
	}
	if a.allowOriginCount != 1 {
		a.allowOrigin = ""
	}
	acac := h.Values("Access-Control-Allow-Credentials")
	a.credentials = len(acac) == 1 && strings.Trim(acac[0], " \t") == "true"
	for name := range h {
		if strings.HasPrefix(http.CanonicalHeaderKey(name), "Access-Control-Allow-") {
			a.cors = true
		}
	}
	a.methods = listValues(h.Values("Access-Control-Allow-Methods"), false)
	a.headers = listValues(h.Values("Access-Control-Allow-Headers"), true)
	if ma := h.Values("Access-Control-Max-Age"); len(ma) == 1 {
		if n, err := strconv.ParseUint(strings.Trim(ma[0], " \t"), 10, 63); err == nil && n <= uint64(1<<63-1)/uint64(time.Second) {
			a.maxAge, a.hasMaxAge = time.Duration(n)*time.Second, true
		}
	}
	for _, v := range listValues(h.Values("Vary"), true) {
		if v == "origin" || v == "*" {
			a.varyOrigin = true
		}
	}
	if status >= 300 && status < 400 {
		a.location = h.Get("Location")
	}
	a.setCookie = len(h.Values("Set-Cookie"))
	a.sharedCacheable = sharedCacheable(listValues(h.Values("Cache-Control"), true))
	return a
}

// listValues splits comma-separated field values into their trimmed,
// non-empty elements, lower-cased when lower is set.
func listValues(values []string, lower bool) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			p := strings.TrimSpace(part)
			if p == "" {
				continue
			}
			if lower {
				p = strings.ToLower(p)
			}
			out = append(out, p)
		}
	}
	return out
}

// sharedCacheable reports whether Cache-Control directives let a shared
// cache store the answer explicitly (RFC 9111 section 3: public or
// s-maxage), and nothing forbids it (private, no-store).
func sharedCacheable(directives []string) bool {
	explicit := false
	for _, d := range directives {
		name, _, _ := strings.Cut(d, "=")
		switch strings.TrimSpace(name) {
		case "private", "no-store":
			return false
		case "public", "s-maxage":
			explicit = true
		}
	}
	return explicit
}

// allows reports whether the answer names origin o, exactly, in
// Access-Control-Allow-Origin (not "*", which the audit reports on its
// own).
func (a answer) allows(o string) bool {
	return a.allowOriginCount == 1 && a.allowOrigin == o && o != "*"
}

// wildcard reports Access-Control-Allow-Origin: * alone.
func (a answer) wildcard() bool { return a.allowOriginCount == 1 && a.allowOrigin == "*" }

// redirect reports a redirect status with a Location.
func (a answer) redirect() bool { return a.location != "" }
