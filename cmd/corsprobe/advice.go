package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// code quotes a header line or value as the output quotes them.
func code(s string) string { return "`" + s + "`" }

// fixes returns what to change, most often on the server, to make the
// blocked fetch of r work. It is derived from the failure's reason and
// value and from the exchanges; it is empty when the fetch was allowed or
// failed on the network.
func fixes(r *Report) []string {
	if r.Verdict.Error == nil || r.Verdict.Outcome != outcomeBlocked {
		return []string{}
	}
	f := newFailure(r)
	switch {
	case f.lnaFixes():
	case f.allowOriginFixes():
	case f.preflightFixes():
	default:
		f.requestFixes()
	}
	f.recipe()
	return f.out
}

// failure is a blocked fetch as fixes sees it, and the fixes found so far.
type failure struct {
	r *Report
	e *FetchError
	// x is the exchange whose response failed the fetch, or nil.
	x *Exchange
	// include is set when the credentials mode is include.
	include bool
	// sent is the Origin request header the failing response answered:
	// the page's origin, or "null" after a cross-origin redirect.
	sent string
	// where names the failing response in a sentence.
	where string
	// status is the failing response's status, 0 without one.
	status int
	// tainted is set when the browser sent Origin: null for a page with
	// an origin, because of a redirect from another origin.
	tainted bool
	out     []string
}

// newFailure describes the blocked fetch of r.
func newFailure(r *Report) *failure {
	e := r.Verdict.Error
	f := &failure{
		r:       r,
		e:       e,
		x:       failedExchange(r),
		include: r.Request.Credentials == fetch.CredentialsInclude.String(),
		sent:    r.Origin,
		where:   "the response from " + e.URL,
	}
	if f.x != nil {
		if o := f.x.Request.Headers.Get("Origin"); o != "" {
			f.sent = o
		}
		if f.x.Response != nil {
			f.status = f.x.Response.Status
		}
	}
	if e.Preflight {
		f.where = "the preflight response (OPTIONS " + e.URL + ")"
	}
	f.tainted = f.sent == "null" && r.Origin != "null"
	return f
}

// add appends a fix, formatted as fmt.Sprintf does.
func (f *failure) add(format string, args ...any) {
	f.out = append(f.out, fmt.Sprintf(format, args...))
}

// allowOrigin is the Access-Control-Allow-Origin the failing response
// needs, with Access-Control-Allow-Credentials when credentials are
// included.
func (f *failure) allowOrigin() string {
	s := code("Access-Control-Allow-Origin: " + f.sent)
	if f.include {
		s += " and " + code("Access-Control-Allow-Credentials: true")
	}
	return s
}

// allowOriginFixes adds the fixes for a failed CORS check of
// Access-Control-Allow-Origin or -Credentials, and reports whether the
// failure was one.
func (f *failure) allowOriginFixes() bool {
	e := f.e
	switch fetch.Reason(e.Reason) {
	case fetch.ReasonMissingAllowOriginHeader:
		f.missingAllowOriginFixes()
	case fetch.ReasonMultipleAllowOriginValues:
		f.add("%s carries Access-Control-Allow-Origin %q, several values where exactly one is allowed: send only %s "+
			"(two layers adding the header, such as a proxy and the application, is the usual cause; remove one).",
			capitalize(f.where), e.Value, code("Access-Control-Allow-Origin: "+f.sent))
	case fetch.ReasonInvalidAllowOriginValue:
		f.add("%q is not an origin. Send the origin exactly as the request's Origin header has it: %s (scheme, host and port; no path, no trailing slash).",
			e.Value, code("Access-Control-Allow-Origin: "+f.sent))
	case fetch.ReasonAllowOriginMismatch:
		if f.tainted {
			f.add("%s allows %q, but the browser sent %s. %s", capitalize(f.where), e.Value, code("Origin: null"), capitalize(taintedFix(e.URL, f.include)))
			break
		}
		f.add("%s allows %q, but the request's origin is %q. Add %s to the server's allow-list and send %s with %s; "+
			"the comparison is byte for byte (scheme, host and port).",
			capitalize(f.where), e.Value, f.sent, f.sent, code("Access-Control-Allow-Origin: "+f.sent), code("Vary: Origin"))
	case fetch.ReasonWildcardOriginNotAllowed:
		f.add("%s cannot be used when the request includes credentials. Echo the request's origin instead, after checking it against an allow-list: "+
			"%s, with %s and %s on %s.",
			code("Access-Control-Allow-Origin: *"), code("Access-Control-Allow-Origin: "+f.sent),
			code("Access-Control-Allow-Credentials: true"), code("Vary: Origin"), f.where)
		f.add("If the page does not need cookies, it can fetch with credentials 'same-origin' (the default) or 'omit' and keep %s.", code("*"))
	case fetch.ReasonInvalidAllowCredentials:
		got := "none"
		if e.Value != "" {
			got = strconv.Quote(e.Value)
		}
		f.add("With credentials included, %s must carry %s (exactly, in lower case); it has %s.",
			f.where, code("Access-Control-Allow-Credentials: true"), got)
	default:
		return false
	}
	return true
}

