package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// Run audits each URL of a server (absolute http or https URLs) and
// returns the findings. Probes go over Config.Base; an error is returned
// only for a configuration that cannot be audited, a URL that cannot be
// probed is reported in its URLSummary.
func Run(ctx context.Context, cfg Config, urls ...string) (*Report, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	base := cfg.Base
	if base == nil {
		t := &http.Transport{Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 2}
		defer t.CloseIdleConnections()
		base = t
	}
	return newAuditor(&cfg, base, cfg.interval()).run(ctx, urls)
}

// RunHandler audits h as if it answered at each URL (absolute URLs, such
// as https://api.example/items: the host and scheme are those of the
// deployed server, which the attacker origins and cookie rules depend
// on). The requests are served in process, without a network and without
// waiting between them; Config.Base and Config.Interval are not used. The
// server counts as public for the Local Network Access finding unless
// Config.ServerAddressSpace says otherwise.
func RunHandler(ctx context.Context, h http.Handler, cfg Config, urls ...string) (*Report, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.ServerAddressSpace == fetch.AddressSpaceUnknown {
		cfg.ServerAddressSpace = fetch.AddressSpacePublic
	}
	return newAuditor(&cfg, handlerTransport{h}, 0).run(ctx, urls)
}

// auditor runs one audit.
type auditor struct {
	cfg      *Config
	profiles []fetch.Profile
	base     http.RoundTripper
	interval time.Duration
	// last is when the answer to the audit's last request (or its
	// failure) came back: every URL's prober waits from it, so that the
	// interval holds across URLs too.
	last     time.Time
	chars    map[string][]string
	allChars []string
	report   *Report
}

// newAuditor returns an auditor that sends over base, waiting interval
// between requests.
func newAuditor(cfg *Config, base http.RoundTripper, interval time.Duration) *auditor {
	a := &auditor{cfg: cfg, profiles: cfg.profiles(), base: base, interval: interval}
	a.chars, a.allChars = specialChars()
	a.report = &Report{Schema: Schema, Origin: cfg.Origin.String(), CookiesGiven: len(cfg.Cookies) > 0, Findings: []Finding{}, URLs: []URLSummary{}}
	for _, p := range a.profiles {
		a.report.Profiles = append(a.report.Profiles, p.Name)
	}
	return a
}

// run audits the URLs one after the other.
func (a *auditor) run(ctx context.Context, urls []string) (*Report, error) {
	for _, raw := range urls {
		sum := URLSummary{URL: raw}
		a.auditURL(ctx, raw, &sum)
		a.report.URLs = append(a.report.URLs, sum)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	a.report.sortFindings()
	return a.report, nil
}

// urlCheck is the state of the audit of one URL.
type urlCheck struct {
	u     *url.URL
	p     *prober
	legit *result // the legitimate origin's GET
	arb   *result // an arbitrary attacker origin's GET
}

// auditURL runs every check of one URL.
func (a *auditor) auditURL(ctx context.Context, raw string, sum *URLSummary) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		sum.Error = fmt.Sprintf("not an absolute http or https URL: %q", raw)
		return
	}
	sum.URL = u.String()
	p := &prober{base: a.base, interval: a.interval, budget: a.cfg.maxRequests(), sum: sum, extra: a.cfg.Header, last: &a.last}
	if len(a.cfg.Cookies) > 0 {
		p.cookies = cookiestore.New(nil)
		if err := p.cookies.Import(a.cfg.Cookies); err != nil {
			sum.Error = "the cookies given: " + err.Error()
			return
		}
	}
	if a.cfg.Origin.Scheme() == "https" && u.Scheme == "http" && !origin.FromURL(u).IsPotentiallyTrustworthy() {
		sum.Notes = append(sum.Notes, "The page is https and the URL http: browsers block the page's fetches as mixed content "+
			"(Chrome lets a URL naming a local address through for Local Network Access), whatever the server answers.")
	}
	uc := &urlCheck{u: u, p: p}
	uc.legit = p.send(ctx, probeSpec{method: http.MethodGet, url: sum.URL, origin: a.cfg.Origin.String(), cookies: true, what: "the legitimate origin's GET"})
	if !uc.legit.ok() {
		sum.Error = "the legitimate origin's GET got no answer: " + uc.legit.x.Error
		return
	}
	a.checkLegit(ctx, uc)
	uc.arb = p.send(ctx, probeSpec{method: http.MethodGet, url: sum.URL, origin: arbitraryOrigin(uc.u.Scheme), what: "an arbitrary origin's GET"})
	a.checkOrigins(ctx, uc)
	a.checkSideEffect(ctx, uc)
	a.checkVary(ctx, uc)
	a.checkPreflights(ctx, uc)
	a.checkSlash(ctx, uc)
	a.checkLNA(ctx, uc)
}

// arbitraryOrigin is the attacker origin of OriginReflected, with the
// scheme of the URL audited: the attacker picks the one whose page is not
// blocked as mixed content.
func arbitraryOrigin(scheme string) string { return scheme + "://" + attackerDomain }

// add records a finding.
func (a *auditor) add(f Finding) { a.report.Findings = append(a.report.Findings, f) }

