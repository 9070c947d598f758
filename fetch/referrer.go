package fetch

import (
	"net/http"
	"net/url"
)

// referrer returns the Referer header of a request to u, the current URL,
// under the page's referrer policy, or nil for none.
//
// [determine request's referrer]: https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer
func (f *fetchState) referrer(u *url.URL) []string {
	return f.t.referrer(u, f.currentOrigin().SameOrigin(f.t.Origin))
}

// referrer returns the Referer header of a request to u, whose origin is
// the page's when sameOrigin, under the page's referrer policy, or nil for
// none.
func (t *Transport) referrer(u *url.URL, sameOrigin bool) []string {
	full, originOnly := t.refFull, t.refOrigin
	if originOnly == nil {
		return nil
	}
	downgrade := t.Origin.Scheme() == "https" && u.Scheme != "https"
	switch t.ReferrerPolicy {
	case "no-referrer":
		return nil
	case "no-referrer-when-downgrade":
		if downgrade {
			return nil
		}
		return full
	case "same-origin":
		if sameOrigin {
			return full
		}
		return nil
	case "origin":
		return originOnly
	case "strict-origin":
		if downgrade {
			return nil
		}
		return originOnly
	case "origin-when-cross-origin":
		if sameOrigin {
			return full
		}
		return originOnly
	case "unsafe-url":
		return full
	}
	// strict-origin-when-cross-origin, the default.
	if sameOrigin {
		return full
	}
	if downgrade {
		return nil
	}
	return originOnly
}

// normalizeRange rewrites a Range field that is one valid byte range into
// its canonical form, as Chromium's HTTP layer re-serializes the range it
// parsed.
func normalizeRange(h http.Header) {
	v := h["Range"]
	if len(v) != 1 {
		return
	}
	if n, ok := chromiumRange(v[0]); ok {
		h["Range"] = []string{n}
	}
}
