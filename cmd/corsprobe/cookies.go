package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"
)

// newJar returns an empty cookie jar that knows the Public Suffix List, as
// a browser's does.
func newJar() *cookiejar.Jar {
	jar, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		// cookiejar.New returns no error in any Go release; keep the
		// message if one ever does.
		panic("corsprobe: cookiejar.New: " + err.Error())
	}
	return jar
}

// parseCookieFlag parses a -cookie value, NAME=VALUE.
func parseCookieFlag(s string) (*http.Cookie, error) {
	name, value, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return nil, fmt.Errorf("-cookie %q: want NAME=VALUE", s)
	}
	c := &http.Cookie{Name: name, Value: strings.TrimSpace(value), Path: "/"}
	if err := c.Valid(); err != nil {
		return nil, fmt.Errorf("-cookie %q: %v", s, err)
	}
	return c, nil
}

// netscapeCookie is one line of a Netscape cookie file and the URL to set
// it for.
type netscapeCookie struct {
	url    *url.URL
	cookie *http.Cookie
}

// parseNetscape reads a cookie file in the Netscape format that curl,
// wget and browser extensions write: one cookie a line, seven tab-separated
// fields (domain, include subdomains, path, secure, expiry as Unix seconds
// with 0 for a session cookie, name, value). Lines starting with # are
// comments, except the prefix #HttpOnly_ that marks an HttpOnly cookie.
func parseNetscape(rd io.Reader, name string) ([]netscapeCookie, error) {
	var out []netscapeCookie
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		httpOnly := false
		if rest, ok := strings.CutPrefix(text, "#HttpOnly_"); ok {
			text, httpOnly = rest, true
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) == 6 {
			f = append(f, "") // an empty value, with the trailing tab trimmed
		}
		if len(f) != 7 {
			return nil, fmt.Errorf("%s:%d: want 7 tab-separated fields, found %d", name, line, len(f))
		}
		domain, sub, path, secure, expiry, cname, value := f[0], f[1], f[2], f[3], f[4], f[5], f[6]
		host := strings.TrimPrefix(domain, ".")
		if host == "" {
			return nil, fmt.Errorf("%s:%d: empty domain", name, line)
		}
		exp, err := strconv.ParseInt(expiry, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: expiry %q is not a number", name, line, expiry)
		}
		c := &http.Cookie{Name: cname, Value: value, Path: path, HttpOnly: httpOnly, Secure: strings.EqualFold(secure, "TRUE")}
		if strings.EqualFold(sub, "TRUE") {
			c.Domain = host
		}
		if exp > 0 {
			c.Expires = time.Unix(exp, 0)
		}
		if err := c.Valid(); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		scheme := "http"
		if c.Secure {
			scheme = "https"
		}
		if path == "" {
			path = "/"
		}
		out = append(out, netscapeCookie{url: &url.URL{Scheme: scheme, Host: host, Path: path}, cookie: c})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return out, nil
}
