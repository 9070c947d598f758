//go:build unix

package main

import (
	"fmt"
	"reflect"
)

// method is the file's "method" paragraph.
const method = "Recorded with the command conformance/cmd/hostchars of this repository, as root, one engine at a time: " +
	"go run ./conformance/cmd/hostchars -engine ENGINE -out audit/hostchars.json, for ENGINE chromium, firefox and webkit " +
	"(fresh headless browsers from the launchers of conformance/recorder: Chromium, Firefox ESR, WebKitGTK's MiniBrowser under Xvfb). " +
	"For each candidate character C, a page computes new URL(\"https://target.example\" + C + \".attacker.test/\"): " +
	"url_host and url_origin, or url_error (the exception's name and message); host_kept is true when url_host is target.example, " +
	"then something (C or what the parser made of it), then .attacker.test. " +
	"Then the tab is sent (location.href) to http://target.example{C}.attacker.test/hc/probe?i=N, whose page fetch()es " +
	"http://target.example/hc/api in cors mode; the command answers with Access-Control-Allow-Origin set to the Origin received, " +
	"and the page sends the tab back. This is done twice, each time in fresh browsers. The top-level load fields are the direct pass: " +
	"the browser resolves the names itself, through a DNS server of the command that answers every name under attacker.test " +
	"(as an attacker's wildcard record would), the browser running in mount and network namespaces of its own whose /etc/resolv.conf names that server; " +
	"this is what a browser without a proxy does, with the resolver of the machine's system where the engine uses it (Firefox and WebKitGTK " +
	"call glibc's getaddrinfo on Linux, which may refuse a name another system's resolver would look up; Chromium first applies checks of its own). " +
	"The \"proxied\" fields are the pass through an HTTP proxy of the command, which " +
	"receives every name as the browser writes it and resolves nothing: what a browser behind a proxy that forwards any name would do. " +
	"Each engine's \"direct\" and \"proxy\" say how. In both: navigation is \"loaded\", the exception location.href threw, that nothing " +
	"came back within the step timeout (3 s; a fresh browser then goes on with the next character), or that the page ran at an origin " +
	"whose host its request did not name; dns_queries: the names under target.example and attacker.test whose addresses (A, AAAA) the browser asked the " +
	"DNS server for while at that character (null through the proxy); page_loaded: the page's script ran and its request named the host of its origin, so that the attacker's " +
	"server is the one asked for it; page_host and page_request: the Host header and request target of the page's request; " +
	"page_origin: self.origin in the page; fetch_seen: the fetch reached the command; fetch_result: what fetch() gave; " +
	"origin_sent: the fetch's Origin header as received (\"\" when none); attacker_usable: page_loaded and origin_sent is " +
	"http://target.example<X>.attacker.test, the page's host, with X (sent_as: the character as the engine writes it in the host) not empty. " +
	"Load fields are null or empty for a pass not recorded. Characters are JSON strings; code_point names them."

// makeLoad returns the load fields of what the server saw of one page
// load; direct tells whether the browser resolved the names itself. The
// page counts as loaded when its script ran and its request named the host
// of its origin: a page that runs at one origin but was asked of another
// host is not a page the attacker's server serves.
func makeLoad(ld load, direct bool) Load {
	var l Load
	ran := ld.reported && ld.navError == ""
	sameHost := ld.pageHost == originHost(ld.pageOrigin)
	switch {
	case ran && sameHost:
		l.Navigation = "loaded"
	case ran:
		l.Navigation = fmt.Sprintf("the page's script ran at origin %q, but its request named host %q (Host header): "+
			"the page is asked of that host", ld.pageOrigin, ld.pageHost)
	case ld.navError != "":
		l.Navigation = "location.href threw " + ld.navError
	case ld.stuck && ld.pageRequested:
		l.Navigation = "the page was requested but nothing came back within the step timeout"
	case ld.stuck:
		l.Navigation = "no request for the page, nothing came back within the step timeout"
	default:
		l.Navigation = "not tried"
	}
	if direct {
		l.DNSQueries = append([]string{}, ld.dnsQueries...)
	}
	loaded := ran && sameHost
	l.PageLoaded = &loaded
	l.PageHost, l.PageRequest, l.PageOrigin = ld.pageHost, ld.pageTarget, ld.pageOrigin
	seen := ld.apiSeen
	l.FetchSeen = &seen
	l.FetchResult = ld.fetchResult
	l.OriginSent = ld.origin
	if loaded && seen && ld.pageHost == originHost(ld.origin) {
		l.SentAs = keptAs(ld.pageHost)
	}
	usable := l.SentAs != ""
	l.AttackerUsable = &usable
	return l
}

// engine returns the engine's results from its passes, and warnings: the
// passes' new URL() results differ, or a pass recorded another number of
// characters.
func (p passes) engine(version, date string, chars []string) (*Engine, []string) {
	e := &Engine{Version: version, Recorded: date, Direct: p.directSetup, Proxy: p.proxySetup, Characters: []Char{}}
	var parsed []parsed
	var warnings []string
	for _, r := range []*passResult{p.direct, p.proxied, p.parseOnly} {
		switch {
		case r == nil:
		case len(r.Parsed) != len(chars) || (r.Loads != nil && len(r.Loads) != len(chars)):
			warnings = append(warnings, fmt.Sprintf("a pass recorded %d characters parsed and %d loaded, not %d", len(r.Parsed), len(r.Loads), len(chars)))
		case parsed == nil:
			parsed = r.Parsed
		case !reflect.DeepEqual(parsed, r.Parsed):
			warnings = append(warnings, "the passes' new URL() results differ; the first pass's are kept")
		}
	}
	for i, c := range chars {
		ch := Char{Char: c, CodePoint: codePoint(c)}
		if i < len(parsed) {
			ch.URLHost, ch.URLOrigin, ch.URLError = parsed[i].Host, parsed[i].Origin, parsed[i].Error
		}
		ch.HostKept = keptAs(ch.URLHost) != ""
		if p.direct != nil && i < len(p.direct.Loads) {
			ch.Load = p.direct.Loads[i]
		}
		if p.proxied != nil && i < len(p.proxied.Loads) {
			ch.Proxied = p.proxied.Loads[i]
		}
		e.Characters = append(e.Characters, ch)
	}
	return e, warnings
}

// summary returns, one line each, the characters an attacker can use
// directly and through the proxy, and those only new URL() keeps in the
// host.
func summary(e *Engine) []string {
	var direct, proxied, parsedOnly []string
	for _, c := range e.Characters {
		if usable(c.Load) {
			direct = append(direct, fmt.Sprintf("%q as %q", c.Char, c.SentAs))
		}
		if usable(c.Proxied) {
			proxied = append(proxied, fmt.Sprintf("%q as %q", c.Char, c.Proxied.SentAs))
		}
		if c.HostKept && !usable(c.Load) && !usable(c.Proxied) {
			parsedOnly = append(parsedOnly, fmt.Sprintf("%q as %q", c.Char, keptAs(c.URLHost)))
		}
	}
	return []string{
		fmt.Sprintf("direct: page loads and Origin carries the character: %d %v", len(direct), direct),
		fmt.Sprintf("through the proxy: page loads and Origin carries the character: %d %v", len(proxied), proxied),
		fmt.Sprintf("kept in the host by new URL() only: %d %v", len(parsedOnly), parsedOnly),
	}
}

func usable(l Load) bool { return l.AttackerUsable != nil && *l.AttackerUsable }
