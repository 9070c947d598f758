package audit

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// preflightSeen is one SPA preflight and its answer.
type preflightSeen struct {
	what   string
	method string
	header http.Header
	res    *result
}

// checkPreflights sends the preflights of the typical SPA requests from
// the legitimate origin and reports answers that redirect, fail the
// status check, carry no CORS fields, or refuse the request, and a
// Max-Age beyond an engine's cap.
func (a *auditor) checkPreflights(ctx context.Context, uc *urlCheck) {
	groups := map[Class][]preflightSeen{}
	var maxAge *preflightSeen
	for _, sp := range spaPreflights {
		h := http.Header{"Access-Control-Request-Method": {sp.method}, "Access-Control-Request-Headers": {requestHeaderNames(sp.header)}}
		res := uc.p.send(ctx, probeSpec{method: http.MethodOptions, url: uc.u.String(), origin: a.cfg.Origin.String(), header: h, what: "the preflight of a " + sp.what})
		if !res.ok() {
			continue
		}
		seen := preflightSeen{what: sp.what, method: sp.method, header: sp.header, res: res}
		switch {
		case res.a.redirect():
			groups[RedirectBeforeCORS] = append(groups[RedirectBeforeCORS], seen)
		case res.a.status < 200 || res.a.status > 299:
			groups[PreflightBadStatus] = append(groups[PreflightBadStatus], seen)
		case !res.a.cors:
			groups[PreflightNoCORSHeaders] = append(groups[PreflightNoCORSHeaders], seen)
		default:
			if a.refusedByAny(ctx, uc, seen) {
				groups[PreflightRefused] = append(groups[PreflightRefused], seen)
			}
			if res.a.hasMaxAge && maxAge == nil {
				maxAge = &seen
			}
		}
	}
	for _, c := range []Class{RedirectBeforeCORS, PreflightBadStatus, PreflightNoCORSHeaders, PreflightRefused} {
		if seen := groups[c]; len(seen) > 0 {
			a.addPreflight(ctx, uc, c, seen)
		}
	}
	if maxAge != nil {
		a.checkMaxAge(uc, *maxAge)
	}
}

// preflightText is what the report says of each preflight class: the
// severity, a title and the fix.
var preflightText = map[Class]struct {
	severity   Severity
	title, fix string
}{
	RedirectBeforeCORS: {Medium, "Preflights are answered by a redirect",
		"Answer OPTIONS at the URL itself, before any redirect: browsers never follow a redirect of a preflight. Let the CORS layer run before routing and trailing-slash redirects."},
	PreflightBadStatus: {Medium, "Preflights get an error status",
		"Answer OPTIONS with 204 (or 200) and the CORS fields before authentication, routing or method checks run: a preflight carries no cookies and no Authorization, and an error status fails it whatever its fields say."},
	PreflightNoCORSHeaders: {Low, "Preflights are answered 2xx without CORS fields",
		"Answer the preflight with Access-Control-Allow-Origin, -Methods and -Headers for what the page sends; an answer without them makes the console blame Access-Control-Allow-Origin, not the method or header the server refused."},
	PreflightRefused: {Info, "Typical SPA requests are refused by the preflight's answer",
		"If the page needs them, add the methods to Access-Control-Allow-Methods and the headers (Content-Type, Authorization) to Access-Control-Allow-Headers; \"allow all\" presets often leave them out. Nothing to do if refusing them is the intent."},
}

// addPreflight records one preflight finding for the preflights seen.
func (a *auditor) addPreflight(ctx context.Context, uc *urlCheck, c Class, seen []preflightSeen) {
	var lines []string
	for _, s := range seen {
		lines = append(lines, fmt.Sprintf("%s: %d%s", s.what, s.res.a.status, yes(s.res.a.cors, " with CORS fields", " without CORS fields")))
	}
	first := seen[0]
	t := preflightText[c]
	if c == PreflightBadStatus && len(seen) < len(spaPreflights) {
		// Some preflights pass: the error status refuses particular
		// requests, on purpose perhaps; only the console's message
		// misleads.
		t.severity = Low
	}
	opts := fetch.Options{}
	if uc.legit.a.credentials {
		opts.Credentials = fetch.CredentialsInclude
	}
	vs := a.pageVerdicts(ctx, uc, a.cfg.Origin, first.method, first.header, opts, &replay{main: uc.legit, preflight: first.res},
		"The preflight passes and the request is sent.")
	a.add(Finding{Class: c, Severity: t.severity, URL: uc.u.String(), Probe: *first.res.x, Title: t.title,
		Detail: fmt.Sprintf("Preflights from %s: %s. Verdicts for the first (%s): %s", a.cfg.Origin, strings.Join(lines, "; "), first.what, failDigest(vs)),
		Fix:    t.fix, Verdicts: vs})
}

