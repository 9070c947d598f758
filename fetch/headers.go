package fetch

import (
	"net/http"
	"net/url"
)

// keepsOrigin reports whether the request keeps the Origin header of the
// previous request in the URL list, although its method no longer calls for
// one: under Profile.OriginKeptAfterMethodChange, after a same-origin hop.
func (f *fetchState) keepsOrigin() bool {
	n := len(f.origins)
	return f.p.Redirect.OriginKeptAfterMethodChange && f.originSent && n > 1 && f.origins[n-1].SameOrigin(f.origins[n-2])
}

// originValue returns the header value v, shared with other requests when
// it is the page's origin or "null".
func (f *fetchState) originValue(v string) []string {
	switch v {
	case f.t.page:
		return f.t.pageValue
	case "null":
		return valueNull
	}
	return []string{v}
}

// requestOriginHeader returns the value of the Origin header for a request
// to u: the serialized request origin, which a non-cors request other than
// GET and HEAD replaces with "null" where the default referrer policy,
// strict-origin-when-cross-origin, says so (an https page to an http URL).
//
// [append a request Origin header]: https://fetch.spec.whatwg.org/#append-a-request-origin-header
func (f *fetchState) requestOriginHeader(u *url.URL) string {
	s := f.serializedOrigin()
	if f.tainting == taintCORS {
		return s
	}
	switch f.t.ReferrerPolicy {
	case "no-referrer":
		return "null"
	case "same-origin":
		if !f.currentOrigin().SameOrigin(f.t.Origin) {
			return "null"
		}
	case "", "no-referrer-when-downgrade", "strict-origin", "strict-origin-when-cross-origin":
		if f.t.Origin.Scheme() == "https" && u.Scheme != "https" {
			return "null"
		}
	}
	return s
}

// addCommon adds the headers the browser adds to every request, preflights
// included: the Fetch Metadata headers (for potentially trustworthy URLs),
// User-Agent and Accept-Language. A preflight's mode is cors.
func (f *fetchState) addCommon(h http.Header, u *url.URL, preflight bool) {
	if f.currentOrigin().IsPotentiallyTrustworthy() {
		mode := "cors"
		if !preflight {
			mode = f.opts.Mode.String()
		}
		h["Sec-Fetch-Dest"] = valueEmpty
		h["Sec-Fetch-Mode"] = modeValues[mode]
		h["Sec-Fetch-Site"] = siteValues[f.fetchSite(preflight)]
	}
	if ref := f.referrer(u); ref != nil {
		h["Referer"] = ref
	}
	if f.t.userAgent != nil && len(h["User-Agent"]) == 0 {
		h["User-Agent"] = f.t.userAgent
	}
	if f.t.acceptLanguage != nil && len(h["Accept-Language"]) == 0 {
		h["Accept-Language"] = f.t.acceptLanguage
	}
}

// Header values the Transport adds, shared by every request: net/http never
// modifies a request's header values, and trace hooks must not either.
var (
	valueEmpty = []string{"empty"}
	valueCORS  = []string{"cors"}
	modeValues = map[string][]string{"cors": valueCORS, "no-cors": {"no-cors"}, "same-origin": {"same-origin"}}
	siteValues = map[string][]string{"same-origin": {"same-origin"}, "same-site": {"same-site"}, "cross-site": {"cross-site"}}
	valueAny   = []string{"*/*"}
	valueNull  = []string{"null"}
)

// crossedOrigins reports whether a redirect of the fetch went from one
// origin to another.
func (f *fetchState) crossedOrigins() bool {
	for i := 1; i < len(f.origins); i++ {
		if !f.origins[i].SameOrigin(f.origins[i-1]) {
			return true
		}
	}
	return false
}

// fetchSite computes Sec-Fetch-Site from the URL list. A preflight is a
// request of its own whose URL list is the current URL alone, as Chromium,
// Firefox and the standard compute it (redirect-302-custom-header-b-to-a:
// same-origin at A after B); under Profile.PreflightSiteFromURLList it uses
// the fetch's URL list, as WebKit does.
//
// [Sec-Fetch-Site]: https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header
func (f *fetchState) fetchSite(preflight bool) string {
	origins := f.origins
	switch {
	case preflight && !f.p.Preflight.SiteFromURLList:
		origins = origins[len(origins)-1:]
	case !preflight && f.p.Request.FetchMetadata == MetadataCrossSiteAfterRedirect && len(origins) > 1:
		for _, o := range origins {
			if !o.SameOrigin(f.t.Origin) {
				return "cross-site"
			}
		}
	}
	site := "same-origin"
	for _, o := range origins {
		if o.SameOrigin(f.t.Origin) {
			continue
		}
		site = "cross-site"
		if !f.t.Origin.SameSite(o) {
			break
		}
		site = "same-site"
	}
	return site
}

// addCacheModeHeaders adds the request headers of the cache mode.
//
// [HTTP-network-or-cache fetch]: https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch
func (f *fetchState) addCacheModeHeaders(h http.Header) {
	switch f.opts.Cache {
	case CacheNoCache:
		if len(h["Cache-Control"]) == 0 {
			h["Cache-Control"] = []string{"max-age=0"}
		}
	case CacheNoStore, CacheReload:
		if len(h["Pragma"]) == 0 {
			h["Pragma"] = []string{"no-cache"}
		}
		if len(h["Cache-Control"]) == 0 {
			h["Cache-Control"] = []string{"no-cache"}
		}
	}
}
