package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// checkSideEffect reports a refused origin whose request the handler still
// ran: a GET answered as for anyone (info: harmless when GET is safe), and,
// with Config.UnsafeMethods, a simple POST answered 2xx or with a cookie.
func (a *auditor) checkSideEffect(ctx context.Context, uc *urlCheck) {
	arb := uc.arb
	if !arb.ok() || arb.a.allowOriginCount > 0 || arb.a.status >= 400 || arb.a.redirect() {
		return
	}
	attacker := arbitraryOrigin(uc.u.Scheme)
	if !a.cfg.UnsafeMethods {
		uc.p.skip("a simple POST from a refused origin", "unsafe methods are not allowed (-unsafe-methods)")
		a.add(Finding{Class: RefusedOriginSideEffect, Severity: Info, URL: uc.u.String(), Probe: *arb.x,
			Title: fmt.Sprintf("A GET from a refused origin is answered %d: the handler runs", arb.a.status),
			Detail: fmt.Sprintf("The answer to Origin: %s has no Access-Control-Allow-Origin, so its page cannot read it, but the handler ran (status %d, %d bytes). "+
				"Harmless if GET changes nothing. A browser sends a simple POST (a form's, or fetch() with a text/plain body) without a preflight too; "+
				"audit with unsafe methods allowed to see whether the handler runs it.", attacker, arb.a.status, arb.x.Response.BodyLength),
			Fix:      "Keep GET free of side effects; refuse requests from origins you do not allow before the handler runs (403), for unsafe methods at least.",
			Verdicts: a.sideEffectVerdicts(ctx, uc, http.MethodGet, arb),
		})
		return
	}
	post := uc.p.send(ctx, probeSpec{method: http.MethodPost, url: uc.u.String(), origin: attacker, body: "corsprobe-audit", what: "a simple POST from a refused origin"})
	if !post.ok() || post.a.allowOriginCount > 0 || post.a.status >= 300 && post.a.setCookie == 0 {
		return
	}
	a.add(Finding{Class: RefusedOriginSideEffect, Severity: Medium, URL: uc.u.String(), Probe: *post.x,
		Title: fmt.Sprintf("A simple POST from a refused origin is answered %d: the handler runs it", post.a.status),
		Detail: fmt.Sprintf("A POST with a text/plain body from %s needs no preflight, so every browser sends it; the answer (%d, %d bytes, %d Set-Cookie) "+
			"has no Access-Control-Allow-Origin, so the page cannot read it, but whatever the handler did is done: a cross-site request forgery.",
			attacker, post.a.status, post.x.Response.BodyLength, post.a.setCookie),
		Fix: "Refuse unsafe requests whose Origin is not allowed before the handler runs (403), or require what a simple request cannot carry " +
			"(a JSON Content-Type, a custom header) so that the browser preflights it, or a CSRF token.",
		Verdicts: a.sideEffectVerdicts(ctx, uc, http.MethodPost, post),
	})
}

// sideEffectVerdicts says, per profile, whether a page at the arbitrary
// origin gets the request to the server without a preflight.
func (a *auditor) sideEffectVerdicts(ctx context.Context, uc *urlCheck, method string, res *result) []Verdict {
	page := origin.MustParse(arbitraryOrigin(uc.u.Scheme))
	var out []Verdict
	for _, p := range a.profiles {
		rp := &replay{main: res}
		h := http.Header{}
		if method == http.MethodPost {
			h.Set("Content-Type", "text/plain;charset=UTF-8")
		}
		f := a.browse(ctx, p, page, uc.u, method, h, fetch.Options{}, rp)
		v := Verdict{Profile: p.Name, CookiesSent: f.cookies, Reason: reasonOf(f)}
		if v.CookiesSent == nil {
			v.CookiesSent = []string{}
		}
		sent := slices.ContainsFunc(rp.sent, func(r *http.Request) bool { return r.Method == method })
		preflight := slices.ContainsFunc(rp.sent, func(r *http.Request) bool { return r.Method == http.MethodOptions })
		switch {
		case sent && !preflight:
			v.Summary = fmt.Sprintf("The browser sends the %s without a preflight; the page cannot read the answer (%s).", method, v.Reason)
		case sent:
			v.Summary = fmt.Sprintf("The browser sends the %s after a preflight.", method)
		default:
			v.Summary = fmt.Sprintf("The browser does not send the %s (%s).", method, v.Reason)
		}
		out = append(out, v)
	}
	return out
}