// missingAllowOriginFixes adds the fixes for a response without
// Access-Control-Allow-Origin.
func (f *failure) missingAllowOriginFixes() {
	if f.tainted {
		f.add("%s", capitalize(taintedFix(f.e.URL, f.include)))
		return
	}
	f.add("Send %s on %s; when the value comes from an allow-list, add %s too.", f.allowOrigin(), f.where, code("Vary: Origin"))
	if !f.include {
		f.add("For a public resource fetched without credentials, %s works as well.", code("Access-Control-Allow-Origin: *"))
	}
	if f.e.Preflight && f.x != nil && f.x.Response != nil && (f.status < 200 || f.status > 299) {
		f.add("The preflight also got %s; it needs a 2xx status. OPTIONS must reach the CORS handling before method routing or authentication.", statusLine(f.status))
	}
}

// preflightFixes adds the fixes for a preflight that failed other than by
// its Access-Control-Allow-Origin, and reports whether the failure was
// one.
func (f *failure) preflightFixes() bool {
	e, x := f.e, f.x
	switch fetch.Reason(e.Reason) {
	case fetch.ReasonPreflightInvalidStatus:
		f.add("Answer the preflight (OPTIONS %s) with a 2xx status, usually 204 No Content; it got %s. "+
			"OPTIONS must reach the CORS handling before authentication or method routing.", e.URL, e.Value)
	case fetch.ReasonPreflightDisallowedRedirect:
		loc := ""
		if x != nil && x.Response != nil {
			loc = x.Response.Headers.Get("Location")
		}
		f.add("The preflight (OPTIONS %s) was answered with a redirect (%d to %q); browsers never follow a preflight's redirects. "+
			"Answer OPTIONS at that URL itself, or have the page request the URL the redirect leads to "+
			"(a missing trailing slash or an http-to-https redirect is the usual cause).", e.URL, f.status, loc)
	case fetch.ReasonInvalidAllowMethods:
		f.add("%s does not parse: it must be a comma-separated list of methods, such as %s.",
			code("Access-Control-Allow-Methods: "+e.Value), code("Access-Control-Allow-Methods: "+requested(x, "Method")))
	case fetch.ReasonInvalidAllowHeaders:
		f.add("%s does not parse: it must be a comma-separated list of header names, such as %s.",
			code("Access-Control-Allow-Headers: "+e.Value), code("Access-Control-Allow-Headers: "+requested(x, "Headers")))
	case fetch.ReasonMethodDisallowed:
		have := allowed(x, "Access-Control-Allow-Methods")
		f.add("Add %s to Access-Control-Allow-Methods on the preflight response (it has %s). Methods compare case-sensitively.", e.Value, have)
		if f.include && strings.Contains(have, "*") {
			f.add("With credentials, %s is not a wildcard but the method named \"*\": list the methods.", code("*"))
		}
	case fetch.ReasonHeaderDisallowed:
		f.headerDisallowedFixes()
	default:
		return false
	}
	return true
}