// pageVerdicts returns, per profile, what the legitimate page (or another
// page) meets for one fetch against the recorded answers rp, passed says
// what a passing fetch means.
func (a *auditor) pageVerdicts(ctx context.Context, uc *urlCheck, page origin.Origin, method string, h http.Header, opts fetch.Options, rp *replay, passed string) []Verdict {
	var out []Verdict
	for _, p := range a.profiles {
		f := a.browse(ctx, p, page, uc.u, method, h, opts, rp)
		v := Verdict{Profile: p.Name, CookiesSent: f.cookies}
		if v.CookiesSent == nil {
			v.CookiesSent = []string{}
		}
		switch {
		case f.err == nil && f.other == nil:
			v.Readable, v.Credentialed = true, len(f.cookies) > 0
			v.Summary = passed
		case f.err != nil:
			v.Reason = string(f.err.Reason)
			v.Summary = "The fetch fails. Console: " + f.err.Error()
		default:
			v.Reason = f.other.Error()
			v.Summary = "The fetch fails: " + v.Reason
		}
		out = append(out, v)
	}
	return out
}

// checkLegit reports what the legitimate page's own GET meets: a redirect
// before CORS, * with credentials.
func (a *auditor) checkLegit(ctx context.Context, uc *urlCheck) {
	l := uc.legit
	page := a.cfg.Origin
	switch {
	case l.a.redirect() && l.a.allowOriginCount == 0:
		a.add(Finding{Class: RedirectBeforeCORS, Severity: Medium, URL: uc.u.String(), Probe: *l.x,
			Title: fmt.Sprintf("The page's GET is answered %d, a redirect to %s, without CORS fields", l.a.status, l.a.location),
			Detail: "Browsers CORS-check every hop of a redirect: this one has no Access-Control-Allow-Origin, so the page's fetch fails " +
				"before the redirect is followed, and the console blames the missing field, not the redirect. A framework's trailing-slash " +
				"or canonical-host redirect often answers before the CORS middleware runs.",
			Fix: fmt.Sprintf("Call the URL the server does not redirect (%s), or let the CORS layer answer before routing so that redirects carry "+
				"the CORS fields; for an API, turn the trailing-slash redirect off.", l.a.location),
			Verdicts: a.pageVerdicts(ctx, uc, page, http.MethodGet, nil, fetch.Options{}, &replay{main: l}, "The fetch follows the redirect."),
		})
	case l.a.wildcard() && l.a.credentials:
		a.add(Finding{Class: WildcardWithCredentials, Severity: Medium, URL: uc.u.String(), Probe: *l.x,
			Title: "Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true",
			Detail: "A browser never lets script read a credentialed answer whose Access-Control-Allow-Origin is *: every fetch with " +
				"credentials: 'include' fails, while fetches without credentials pass. This is a breakage, not a leak: no attacker reads " +
				"anything through it.",
			Fix: "Echo the request's Origin when it is on your allow-list (with Vary: Origin) instead of *, or drop " +
				"Access-Control-Allow-Credentials if the page sends no cookies.",
			Verdicts: a.pageVerdicts(ctx, uc, page, http.MethodGet, nil, fetch.Options{Credentials: fetch.CredentialsInclude}, &replay{main: l},
				"The credentialed fetch passes."),
		})
	}
}

// checkOrigins tries the attacker origins: an arbitrary one first; when the
// server reflects it, or answers *, the others are moot.
func (a *auditor) checkOrigins(ctx context.Context, uc *urlCheck) {
	if !uc.arb.ok() {
		return
	}
	cands, skipped := candidates(a.cfg.Origin, a.allChars)
	arb := candidate{class: OriginReflected, origin: arbitraryOrigin(uc.u.Scheme), needs: "a page on any site"}
	switch {
	case uc.arb.a.allows(arb.origin):
		a.addOrigin(ctx, uc, arb, uc.arb)
		uc.p.skip("the other attacker origins", "any origin is reflected")
		return
	case uc.arb.a.wildcard():
		uc.p.skip("the other attacker origins", "the answer is Access-Control-Allow-Origin: * for any origin (a public resource)")
		return
	}
	for _, s := range skipped {
		uc.p.skip("attacker origin", s)
	}
	found := map[Class]bool{}
	var special []candidate
	var specialRes []*result
	for _, c := range cands {
		// A prefix match lets any character through after the host, and a
		// suffix match lets the unescaped-dot origin through (it ends with
		// the site): those findings would repeat the first.
		if found[c.class] || c.class == OriginSpecialChars && found[OriginPrefixMatch] || c.class == OriginUnescapedDot && found[OriginSuffixMatch] {
			continue
		}
		res := uc.p.send(ctx, probeSpec{method: http.MethodGet, url: uc.u.String(), origin: c.origin, what: string(c.class) + " " + c.origin})
		if !res.ok() || !res.a.allows(c.origin) {
			continue
		}
		if c.class == OriginSpecialChars {
			special, specialRes = append(special, c), append(specialRes, res)
			continue
		}
		found[c.class] = true
		a.addOrigin(ctx, uc, c, res)
	}
	if len(special) > 0 {
		a.addSpecial(ctx, uc, special, specialRes)
	}
}

// headerOf builds a header from name-value pairs.
func headerOf(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// joinNames lists names for a sentence.
func joinNames(names []string) string {
	names = slices.Clone(names)
	switch len(names) {
	case 0:
		return "none"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// mustParseURL parses a URL the audit built itself.
func mustParseURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic("audit: " + err.Error())
	}
	return u
}

// asFetchError reports whether err is a *fetch.Error, and sets fe.
func asFetchError(err error, fe **fetch.Error) bool { return errors.As(err, fe) }
