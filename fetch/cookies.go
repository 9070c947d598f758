package fetch

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/origin"
)

// Cookies take one of two paths. When Transport.Jar is a *cookiestore.Store,
// every cookie comes back with its attributes: SameSite is applied as the
// profile says, and Partitioned cookies live in the store under the page's
// site, shared with every Transport of that site using the store. Any other
// http.CookieJar gives names and values only: SameSite cannot be applied on
// sending, and partitioned cookies live in a jar of the Transport's own.

// newPartitionJar returns the jar of third-party cookies partitioned by the
// page's site, for a Jar that is not a *cookiestore.Store. One Transport has
// one page, so it needs one partition.
func newPartitionJar() (http.CookieJar, error) {
	return cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
}

// thirdParty reports whether the request to the current URL is a
// third-party (cross-site) request for cookies: its URL is not same site
// with the page, the top-level page. The redirect chain does not matter:
// after a redirect from another site back to the page's site, every engine
// sends the page site's cookies and stores the ones the response sets
// (cred-redirect-cross-site-back-*); what it changes in Firefox is the
// SameSite context (sameSiteContext).
func (f *fetchState) thirdParty() bool {
	return !f.t.Origin.SameSite(f.currentOrigin())
}

// sameSiteContext reports whether the request to the current URL is
// same-site for SameSite cookies: first party, and under
// Profile.SameSiteCountsRedirects no URL of its redirect chain on another
// site.
//
// [same-site request]: https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-same-site-and-cross-site-requests
func (f *fetchState) sameSiteContext() bool {
	if f.thirdParty() {
		return false
	}
	if f.p.Cookies.SameSiteCountsRedirects {
		for _, o := range f.origins {
			if !f.t.Origin.SameSite(o) {
				return false
			}
		}
	}
	return true
}

// cookieRequest returns the cookiestore.Request of a request to u.
func (t *Transport) cookieRequest(u *url.URL) cookiestore.Request {
	secure := u.Scheme == "https" || !t.prof.Cookies.SecureNeedsHTTPS && origin.IsURLPotentiallyTrustworthy(u)
	return cookiestore.Request{URL: u, Secure: secure, Partition: t.pageSite}
}

// jars returns the jars a request to u reads cookies from and the jar its
// responses store unpartitioned cookies in (nil: not stored), for a Jar that
// is not a *cookiestore.Store.
func (t *Transport) jars(f *fetchState) (read []http.CookieJar, store http.CookieJar) {
	if t.Jar == nil {
		return nil, nil
	}
	third := f.thirdParty()
	if !third || t.prof.Cookies.ThirdParty.sendsUnpartitioned() {
		read = append(read, t.Jar)
	}
	if !third || t.prof.Cookies.ThirdParty == ThirdPartyAllowed {
		store = t.Jar
	}
	if t.partJar != nil {
		read = append(read, t.partJar)
	}
	return read, store
}

// addCookies sets the Cookie header of a request to u.
//
// [append a request Cookie header]: https://fetch.spec.whatwg.org/#append-a-request-cookie-header
func (t *Transport) addCookies(h http.Header, f *fetchState, u *url.URL) {
	if t.prof.Cookies.ThirdParty == ThirdPartyNone && f.thirdParty() {
		return
	}
	var b strings.Builder
	add := func(c *http.Cookie) {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.Name)
		b.WriteByte('=')
		b.WriteString(c.Value)
	}
	if t.store != nil {
		third, sameSite := f.thirdParty(), f.sameSiteContext()
		for _, c := range t.store.Get(t.cookieRequest(u)) {
			if !c.Partitioned && third && !t.prof.Cookies.ThirdParty.sendsUnpartitioned() ||
				!sameSite && !t.crossSiteCookie(c) {
				continue
			}
			add(c)
		}
	} else {
		read, _ := t.jars(f)
		seen := map[string]bool{}
		for _, j := range read {
			for _, c := range j.Cookies(u) {
				if !seen[c.Name] {
					seen[c.Name] = true
					add(c)
				}
			}
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
	third := f.thirdParty()
	if third && (t.prof.Cookies.ThirdParty == ThirdPartyNone || t.prof.Cookies.ThirdParty == ThirdPartyNotStored) {
		return
	}
	var main, part []*http.Cookie
	// Each field on its own: http.Response.Cookies stops at 3000 fields
	// (GODEBUG httpcookiemaxnum), where browsers keep the newest cookies.
	for _, line := range h["Set-Cookie"] {
		c, err := http.ParseSetCookie(line)
		if err != nil || !t.storable(c, u, third) {
			continue
		}
		switch {
		case c.Partitioned || third && t.prof.Cookies.ThirdParty == ThirdPartyPartitioned:
			part = append(part, c)
		case !third || t.prof.Cookies.ThirdParty == ThirdPartyAllowed:
			main = append(main, c)
		}
	}
	if t.store != nil {
		for _, c := range part {
			c.Partitioned = true // in the page site's partition
		}
		t.store.Set(t.cookieRequest(u), append(main, part...))
		return
	}
	if t.partJar == nil {
		// Third-party cookies allowed: no jar of their own.
		main, part = append(main, part...), nil
	}
	if len(main) > 0 {
		t.Jar.SetCookies(u, main)
	}
	if len(part) > 0 {
		t.partJar.SetCookies(u, part)
	}
}

// storable reports whether the profile stores c, set by a response to u
// (third: in a cross-site request).
func (t *Transport) storable(c *http.Cookie, u *url.URL, third bool) bool {
	switch {
	case c.SameSite == http.SameSiteNoneMode && !c.Secure && t.prof.Cookies.SameSiteNoneRequiresSecure,
		c.Partitioned && !c.Secure,
		c.Secure && t.prof.Cookies.SecureNeedsHTTPS && u.Scheme != "https":
		return false
	case third && !t.crossSiteCookie(c):
		// A cross-site response cannot set a SameSite cookie (RFC
		// 6265bis, storage model), and no engine sends one in a
		// cross-site fetch (div-b-cookie-lax).
		return false
	}
	return true
}

// crossSiteCookie reports whether c may be used in a cross-site request:
// SameSite=None, or no SameSite where the profile reads that as None.
func (t *Transport) crossSiteCookie(c *http.Cookie) bool {
	switch c.SameSite {
	case http.SameSiteNoneMode:
		return true
	case 0, http.SameSiteDefaultMode:
		// No SameSite attribute, or one with an unknown value.
		return t.prof.Cookies.UnsetSameSiteIsNone
	}
	return false
}
