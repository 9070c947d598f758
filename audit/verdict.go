package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// Safari is the Safari profile as Apple ships it for the audit's verdicts:
// fetch.Safari follows WebKitGTK, whose cookie policy only refuses to store
// third-party cookies and sends those it holds (ThirdPartyNotStored);
// Safari blocks them all (ThirdPartyNone, Intelligent Tracking Prevention).
// A verdict of "readable with cookies" under WebKitGTK's policy would be a
// false alarm for Safari's users.
var Safari = func() fetch.Profile {
	p := fetch.Safari
	p.Cookies.ThirdParty = fetch.ThirdPartyNone
	return p
}()

// hypothetical are the session cookies a verdict tries when none were
// given, one per SameSite setting that decides a cross-site request.
var hypothetical = []struct{ name, attrs, label string }{
	{"session_samesite_none", "; SameSite=None; Secure", "SameSite=None; Secure"},
	{"session_samesite_lax", "; SameSite=Lax", "SameSite=Lax"},
	{"session_no_samesite", "", "no SameSite"},
}

// jar returns the cookies the verdicts' browsers hold for the URL u: the
// user's, or the hypothetical ones set by u's host.
func (a *auditor) jar(u *url.URL) []cookiestore.Cookie {
	if len(a.cfg.Cookies) > 0 {
		return a.cfg.Cookies
	}
	var out []cookiestore.Cookie
	for _, h := range hypothetical {
		hc, err := http.ParseSetCookie(h.name + "=1; Path=/" + h.attrs)
		if err != nil {
			panic("audit: hypothetical cookie: " + err.Error())
		}
		out = append(out, cookiestore.Cookie{Cookie: *hc, HostOnly: true})
		out[len(out)-1].Domain = u.Hostname()
	}
	return out
}

// cookieLabel names a cookie in a summary: its name, with its SameSite
// setting when it is hypothetical.
func (a *auditor) cookieLabel(name string) string {
	if len(a.cfg.Cookies) == 0 {
		for _, h := range hypothetical {
			if h.name == name {
				return "a session cookie with " + h.label
			}
		}
	}
	return name
}

// fetchOnce is the outcome of one fetch() of a page in a fresh browser of
// one profile, against recorded answers.
type fetchOnce struct {
	err     *fetch.Error
	other   error
	cookies []string // the names of the cookies the request carried
}

// browse runs one fetch() of method at u from a page at page, in a fresh
// browser of profile p holding the verdicts' cookies, against the recorded
// answers of rp.
func (a *auditor) browse(ctx context.Context, p fetch.Profile, page origin.Origin, u *url.URL, method string, h http.Header, opts fetch.Options, rp *replay) fetchOnce {
	b := &fetch.Browser{Profile: p, Base: rp, NoHTTPCache: true}
	if err := b.CookieStore().Import(a.jar(u)); err != nil {
		return fetchOnce{other: err}
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), http.NoBody)
	if err != nil {
		return fetchOnce{other: err}
	}
	for name, values := range h {
		req.Header[name] = slices.Clone(values)
	}
	rp.sent = rp.sent[:0]
	resp, err := b.Page(page).RoundTrip(fetch.WithOptions(req, opts))
	var out fetchOnce
	for _, s := range rp.sent {
		if s.Method == http.MethodOptions {
			continue
		}
		for _, c := range s.Cookies() {
			out.cookies = append(out.cookies, c.Name)
		}
	}
	if err != nil {
		if !errors.As(err, &out.err) {
			out.other = err
		}
		return out
	}
	resp.Body.Close()
	return out
}