// headerDisallowedFixes adds the fixes for a request header the
// preflight response does not allow.
func (f *failure) headerDisallowedFixes() {
	have := allowed(f.x, "Access-Control-Allow-Headers")
	f.add("Add %s to Access-Control-Allow-Headers on the preflight response (it has %s); this request needs %s.",
		f.e.Value, have, code("Access-Control-Allow-Headers: "+requested(f.x, "Headers")))
	switch {
	case f.include && strings.Contains(have, "*"):
		f.add("With credentials, %s is not a wildcard but the header named \"*\": list the names.", code("*"))
	case f.e.Value == "authorization" && strings.Contains(have, "*"):
		f.add("%s does not cover Authorization in this profile: list it by name.", code("*"))
	}
}

// requestFixes adds the fixes for a failed redirect and for a request the
// browser refuses to make: any reason that is not about a CORS header.
func (f *failure) requestFixes() {
	e, r := f.e, f.r
	switch fetch.Reason(e.Reason) {
	case fetch.ReasonRedirectContainsCredentials:
		f.add("The redirect's Location %q has a user name or password, which browsers refuse for cross-origin requests: remove them from the Location.", e.Value)
	case fetch.ReasonTooManyRedirects:
		f.add("More than 20 redirects: %s is in a redirect loop (see the redirects above).", firstNonEmpty(e.InitialURL, e.URL))
	case fetch.ReasonRedirectModeError:
		f.add("The server redirected and the request's redirect mode is 'error': request the final URL directly, or fetch with redirect 'follow'.")
	case fetch.ReasonInvalidRedirectLocation:
		f.add("The Location %q is not a URL the browser can follow: send exactly one absolute or relative URL.", e.Value)
	case fetch.ReasonRedirectSchemeNotHTTP:
		f.add("The redirect goes to %q: browsers follow redirects only to http and https URLs.", e.Value)
	case fetch.ReasonDisallowedByMode:
		if r.Request.Mode == fetch.ModeNoCORS.String() {
			f.add("A no-cors request to another origin must use redirect 'follow'.")
		} else {
			f.add("Mode %q allows no request to another origin: fetch with mode 'cors' (the default) and have the server allow %s.", r.Request.Mode, r.Origin)
		}
	case fetch.ReasonCorsDisabledScheme, fetch.ReasonUnsupportedScheme:
		f.add("Fetch only http and https URLs.")
	default:
		// The request is one fetch() refuses before sending anything.
		f.add("fetch() throws before sending anything: this is the page's request to change, not the server.")
	}
}

// recipe adds, for a failed preflight, the preflight answer that would
// pass; not when the answer only lacked a 2xx status.
func (f *failure) recipe() {
	if !f.e.Preflight || f.x == nil {
		return
	}
	if f.status < 200 || f.status > 299 || fetch.Reason(f.e.Reason) != fetch.ReasonPreflightInvalidStatus {
		f.out = append(f.out, preflightRecipe(f.x, f.sent, f.include))
	}
}

// taintedFix explains Origin: null after a cross-origin redirect.
func taintedFix(u string, include bool) string {
	s := "the request was redirected from one origin to another, so the browser sends " + code("Origin: null") +
		" to " + u + " and compares Access-Control-Allow-Origin with \"null\". Have the page fetch " + u + " directly, so that its own origin is sent"
	if include {
		return s + " (with credentials, " + code("*") + " is not an option and allowing \"null\" would let any sandboxed page in)."
	}
	return s + ", or answer with " + code("Access-Control-Allow-Origin: *") + " if the resource is public."
}