// refusedByAny reports whether the answer to a 2xx preflight with CORS
// fields fails the request in any profile: at the preflight, so that the
// request is never sent.
func (a *auditor) refusedByAny(ctx context.Context, uc *urlCheck, s preflightSeen) bool {
	for _, p := range a.profiles {
		rp := &replay{main: uc.legit, preflight: s.res}
		a.browse(ctx, p, a.cfg.Origin, uc.u, s.method, s.header, fetch.Options{}, rp)
		if !slices.ContainsFunc(rp.sent, func(r *http.Request) bool { return r.Method == s.method }) {
			return true
		}
	}
	return false
}

// failDigest lists the profiles in which the fetch fails, with the
// reasons.
func failDigest(vs []Verdict) string {
	var parts []string
	for _, v := range vs {
		if v.Readable {
			parts = append(parts, v.Profile+" passes")
		} else {
			parts = append(parts, v.Profile+" fails ("+v.Reason+")")
		}
	}
	return strings.Join(parts, ", ") + "."
}

// checkMaxAge reports an Access-Control-Max-Age above the cap of any
// profile: the engine keeps the preflight for its cap only.
func (a *auditor) checkMaxAge(uc *urlCheck, s preflightSeen) {
	var capped []string
	vs := make([]Verdict, 0, len(a.profiles))
	for _, p := range a.profiles {
		limit := p.PreflightCache.MaxAgeLimit
		v := Verdict{Profile: p.Name, Readable: true, CookiesSent: []string{}}
		if limit > 0 && s.res.a.maxAge > limit {
			capped = append(capped, fmt.Sprintf("%s %s", p.Name, durationText(limit)))
			v.Summary = fmt.Sprintf("Caches the preflight for %s, its cap, not %s.", durationText(limit), durationText(s.res.a.maxAge))
		} else {
			v.Summary = fmt.Sprintf("Caches the preflight for %s.", durationText(s.res.a.maxAge))
		}
		vs = append(vs, v)
	}
	if len(capped) == 0 {
		return
	}
	a.add(Finding{Class: MaxAgeAboveCap, Severity: Info, URL: uc.u.String(), Probe: *s.res.x,
		Title:    fmt.Sprintf("Access-Control-Max-Age %d is above what browsers keep", int64(s.res.a.maxAge/time.Second)),
		Detail:   "Each engine caps how long it keeps a preflight: " + strings.Join(capped, ", ") + ". The longer value does nothing there; a change to the CORS policy reaches those browsers within their cap.",
		Fix:      "Send a Max-Age no longer than you can wait for a policy change to reach every browser; 7200 (Chrome's cap) at most, 600 for Safari's.",
		Verdicts: vs})
}

// checkSlash asks for the URL with its trailing slash toggled: a framework
// that redirects the other form before CORS runs traps the page that calls
// it.
func (a *auditor) checkSlash(ctx context.Context, uc *urlCheck) {
	if uc.legit.a.redirect() || uc.u.Path == "" || uc.u.Path == "/" {
		return
	}
	alt := uc.u.Path + "/"
	if strings.HasSuffix(uc.u.Path, "/") {
		alt = strings.TrimSuffix(uc.u.Path, "/")
	}
	altURL := urlWithPath(uc.u, alt)
	res := uc.p.send(ctx, probeSpec{method: http.MethodGet, url: altURL, origin: a.cfg.Origin.String(), cookies: true, what: "the URL with its trailing slash toggled"})
	if !res.ok() || !res.a.redirect() || res.a.allowOriginCount > 0 {
		return
	}
	a.add(Finding{Class: RedirectBeforeCORS, Severity: Low, URL: uc.u.String(), Probe: *res.x,
		Title: fmt.Sprintf("%s redirects (%d) to %s without CORS fields", altURL, res.a.status, res.a.location),
		Detail: "The server redirects the other form of the URL (trailing slash toggled) before its CORS layer answers: a page that calls that form fails, " +
			"with a console message about Access-Control-Allow-Origin, not the redirect.",
		Fix:      "Turn trailing-slash redirects off for the API, or let the CORS layer answer before routing so that the redirect carries the CORS fields.",
		Verdicts: a.pageVerdicts(ctx, &urlCheck{u: mustParseURL(altURL)}, a.cfg.Origin, http.MethodGet, nil, fetch.Options{}, &replay{main: res}, "The fetch follows the redirect."),
	})
}

// checkLNA reports a server on a local or loopback address: with an answer
// any origin reads, a public page reads it wherever Local Network Access
// lets it (WebKit checks nothing); otherwise what public pages meet.
func (a *auditor) checkLNA(ctx context.Context, uc *urlCheck) {
	space, addr := a.serverSpace(ctx, uc.u.Hostname())
	if space != fetch.AddressSpaceLocal && space != fetch.AddressSpaceLoopback {
		return
	}
	open := uc.arb.ok() && (uc.arb.a.wildcard() || uc.arb.a.allows(arbitraryOrigin(uc.u.Scheme)))
	res := uc.legit
	if open {
		res = uc.arb
	}
	vs := a.lnaVerdicts(ctx, uc, res, addr)
	sev, title := Info, fmt.Sprintf("The server is on a %s address: public pages need the user's permission", space)
	detail := "Chrome and Firefox ask the user before a page on a public address reaches a " + space.String() + " server (Local Network Access); " +
		"the server's CORS answer refuses other origins, so a page that is granted access still reads nothing it should not."
	if open {
		sev = Medium
		if slices.ContainsFunc(vs, func(v Verdict) bool { return v.Readable }) {
			sev = High
		}
		title = fmt.Sprintf("A %s server answers any origin: it trusts its network position", space)
		detail = "Any origin reads this server's answers by CORS; only Local Network Access stands between a public page and them, and WebKit does not check it. " +
			"Whatever the server gives callers on its network, an attacker's page reads in those browsers, and in the others once a user grants the permission."
	}
	a.add(Finding{Class: LocalNetworkAccess, Severity: sev, URL: uc.u.String(), Probe: *res.x, Title: title,
		Detail:   detail + " " + verdictDigest(vs),
		Fix:      "Allow-list the origins of your own pages instead of any origin, and require a secret a public page cannot get (a per-install token) for anything a local server should not give the web.",
		Verdicts: vs})
}

