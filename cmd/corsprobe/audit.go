package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// auditTimeout bounds a whole audit.
const auditTimeout = 10 * time.Minute

const auditUsage = `usage: corsprobe audit -origin ORIGIN [flags] URL...

corsprobe audit probes each URL for CORS misconfigurations (origins an
attacker can use, answers that break the legitimate page's calls, caching,
redirects, preflights, Local Network Access) and says, for each finding,
what Chrome, Firefox and Safari let a page do with it. It sends GET, HEAD
and OPTIONS requests only (unless -unsafe-methods), at most -max-requests
per URL, each -interval after the previous answer, and the cookies given only with the
legitimate origin's requests.

Exit status: 0 no finding at or above -fail-on, 1 one or more, 2 usage or
network error.

Flags:
`

// auditFlags are the flags of corsprobe audit.
type auditFlags struct {
	origin, browser, cookieFile, failOn, serverSpace string
	json, unsafe                                     bool
	maxRequests                                      int
	interval                                         time.Duration
	headers, cookies                                 multiFlag
}

// runAudit runs corsprobe audit with args and returns the exit status.
func runAudit(ctx context.Context, args []string, e *env) int {
	cfg, urls, af, err := parseAuditArgs(args, e)
	if errors.Is(err, flag.ErrHelp) {
		return exitAllowed
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "corsprobe audit: %v\n(run corsprobe audit -h for help)\n", err)
		return exitError
	}
	cfg.Base, cfg.Resolver = e.base, e.resolver
	ctx, cancel := context.WithTimeout(ctx, auditTimeout)
	defer cancel()
	r, err := audit.Run(ctx, *cfg, urls...)
	if err == nil && af.json {
		err = r.WriteJSON(e.stdout)
	} else if err == nil {
		err = r.WriteText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "corsprobe audit: %v\n", err)
		return exitError
	}
	for _, u := range r.URLs {
		if u.Error != "" {
			return exitError
		}
	}
	if af.failOn != "" {
		threshold, _ := audit.ParseSeverity(af.failOn)
		if len(r.AtLeast(threshold)) > 0 {
			return exitBlocked
		}
	}
	return exitAllowed
}

// parseAuditArgs parses the command line of corsprobe audit.
func parseAuditArgs(args []string, e *env) (*audit.Config, []string, *auditFlags, error) {
	fs := commandFlags(e, "corsprobe audit", auditUsage)
	af := &auditFlags{}
	fs.StringVar(&af.origin, "origin", "", "the legitimate page's `origin`, such as https://app.example (required)")
	fs.StringVar(&af.browser, "browser", "", "audit one browser `profile` only: chrome, firefox, safari or spec (default: Chrome, Chrome with third-party cookies allowed, Firefox and Safari)")
	fs.StringVar(&af.cookieFile, "cookie-file", "", "a Netscape-format cookie `file` (as curl -c writes) with the user's cookies")
	fs.Var(&af.cookies, "cookie", "a user's cookie for each URL's host, `NAME=VALUE`, optionally followed by Set-Cookie attributes ('; SameSite=None; Secure') (repeatable)")
	fs.Var(&af.headers, "H", "a `header` sent with every probe, \"Name: value\" (repeatable)")
	fs.BoolVar(&af.json, "json", false, "write the report as JSON (schema "+audit.Schema+")")
	fs.StringVar(&af.failOn, "fail-on", "", "exit 1 when a finding has this `severity` or above: info, low, medium or high (default: never)")
	fs.BoolVar(&af.unsafe, "unsafe-methods", false, "allow probes with methods other than GET, HEAD and OPTIONS (a simple POST from a refused origin)")
	fs.IntVar(&af.maxRequests, "max-requests", audit.DefaultMaxRequests, "the most `requests` sent per URL")
	fs.DurationVar(&af.interval, "interval", audit.DefaultInterval, "the least `time` between an answer and the next request")
	fs.StringVar(&af.serverSpace, "server-address-space", "", "the servers' address `space` for the Local Network Access finding: public, local or loopback (default: from their addresses)")
	urls, err := parsePositional(fs, args)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg, err := af.config(urls)
	return cfg, urls, af, err
}

// config checks the flags and returns the audit's configuration.
func (af *auditFlags) config(urls []string) (*audit.Config, error) {
	if len(urls) == 0 {
		return nil, errors.New("want one URL or more")
	}
	if af.origin == "" {
		return nil, errors.New("-origin is required: the origin of the page the server is meant to serve, such as https://app.example")
	}
	page, err := origin.Parse(af.origin)
	if err != nil || page.IsOpaque() {
		return nil, fmt.Errorf("-origin %q: want a tuple origin such as https://app.example", af.origin)
	}
	cfg := &audit.Config{Origin: page, UnsafeMethods: af.unsafe, MaxRequests: af.maxRequests, Interval: af.interval, Header: http.Header{}}
	if af.maxRequests <= 0 {
		return nil, fmt.Errorf("-max-requests %d: want 1 or more", af.maxRequests)
	}
	if af.interval <= 0 {
		cfg.Interval = -1
	}
	if af.browser != "" {
		p, err := profileNamed(af.browser)
		if err != nil {
			return nil, err
		}
		if p.Name == fetch.Safari.Name {
			p = audit.Safari
		}
		cfg.Profiles = []fetch.Profile{p}
	}
	if af.failOn != "" {
		if _, err := audit.ParseSeverity(af.failOn); err != nil {
			return nil, fmt.Errorf("-fail-on: %v", err)
		}
	}
	if af.serverSpace != "" {
		if cfg.ServerAddressSpace, err = parseSpace("server-address-space", af.serverSpace); err != nil {
			return nil, err
		}
	}
	for _, h := range af.headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("-H %q: want \"Name: value\"", h)
		}
		cfg.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	for _, raw := range urls {
		if _, err := parseTarget(raw); err != nil {
			return nil, err
		}
	}
	cfg.Cookies, err = af.userCookies(urls, page)
	return cfg, err
}

// userCookies returns the cookies of -cookie (one per URL host) and
// -cookie-file.
func (af *auditFlags) userCookies(urls []string, page origin.Origin) ([]cookiestore.Cookie, error) {
	var out []cookiestore.Cookie
	hosts := map[string]bool{}
	for _, raw := range urls {
		u, _ := url.Parse(raw)
		if hosts[u.Hostname()] {
			continue
		}
		hosts[u.Hostname()] = true
		for _, s := range af.cookies {
			c, err := cookieFromFlag(s, u, page)
			if err != nil {
				return nil, fmt.Errorf("-cookie %q: %v", s, err)
			}
			out = append(out, c)
		}
	}
	if af.cookieFile != "" {
		list, err := readCookieFile(af.cookieFile)
		if err != nil {
			return nil, fmt.Errorf("-cookie-file: %v", err)
		}
		out = append(out, list...)
	}
	return out, nil
}