// preflightRecipe is the answer that would pass this preflight.
func preflightRecipe(x *Exchange, sent string, include bool) string {
	parts := []string{code("Access-Control-Allow-Origin: " + sent)}
	if m := requested(x, "Method"); m != "" {
		parts = append(parts, code("Access-Control-Allow-Methods: "+m))
	}
	if h := requested(x, "Headers"); h != "" {
		parts = append(parts, code("Access-Control-Allow-Headers: "+h))
	}
	if include {
		parts = append(parts, code("Access-Control-Allow-Credentials: true"))
	}
	parts = append(parts, code("Vary: Origin"))
	return "A preflight answer that passes: status 204 with " + strings.Join(parts, ", ") + "."
}

// requested returns Access-Control-Request-<what> of the preflight x.
func requested(x *Exchange, what string) string {
	if x == nil {
		return ""
	}
	return x.Request.Headers.Get("Access-Control-Request-" + what)
}

// allowed returns the values of name in x's response, quoted, or "none".
func allowed(x *Exchange, name string) string {
	if x == nil || x.Response == nil || len(x.Response.Headers.Values(name)) == 0 {
		return "none"
	}
	return strconv.Quote(strings.Join(x.Response.Headers.Values(name), ", "))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// warnings returns the risky or fragile setups the exchanges of r show,
// whether the fetch was allowed or not. The reflection check adds its own.
func warnings(r *Report, b fetch.Profile) []Warning {
	out := []Warning{}
	seen := map[string]bool{}
	add := func(code, msg string) {
		if !seen[code+msg] {
			seen[code+msg] = true
			out = append(out, Warning{Code: code, Message: msg})
		}
	}
	for _, s := range r.Steps {
		x := s.Exchange
		if x == nil || x.Response == nil {
			continue
		}
		acao := x.Response.Headers.Get("Access-Control-Allow-Origin")
		if acao == "null" {
			add(warnNullAllowed, fmt.Sprintf("%s allows the origin \"null\": sandboxed iframes, data: URLs and pages after cross-origin redirects all send %s, "+
				"so any site can obtain that origin. Allow real origins only.", responseName(x), code("Origin: null")))
		}
		sentOrigin := x.Request.Headers.Get("Origin")
		if !x.Preflight && acao != "" && acao != "*" && acao == sentOrigin && !varyOrigin(x.Response.Headers) {
			add(warnMissingVary, fmt.Sprintf("%s echoes the request's Origin in Access-Control-Allow-Origin without %s: "+
				"a shared cache (CDN, proxy) or the browser's cache can hand this response to a page of another origin, which is then blocked. Add %s.",
				responseName(x), code("Vary: Origin"), code("Vary: Origin")))
		}
		if x.Preflight && b.PreflightCache.MaxAgeLimit > 0 {
			v := strings.TrimSpace(x.Response.Headers.Get("Access-Control-Max-Age"))
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > int64(b.PreflightCache.MaxAgeLimit/time.Second) {
				add(warnMaxAgeAboveCap, fmt.Sprintf("%s: %s is above %s's limit, so %s keeps the preflight result for %d s only "+
					"(limits: Chrome %d s, Firefox %d s, Safari %d s). A change to the CORS policy can take that long to reach browsers.",
					responseName(x), code("Access-Control-Max-Age: "+v), b.Name, b.Name, int64(b.PreflightCache.MaxAgeLimit/time.Second),
					int64(fetch.Chrome.PreflightCache.MaxAgeLimit/time.Second), int64(fetch.Firefox.PreflightCache.MaxAgeLimit/time.Second), int64(fetch.Safari.PreflightCache.MaxAgeLimit/time.Second)))
			}
		}
	}
	return out
}

// responseName names the response of x in a message.
func responseName(x *Exchange) string {
	if x.Preflight {
		return "The preflight response from " + x.Request.URL
	}
	return "The response from " + x.Request.URL
}

// varyOrigin reports whether h's Vary lists Origin (or is "*").
func varyOrigin(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			f = strings.TrimSpace(f)
			if strings.EqualFold(f, "origin") || f == "*" {
				return true
			}
		}
	}
	return false
}