// serverSpace returns the server's address space, from the configuration
// or from the least public address the host resolves to, and that address.
func (a *auditor) serverSpace(ctx context.Context, host string) (fetch.AddressSpace, netip.Addr) {
	if s := a.cfg.ServerAddressSpace; s != fetch.AddressSpaceUnknown {
		addr := map[fetch.AddressSpace]netip.Addr{fetch.AddressSpacePublic: netip.MustParseAddr("192.0.2.1"),
			fetch.AddressSpaceLocal: netip.MustParseAddr("10.0.0.1"), fetch.AddressSpaceLoopback: netip.MustParseAddr("127.0.0.1")}[s]
		return s, addr
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		addrs = []netip.Addr{ip}
	} else {
		var r fetch.Resolver = net.DefaultResolver
		if a.cfg.Resolver != nil {
			r = a.cfg.Resolver
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		addrs, _ = r.LookupNetIP(ctx, "ip", host)
	}
	best, bestAddr := fetch.AddressSpaceUnknown, netip.Addr{}
	for _, ad := range addrs {
		s := fetch.AddressesChromium.Classify(ad)
		if best == fetch.AddressSpaceUnknown || s > best {
			best, bestAddr = s, ad
		}
	}
	return best, bestAddr
}

// lnaVerdicts runs, per profile, a fetch from a page on a public address
// to the server at addr: from an https page at the arbitrary attacker
// origin, and from an http one, and keeps the better for the attacker (a
// read, else a block the user can lift, else the other failure). Which
// one gets through differs: an https page's fetch of an http URL is mixed
// content unless the URL names a local address, while Chrome fails an
// http page's local network requests outright.
func (a *auditor) lnaVerdicts(ctx context.Context, uc *urlCheck, res *result, addr netip.Addr) []Verdict {
	var out []Verdict
	for _, p := range a.profiles {
		var best Verdict
		rank := -1
		for _, scheme := range []string{"https", "http"} {
			v, r := a.lnaFetch(ctx, uc, p, scheme, res, addr)
			if r > rank {
				best, rank = v, r
			}
		}
		out = append(out, best)
	}
	return out
}

// lnaFetch runs one fetch of lnaVerdicts, from a public page at the
// arbitrary origin with the scheme, and ranks the outcome: 2 read, 1
// blocked by Local Network Access, 0 another failure.
func (a *auditor) lnaFetch(ctx context.Context, uc *urlCheck, p fetch.Profile, scheme string, res *result, addr netip.Addr) (Verdict, int) {
	b := &fetch.Browser{Profile: p, Base: &replay{main: res}, NoHTTPCache: true, Resolver: staticResolver{addr}}
	t := b.Page(origin.MustParse(arbitraryOrigin(scheme)))
	t.PageAddressSpace = fetch.AddressSpacePublic
	v := Verdict{Profile: p.Name, CookiesSent: []string{}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, uc.u.String(), http.NoBody)
	resp, err := t.RoundTrip(req)
	var fe *fetch.Error
	switch {
	case err == nil:
		resp.Body.Close()
		v.Readable = true
		v.Summary = fmt.Sprintf("A public %s page reads the answer: no Local Network Access check stops it.", scheme)
		return v, 2
	case asFetchError(err, &fe) && fe.AddressSpace != fetch.AddressSpaceUnknown && fe.Reason == fetch.ReasonLocalNetworkAccessDenied:
		v.Reason = string(fe.Reason)
		v.Summary = fmt.Sprintf("Blocked unless the user grants the page the %s-network permission: %s", yes(fe.AddressSpace == fetch.AddressSpaceLocal, "local", "loopback"), fe.Error())
		return v, 1
	}
	v.Reason = reasonOf(fetchOnce{other: err})
	if fe != nil {
		v.Reason = string(fe.Reason)
	}
	v.Summary = "A public page cannot read the answer: " + err.Error()
	return v, 0
}

// staticResolver resolves every name to one address.
type staticResolver struct{ addr netip.Addr }

// LookupNetIP returns the address.
func (r staticResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{r.addr}, nil
}

// durationText writes a whole number of hours, minutes or seconds.
func durationText(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d s", d/time.Second)
}
