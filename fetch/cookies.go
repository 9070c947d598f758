package fetch

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// newPartitionJar returns the jar of third-party cookies partitioned by the
// page's site. One Transport has one page, so it needs one partition.
func newPartitionJar() (http.CookieJar, error) {
	return cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
}

// thirdParty reports whether the request to the current URL is a
// third-party (cross-site) request for cookies: its URL is not same site
// with the page, the top-level page. The redirect chain does not matter:
// after a redirect from another site back to the page's site, every engine
// sends the page site's cookies and stores the ones the response sets
// (cred-redirect-cross-site-back-*; Firefox withholds its SameSite=Lax and
// Strict ones, which is not simulated).
func (f *fetchState) thirdParty() bool {
	return !f.t.Origin.SameSite(f.currentOrigin())
}

// jars returns the jars a request to u reads cookies from and the jar its
// responses store unpartitioned cookies in (nil: not stored).
func (t *Transport) jars(f *fetchState, u *url.URL) (read []http.CookieJar, store http.CookieJar) {
	if t.Jar == nil {
		return nil, nil
	}
	if !f.thirdParty() || t.prof.ThirdPartyCookies == ThirdPartyCookiesAllow {
		read = append(read, t.Jar)
		store = t.Jar
	}
	if t.partJar != nil {
		read = append(read, t.partJar)
	}
	return read, store
}

// addCookies sets the Cookie header of a request to u from the jars.
//
// [append a request Cookie header]: https://fetch.spec.whatwg.org/#append-a-request-cookie-header
func (t *Transport) addCookies(h http.Header, f *fetchState, u *url.URL) {
	read, _ := t.jars(f, u)
	var b strings.Builder
	seen := map[string]bool{}
	for _, j := range read {
		for _, c := range j.Cookies(u) {
			if seen[c.Name] {
				continue
			}
			seen[c.Name] = true
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(c.Name)
			b.WriteByte('=')
			b.WriteString(c.Value)
		}
	}
	if b.Len() > 0 {
		h["Cookie"] = []string{b.String()}
	}
}

// storeCookies stores the cookies that the Set-Cookie fields of h set for u,
// as the profile's cookie policy allows.
//
// [parse and store response Set-Cookie headers]: https://fetch.spec.whatwg.org/#parse-and-store-response-set-cookie-headers
func (t *Transport) storeCookies(h http.Header, f *fetchState, u *url.URL) {
	if t.Jar == nil || len(h["Set-Cookie"]) == 0 {
		return
	}
	// Each field on its own: http.Response.Cookies stops at 3000 fields
	// (GODEBUG httpcookiemaxnum), where browsers keep the newest cookies.
	cookies := make([]*http.Cookie, 0, len(h["Set-Cookie"]))
	for _, line := range h["Set-Cookie"] {
		if c, err := http.ParseSetCookie(line); err == nil {
			cookies = append(cookies, c)
		}
	}
	third := f.thirdParty()
	_, store := t.jars(f, u)
	var main, part []*http.Cookie
	for _, c := range cookies {
		if c.SameSite == http.SameSiteNoneMode && !c.Secure && t.prof.SameSiteNoneRequiresSecure {
			continue
		}
		if c.Partitioned && !c.Secure {
			continue
		}
		if c.Secure && t.prof.SecureCookiesNeedHTTPS && u.Scheme != "https" {
			continue
		}
		if third && !t.crossSiteCookie(c) {
			// A cross-site response cannot set a SameSite cookie (RFC
			// 6265bis, storage model), and no engine sends one in a
			// cross-site fetch (div-b-cookie-lax).
			continue
		}
		switch {
		case t.partJar != nil && (c.Partitioned || third && t.prof.ThirdPartyCookies == ThirdPartyCookiesPartition):
			part = append(part, c)
		case store != nil:
			main = append(main, c)
		}
	}
	if len(main) > 0 {
		store.SetCookies(u, main)
	}
	if len(part) > 0 {
		t.partJar.SetCookies(u, part)
	}
}

// crossSiteCookie reports whether c may be used in a cross-site request:
// SameSite=None, or no SameSite where the profile reads that as None.
func (t *Transport) crossSiteCookie(c *http.Cookie) bool {
	switch c.SameSite {
	case http.SameSiteNoneMode:
		return true
	case 0, http.SameSiteDefaultMode:
		// No SameSite attribute, or one with an unknown value.
		return t.prof.UnsetSameSiteIsNone
	}
	return false
}