// boringHidden are response headers that are hidden from script and that
// nobody wants to read from it: no hint to expose them.
var boringHidden = map[string]bool{
	"Date": true, "Server": true, "Vary": true, "Connection": true, "Keep-Alive": true,
	"Transfer-Encoding": true, "Set-Cookie": true, "Set-Cookie2": true, "Location": true,
	"Access-Control-Allow-Origin": true, "Access-Control-Allow-Credentials": true,
	"Access-Control-Allow-Methods": true, "Access-Control-Allow-Headers": true,
	"Access-Control-Expose-Headers": true, "Access-Control-Max-Age": true,
}

// notes returns observations that explain the outcome without being a fix
// or a warning.
func notes(r *Report, b fetch.Profile) []string {
	out := []string{}
	u, _ := url.Parse(r.Request.URL)
	cross := u != nil && !origin.FromURL(u).SameOrigin(origin.MustParse(r.Origin))
	lookup, preflight := false, false
	for _, s := range r.Steps {
		lookup = lookup || s.CacheLookup != nil
		preflight = preflight || s.Exchange != nil && s.Exchange.Preflight
		if l := s.CacheLookup; l != nil && l.Result == "hit" && !l.Bypassed {
			out = append(out, "The preflight cache held a fresh result that covers this request, so no preflight was sent.")
		}
	}
	if cross && r.Request.Mode == fetch.ModeCORS.String() && !lookup && len(r.Steps) > 0 {
		out = append(out, "No preflight: the method and headers are CORS-safelisted (a \"simple\" request), so the request went out directly.")
	}
	if r.Request.Cookies > 0 {
		sent := false
		for _, s := range r.Steps {
			if x := s.Exchange; x != nil && x.Request.Headers.Get("Cookie") != "" {
				sent = true
			}
		}
		if !sent && len(r.Steps) > 0 {
			why := "the credentials mode is not 'include'"
			switch {
			case r.Request.Credentials != fetch.CredentialsInclude.String() && cross:
			case !origin.FromURL(u).SameSite(origin.MustParse(r.Origin)) && b.Cookies.ThirdParty == fetch.ThirdPartyBlocked:
				why = "the request is cross-site and " + b.Name + " blocks third-party cookies (only Partitioned cookies set in this site's context are sent)"
			case !origin.FromURL(u).SameSite(origin.MustParse(r.Origin)) && b.Cookies.ThirdParty == fetch.ThirdPartyPartitioned:
				why = "the request is cross-site and " + b.Name + " keeps third-party cookies partitioned by the page's site, apart from the browser's own"
			case !origin.FromURL(u).SameSite(origin.MustParse(r.Origin)) && b.Cookies.ThirdParty == fetch.ThirdPartyNone:
				why = "the request is cross-site and " + b.Name + " sends no third-party cookies at all, Partitioned ones included"
			case !origin.FromURL(u).SameSite(origin.MustParse(r.Origin)):
				unset := "Lax"
				if b.Cookies.UnsetSameSiteIsNone {
					unset = "None"
				}
				why = "the request is cross-site, and only cookies with SameSite=None (and Secure) go with it; " + b.Name + " reads a cookie without SameSite as " + unset
			default:
				why = "their domain, path or Secure attribute does not match the URL"
			}
			out = append(out, "The cookies given were not sent: "+why+".")
		}
	}
	if v := r.Verdict.Response; v != nil && v.Type == fetch.TypeCORS.String() {
		var names []string
		for _, h := range v.HiddenHeaders {
			if !boringHidden[h] {
				names = append(names, h)
			}
		}
		if len(names) > 0 {
			list := names
			if x := lastExchange(r.Steps, false); x != nil && x.Response != nil {
				if have := x.Response.Headers.Values("Access-Control-Expose-Headers"); len(have) > 0 {
					list = append([]string{strings.Join(have, ", ")}, names...)
				}
			}
			out = append(out, "Script cannot read "+strings.Join(names, ", ")+"; for script to read a header, the server lists it in "+
				code("Access-Control-Expose-Headers: "+strings.Join(list, ", "))+".")
		}
	}
	return out
}
