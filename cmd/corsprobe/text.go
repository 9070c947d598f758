package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/corsfetch/corsfetch/fetch"
)

// style colours text with ANSI escapes when on is set.
type style struct{ on bool }

func (s style) wrap(code, text string) string {
	if !s.on {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) bold(t string) string   { return s.wrap("1", t) }
func (s style) dim(t string) string    { return s.wrap("2", t) }
func (s style) red(t string) string    { return s.wrap("1;31", t) }
func (s style) green(t string) string  { return s.wrap("1;32", t) }
func (s style) yellow(t string) string { return s.wrap("33", t) }
func (s style) cyan(t string) string   { return s.wrap("36", t) }

// colourFor reports whether output to f should be coloured: f is a
// terminal and NO_COLOR (https://no-color.org) is unset or empty.
func colourFor(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// textWriter renders reports for people. The format is not stable; the
// JSON document is.
type textWriter struct {
	w       io.Writer
	s       style
	verbose bool
}

// report writes r: the call, every step, the verdict, fixes, warnings,
// notes, the reflection check and the Vary check.
func (tw *textWriter) report(r *Report) {
	w, s := tw.w, tw.s
	fmt.Fprintf(w, "%s %s (%s) calls\n", s.bold("Page"), r.Origin, r.Browser)
	fmt.Fprintf(w, "  %s\n", fetchCall(r.Request))
	if r.LNA != nil {
		tw.lnaSummary(r.LNA)
	}
	fmt.Fprintln(w)
	for _, st := range r.Steps {
		tw.step(st, r.Request.Headers)
	}
	if len(r.Steps) > 0 {
		fmt.Fprintln(w)
	}
	tw.verdict(r)
	tw.list(s.bold("Fix:"), "-", r.Fixes)
	var warns []string
	for _, x := range r.Warnings {
		warns = append(warns, x.Message+" "+s.dim("["+x.Code+"]"))
	}
	tw.list(s.yellow("Warnings:"), s.yellow("!"), warns)
	tw.list(s.bold("Notes:"), "-", r.Notes)
	if rc := r.ReflectionCheck; rc != nil {
		fmt.Fprintf(w, "%s sent the same request from the made-up origin %s (%d %s sent, no cookies): %s.\n",
			s.bold("Reflection check:"), rc.Origin, rc.Requests, plural(rc.Requests, "request"), rc.Detail)
	}
	if vc := r.VaryCheck; vc != nil {
		fmt.Fprintf(w, "%s the answer may be reused from the browser's cache (%s) and lacks Vary: Origin, so corsprobe sent the same %s without Origin, "+
			"as an <img> or a no-cors fetch() would (%d %s sent, no cookies): %s.\n",
			s.bold("Vary check:"), vc.Cacheable, r.Request.Method, vc.Requests, plural(vc.Requests, "request"), vc.Detail)
	}
}

// fetchCall writes the fetch() call a page would make for req, leaving out
// the options at fetch()'s defaults.
func fetchCall(req RequestSummary) string {
	var opts []string
	if req.Method != http.MethodGet {
		opts = append(opts, "method: "+strconv.Quote(req.Method))
	}
	if len(req.Headers) > 0 {
		var hs []string
		for _, name := range slices.Sorted(mapKeys(req.Headers)) {
			for _, v := range req.Headers[name] {
				hs = append(hs, strconv.Quote(name)+": "+strconv.Quote(v))
			}
		}
		opts = append(opts, "headers: {"+strings.Join(hs, ", ")+"}")
	}
	if req.BodyBytes > 0 {
		opts = append(opts, fmt.Sprintf("body: /* %d %s */", req.BodyBytes, plural(req.BodyBytes, "byte")))
	}
	if req.Mode != fetch.ModeCORS.String() {
		opts = append(opts, "mode: "+strconv.Quote(req.Mode))
	}
	if req.Credentials != fetch.CredentialsSameOrigin.String() {
		opts = append(opts, "credentials: "+strconv.Quote(req.Credentials))
	}
	if req.Redirect != fetch.RedirectFollow.String() {
		opts = append(opts, "redirect: "+strconv.Quote(req.Redirect))
	}
	if req.TargetAddressSpace != "" {
		opts = append(opts, "targetAddressSpace: "+strconv.Quote(req.TargetAddressSpace))
	}
	if len(opts) == 0 {
		return "fetch(" + strconv.Quote(req.URL) + ")"
	}
	return "fetch(" + strconv.Quote(req.URL) + ", {" + strings.Join(opts, ", ") + "})"
}

func mapKeys(h http.Header) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range h {
			if !yield(k) {
				return
			}
		}
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// step writes one step; userHeaders are the names the page set, which
// matter in the request and are always shown.
func (tw *textWriter) step(st Step, userHeaders http.Header) {
	w, s := tw.w, tw.s
	switch st.Kind {
	case kindDroppedHeader:
		d := st.DroppedHeader
		hint := ""
		if strings.EqualFold(d.Name, "Cookie") {
			hint = " (give cookies with -cookie or -cookie-file)"
		}
		fmt.Fprintf(w, "%s header %s: %s is not sent: %s%s\n", s.yellow("!"), d.Name, d.Value, d.Why, hint)
	case kindCacheLookup:
		l := st.CacheLookup
		need := l.Method
		if len(l.Headers) > 0 {
			need = strings.TrimPrefix(need+", "+strings.Join(l.Headers, ", "), ", ")
		}
		switch {
		case l.Bypassed:
			fmt.Fprintf(w, "%s not consulted (the request's cache mode bypasses it); needs %s\n", s.dim("preflight cache:"), need)
		case l.Result == "hit":
			fmt.Fprintf(w, "%s %s for %s: no preflight sent\n", s.dim("preflight cache:"), s.green("hit"), need)
		default:
			fmt.Fprintf(w, "%s %s for %s\n", s.dim("preflight cache:"), l.Result, need)
		}
	case kindCacheStore:
		c := st.CacheStore
		fmt.Fprintf(w, "%s methods [%s], headers [%s] for %s\n", s.dim("preflight cached:"),
			strings.Join(c.Methods, ", "), strings.Join(c.Headers, ", "), formatSeconds(c.MaxAgeSeconds))
	case kindRedirect:
		r := st.Redirect
		fmt.Fprintf(w, "%s %d to %s (next request: %s)\n", s.dim("redirect:"), r.Status, r.To, r.Method)
	case kindExchange:
		x := st.Exchange
		tag := ""
		if x.Preflight {
			tag = "  " + s.dim("[preflight]")
		}
		fmt.Fprintf(w, "%s %s %s%s\n", s.cyan("->"), s.bold(x.Request.Method), x.Request.URL, tag)
		for _, name := range slices.Sorted(mapKeys(x.Request.Headers)) {
			if tw.verbose || requestHeaderMatters(name) || userHeaders[name] != nil {
				for _, v := range x.Request.Headers[name] {
					fmt.Fprintf(w, "     %s: %s\n", name, v)
				}
			}
		}
		if x.Response == nil {
			fmt.Fprintf(w, "%s %s\n", s.cyan("<-"), s.red("no response"))
			return
		}
		fmt.Fprintf(w, "%s %s\n", s.cyan("<-"), s.bold(statusLine(x.Response.Status)))
		shown := 0
		for _, name := range slices.Sorted(mapKeys(x.Response.Headers)) {
			if tw.verbose || responseHeaderMatters(name) {
				for _, v := range x.Response.Headers[name] {
					fmt.Fprintf(w, "     %s: %s\n", name, v)
					shown++
				}
			}
		}
		if shown == 0 {
			fmt.Fprintf(w, "     %s\n", s.dim("(no CORS headers)"))
		}
	}
}

func formatSeconds(sec float64) string {
	return strconv.FormatFloat(sec, 'f', -1, 64) + " s"
}

func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

// requestHeaderMatters reports whether a request header is shown without
// -v: the ones CORS decisions depend on.
func requestHeaderMatters(name string) bool {
	switch name {
	case "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Cookie", "Content-Type", "Authorization":
		return true
	}
	return false
}

// responseHeaderMatters reports whether a response header is shown without
// -v.
func responseHeaderMatters(name string) bool {
	switch name {
	case "Vary", "Location", "Set-Cookie":
		return true
	}
	return strings.HasPrefix(name, "Access-Control-")
}

// verdict writes what script gets.
func (tw *textWriter) verdict(r *Report) {
	w, s := tw.w, tw.s
	v := r.Verdict
	switch v.Outcome {
	case outcomeAllowed:
		resp := v.Response
		fmt.Fprintf(w, "%s  script reads the response: type %q, status %d, %d %s of body\n",
			s.green("ALLOWED"), resp.Type, resp.Status, resp.BodyBytes, plural(int(resp.BodyBytes), "byte"))
		if resp.Redirected {
			fmt.Fprintf(w, "  url: %s (redirected: %s)\n", resp.URL, strings.Join(resp.URLList, " -> "))
		}
		var vis []string
		for _, name := range slices.Sorted(mapKeys(resp.Headers)) {
			for _, val := range resp.Headers[name] {
				vis = append(vis, name+": "+val)
			}
		}
		fmt.Fprintf(w, "  headers script can read: %s\n", orNone(strings.Join(vis, "; ")))
		var hidden []string
		for _, h := range resp.HiddenHeaders {
			if tw.verbose || !boringHidden[h] {
				hidden = append(hidden, h)
			}
		}
		if len(hidden) > 0 {
			fmt.Fprintf(w, "  hidden from script: %s\n", strings.Join(hidden, ", "))
		}
	case outcomeBlocked:
		e := v.Error
		where := ""
		if e.Preflight {
			where = " (on the preflight)"
		}
		says := "The console says:"
		if e.consoleOf != "" && e.consoleOf != r.Browser {
			// The Spec profile's failures, and those the profile's
			// engine logs no line for, are worded as Chrome words them.
			says = "The console says (in " + e.consoleOf + "'s words):"
		}
		fmt.Fprintf(w, "%s  fetch() rejects with a TypeError; reason %s%s. %s\n", s.red("BLOCKED"), s.bold(e.Reason), where, says)
		fmt.Fprintf(w, "  %s\n", e.Console)
		if why := lnaVerdict(r); why != "" {
			fmt.Fprintf(w, "  %s\n", why)
		}
	default:
		fmt.Fprintf(w, "%s  %s\n", s.red("NETWORK ERROR"), v.Error.Console)
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// list writes a titled bulleted list, nothing when items is empty.
func (tw *textWriter) list(title, bullet string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(tw.w, title)
	for _, it := range items {
		fmt.Fprintf(tw.w, "  %s %s\n", bullet, it)
	}
}

// lnaSummary writes the Local Network Access check: the page's address
// space and why, in one line, then whether the fetch is a local network
// request and the permission it needs.
func (tw *textWriter) lnaSummary(l *LNA) {
	w, s := tw.w, tw.s
	assumed := ""
	if l.PageSpaceSource == spaceFromDefault {
		assumed = "assumed "
	}
	fmt.Fprintf(w, "%s page %s%s: %s.\n", s.bold("Local Network Access:"), assumed, l.PageAddressSpace, l.PageSpaceReason)
	at := ""
	if l.ServerAddress != "" {
		at = " (" + l.ServerAddress + ")"
	}
	spaces := fmt.Sprintf("the server%s is %s, the page %s", at, l.ServerAddressSpace, l.PageAddressSpace)
	switch {
	case !l.LocalNetworkRequest && l.exempt:
		fmt.Fprintf(w, "  Not a local network request: %s, but the URL is the page's own origin.\n", spaces)
	case !l.LocalNetworkRequest:
		fmt.Fprintf(w, "  Not a local network request: %s.\n", spaces)
	case !l.SecureContext:
		fmt.Fprintf(w, "  A local network request: %s; it needs the %s permission, which a page that is not a secure context cannot be granted.\n", spaces, l.Permission)
	case l.Granted:
		fmt.Fprintf(w, "  A local network request: %s; it needs the %s permission, %s (-grant).\n", spaces, l.Permission, s.green("granted"))
	default:
		fmt.Fprintf(w, "  A local network request: %s; it needs the %s permission, %s.\n", spaces, l.Permission, s.red("not granted"))
	}
}

// lnaVerdict explains a failure of the Local Network Access check in a
// sentence or two, and returns "" for another failure.
func lnaVerdict(r *Report) string {
	e, l := r.Verdict.Error, r.LNA
	if l == nil || !isLNAReason(fetch.Reason(e.Reason)) {
		return ""
	}
	sent := "Nothing was sent to " + l.ServerURL
	if e.Cause != "" {
		sent = "The request went out, but " + e.Cause + "; the browser returns nothing of the response"
	}
	switch fetch.Reason(e.Reason) {
	case fetch.ReasonLocalNetworkAccessDenied:
		return fmt.Sprintf("%s: %s asks the user for the %s permission before the request, or its preflight, goes out, and the page does not hold it. "+
			"A headless browser never answers the prompt, and a prompt dismissed or left unanswered counts as a denial.", sent, browserName(r), l.Permission)
	case fetch.ReasonInsecureLocalNetwork:
		return fmt.Sprintf("%s: the page is not a secure context, so %s fails a local network request without asking the user; "+
			"no permission can allow it until the page is served over https.", sent, browserName(r))
	}
	return fmt.Sprintf("%s: the fetch declared targetAddressSpace %q and the server is %s; %s fails the fetch when the two differ.",
		sent, e.Value, l.ServerAddressSpace, browserName(r))
}