// checkVary reports an answer that depends on Origin without saying so in
// Vary, on the answer to the page or on the answer to a request without
// Origin: the browser's HTTP cache serves the answer to a request without
// Origin (an <img>, a no-cors fetch) to the page's CORS fetch, which then
// fails; shared caches serve one origin's answer to another.
func (a *auditor) checkVary(ctx context.Context, uc *urlCheck) {
	l := uc.legit
	if !l.a.allows(a.cfg.Origin.String()) && !l.a.wildcard() || l.a.status != http.StatusOK {
		return
	}
	plain := uc.p.send(ctx, probeSpec{method: http.MethodGet, url: uc.u.String(), what: "the GET without Origin (the Vary check)"})
	if !plain.ok() {
		return
	}
	// An answer of * to every request is the same for all: nothing to
	// vary on. Otherwise both answers must say Vary: Origin.
	dependent := l.a.allows(a.cfg.Origin.String()) || !plain.a.wildcard()
	if !dependent || l.a.varyOrigin && plain.a.varyOrigin {
		return
	}
	vs, poisoned := a.varyVerdicts(ctx, uc, plain)
	shared := l.a.sharedCacheable || plain.a.sharedCacheable
	sev := Info
	switch {
	case len(poisoned) > 0:
		sev = Medium
	case shared:
		sev = Low
	}
	cdn := "Its Cache-Control does not invite shared caches, but a CDN configured to cache it would serve one origin's answer to every other."
	if shared {
		cdn = "Its Cache-Control lets shared caches store it: a CDN or proxy serves the first origin's answer (or the answer without Origin) to every other origin."
	}
	a.add(Finding{Class: VaryOriginMissing, Severity: sev, URL: uc.u.String(), Probe: *plain.x,
		Title: "An answer that depends on Origin lacks Vary: Origin",
		Detail: fmt.Sprintf("The answer to %s has %s (%s); the same GET without Origin got %s (%s). A cache keys an answer by the request's "+
			"fields named in the stored answer's Vary only. Replayed through each browser's HTTP cache: a no-cors load of the URL (an <img>, a script) "+
			"first, then the page's fetch(). %s %s",
			a.cfg.Origin, allowOriginText(l.a), varyText(l.a), allowOriginText(plain.a), varyText(plain.a), varyDigest(poisoned), cdn),
		Fix:      "Send Vary: Origin with every answer whose CORS fields depend on the request's Origin, including the answers to requests without Origin.",
		Verdicts: vs,
	})
}

// varyText says whether an answer has Vary: Origin.
func varyText(a answer) string { return yes(a.varyOrigin, "with Vary: Origin", "without Vary: Origin") }

// allowOriginText describes an answer's Access-Control-Allow-Origin.
func allowOriginText(a answer) string {
	if a.allowOriginCount == 0 {
		return "no Access-Control-Allow-Origin"
	}
	return "Access-Control-Allow-Origin: " + a.allowOrigin
}

// varyVerdicts replays the poisoning sequence in each profile's browser:
// a no-cors GET of the URL answered by plain, then the page's CORS GET,
// answered by the legitimate answer if it reaches the network.
//
// It also returns the profiles in which the cached answer made the fetch
// fail; a fetch that fails at the server's own answer (mixed content, say)
// does not count.
func (a *auditor) varyVerdicts(ctx context.Context, uc *urlCheck, plain *result) (out []Verdict, poisoned []string) {
	for _, p := range a.profiles {
		seq := &sequence{answers: []*result{plain, uc.legit}}
		b := &fetch.Browser{Profile: p, Base: seq, Now: fixedNow}
		page := b.Page(a.cfg.Origin)
		v := Verdict{Profile: p.Name, CookiesSent: []string{}}
		first, _ := http.NewRequestWithContext(ctx, http.MethodGet, uc.u.String(), http.NoBody)
		if resp, err := page.RoundTrip(fetch.WithOptions(first, fetch.Options{Mode: fetch.ModeNoCORS})); err == nil {
			resp.Body.Close()
		}
		second, _ := http.NewRequestWithContext(ctx, http.MethodGet, uc.u.String(), http.NoBody)
		resp, err := page.RoundTrip(second)
		fromCache := seq.n == 1
		switch {
		case err == nil:
			resp.Body.Close()
			v.Readable = true
			v.Summary = "The page's fetch passes (" + yes(fromCache, "served from the cache", "sent to the server") + ")."
		default:
			f := fetchOnce{other: err}
			if errors.As(err, &f.err) {
				f.other = nil
			}
			v.Reason = reasonOf(f)
			v.Summary = "The page's fetch fails, " + yes(fromCache, "served the cached no-cors answer", "at the server's answer") + ": " + err.Error()
			if fromCache {
				poisoned = append(poisoned, p.Name)
			}
		}
		out = append(out, v)
	}
	return out, poisoned
}

// varyDigest sums the vary verdicts up: the profiles whose fetch the
// cached answer failed.
func varyDigest(bad []string) string {
	if len(bad) == 0 {
		return "No browser serves the cached answer to the page's fetch (not stored, or not fresh)."
	}
	return "The page's fetch then fails in " + joinNames(bad) + "."
}

// fixedNow is the clock of the replayed browsers: caching decisions need
// one, and the replay takes no time.
func fixedNow() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// sequence answers requests with recorded answers in order, repeating the
// last, and counts them.
type sequence struct {
	answers []*result
	n       int
}

// RoundTrip answers req with the next recorded answer.
func (s *sequence) RoundTrip(req *http.Request) (*http.Response, error) {
	res := s.answers[min(s.n, len(s.answers)-1)]
	s.n++
	return (&replay{main: res}).RoundTrip(req)
}

// yes returns a when b is set, else c.
func yes(b bool, a, c string) string {
	if b {
		return a
	}
	return c
}

// spaPreflights are the preflighted requests a single-page application
// typically sends.
var spaPreflights = []struct {
	method string
	header http.Header
	what   string
}{
	{http.MethodPut, headerOf("Content-Type", "application/json"), "PUT with a JSON body"},
	{http.MethodDelete, headerOf("Authorization", "Bearer corsprobe-audit"), "DELETE with Authorization"},
	{http.MethodPatch, headerOf("Authorization", "Bearer corsprobe-audit", "Content-Type", "application/json"), "PATCH with a JSON body and Authorization"},
	{http.MethodPost, headerOf("Authorization", "Bearer corsprobe-audit", "Content-Type", "application/json"), "POST with a JSON body and Authorization"},
}

// requestHeaderNames returns the Access-Control-Request-Headers value of h.
func requestHeaderNames(h http.Header) string {
	var names []string
	for name := range h {
		names = append(names, strings.ToLower(name))
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}