// originVerdicts returns, per profile, what a page at the attacker origin
// c makes of the answer res: the credentialed fetch first, then, if it
// fails, the same without credentials.
func (a *auditor) originVerdicts(ctx context.Context, u *url.URL, c candidate, res *result) []Verdict {
	page, rp := verdictPage(c, res)
	var out []Verdict
	for _, p := range a.profiles {
		v := Verdict{Profile: p.Name, CookiesSent: []string{}}
		if list, recorded := a.chars[engineOf(p)]; c.class == OriginSpecialChars && !slices.Contains(list, c.char) {
			v.Summary = fmt.Sprintf("%s loads no page from a host with %q (recorded in %s): the origin is out of an attacker's reach.", p.Name, c.char, engineOf(p))
			if !recorded {
				v.Summary = fmt.Sprintf("Not recorded for %s: whether it loads a page from a host with %q is not known, so no read is claimed.", engineOf(p), c.char)
			}
			out = append(out, v)
			continue
		}
		cred := a.browse(ctx, p, page, u, http.MethodGet, nil, fetch.Options{Credentials: fetch.CredentialsInclude}, rp)
		v.CookiesSent = append(v.CookiesSent, cred.cookies...)
		switch {
		case cred.err == nil && cred.other == nil:
			v.Readable, v.Credentialed = true, len(cred.cookies) > 0
			v.Summary = a.readSummary(p, cred.cookies)
		default:
			v.Reason = reasonOf(cred)
			omit := a.browse(ctx, p, page, u, http.MethodGet, nil, fetch.Options{Credentials: fetch.CredentialsOmit}, rp)
			if omit.err == nil && omit.other == nil {
				v.Readable = true
				v.Summary = fmt.Sprintf("A page at the origin reads the answer to a request without cookies only: with credentials the fetch fails (%s).", v.Reason)
			} else {
				v.Summary = fmt.Sprintf("A page at the origin cannot read the answer (%s).", v.Reason)
			}
		}
		out = append(out, v)
	}
	return out
}

// verdictPage returns the attacker's page origin for the verdicts of c,
// and the network that answers it with res. An origin that package origin
// does not take (a host with a character the URL Standard forbids in a
// domain, such as the "%20" Chromium writes for a space) is stood in for by
// the origin with "x" in the character's place, which has the same site,
// and the answer's Access-Control-Allow-Origin names the stand-in, as the
// server named the real one.
func verdictPage(c candidate, res *result) (origin.Origin, *replay) {
	if c.origin == "null" {
		return origin.NewOpaque(), &replay{main: res}
	}
	if o, err := origin.Parse(c.origin); err == nil {
		return o, &replay{main: res}
	}
	stand := origin.MustParse(strings.Replace(c.origin, c.char, "x", 1))
	copied := *res
	copied.head = res.head.Clone()
	copied.head.Set("Access-Control-Allow-Origin", stand.String())
	return stand, &replay{main: &copied}
}

// readSummary says what a page reads when its credentialed fetch passed,
// with the cookies sent.
func (a *auditor) readSummary(p fetch.Profile, sent []string) string {
	if len(sent) > 0 {
		labels := make([]string, len(sent))
		for i, n := range sent {
			labels[i] = a.cookieLabel(n)
		}
		return "A page at the origin reads the answer to a request carrying the user's cookies (" + strings.Join(labels, ", ") + ")."
	}
	return "A page at the origin reads the answer, but the request carries none of the user's cookies (" + noCookieWhy(p) + ")."
}

// noCookieWhy says why a profile sends no cookie with a cross-site
// request.
func noCookieWhy(p fetch.Profile) string {
	switch p.Cookies.ThirdParty {
	case fetch.ThirdPartyBlocked:
		return "third-party cookies blocked: only Partitioned cookies go cross-site"
	case fetch.ThirdPartyPartitioned:
		return "cookies partitioned by top-level site: the attacker's site has a jar of its own"
	case fetch.ThirdPartyNone:
		return "no cookie goes with a cross-site request"
	}
	return "the cookies' SameSite, Secure or domain keep them off this request"
}

// reasonOf returns the reason of a failed fetch.
func reasonOf(f fetchOnce) string {
	switch {
	case f.err != nil:
		return string(f.err.Reason)
	case f.other != nil:
		return f.other.Error()
	}
	return ""
}

// engineOf returns the engine whose recordings a profile follows, by its
// console: Gecko for Firefox, WebKit for Safari, Chromium for the others.
func engineOf(p fetch.Profile) string {
	switch p.Console {
	case fetch.ConsoleFirefox:
		return "firefox"
	case fetch.ConsoleWebKit:
		return "webkit"
	}
	return "chromium"
}

// originSeverity ranks an allowed attacker origin by what its page reads:
// high when a page reads a credentialed answer, medium when that takes
// more than a page (a subdomain, the network), low for reads without the
// user's cookies, info when no browser lets the page read anything.
func originSeverity(c candidate, vs []Verdict) Severity {
	credRead, read := false, false
	for _, v := range vs {
		credRead = credRead || v.Readable && v.Credentialed
		read = read || v.Readable
	}
	switch {
	case credRead && (c.class == OriginAnySubdomain || c.class == OriginInsecureScheme):
		return Medium
	case credRead:
		return High
	case read:
		return Low
	}
	return Info
}
