package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/origin"
)

// cookieStore returns the browser's cookie store, with the profile's
// limits, filled from -cookie, for u's host, and from -cookie-file, and how
// many cookies it was given; nil and 0 when neither flag was.
func (pf *probeFlags) cookieStore(u *url.URL, page origin.Origin, limits cookiestore.Limits) (*cookiestore.Store, int, error) {
	if len(pf.cookies) == 0 && pf.cookieFile == "" {
		return nil, 0, nil
	}
	store := cookiestore.New(&cookiestore.Options{Limits: limits})
	n := 0
	for _, s := range pf.cookies {
		c, err := cookieFromFlag(s, u, page)
		if err == nil {
			err = store.Import([]cookiestore.Cookie{c})
		}
		if err != nil {
			return nil, 0, fmt.Errorf("-cookie %q: %v", s, err)
		}
		n++
	}
	if pf.cookieFile != "" {
		list, err := readCookieFile(pf.cookieFile)
		if err == nil {
			if err = store.Import(list); err != nil {
				err = fmt.Errorf("%s: %v", pf.cookieFile, err)
			}
		}
		if err != nil {
			return nil, 0, fmt.Errorf("-cookie-file: %v", err)
		}
		n += len(list)
	}
	return store, n, nil
}

// cookieFromFlag parses a -cookie value: NAME=VALUE, optionally followed by
// attributes as in a Set-Cookie field ("id=1; SameSite=None; Secure"). The
// cookie is for u's host (host-only) unless a Domain attribute says
// otherwise, for Path / unless a Path attribute says otherwise, and a
// Partitioned one is in the partition of the page's site, as if set while
// the page embedded the URL.
func cookieFromFlag(s string, u *url.URL, page origin.Origin) (cookiestore.Cookie, error) {
	hc, err := http.ParseSetCookie(s)
	if err != nil {
		return cookiestore.Cookie{}, fmt.Errorf("want NAME=VALUE, optionally followed by Set-Cookie attributes such as '; SameSite=None; Secure' (%v)", err)
	}
	c := cookiestore.Cookie{Cookie: *hc, HostOnly: hc.Domain == ""}
	if c.HostOnly {
		c.Domain = u.Hostname()
	}
	if c.Path == "" {
		c.Path = "/"
	}
	if c.Partitioned {
		c.Partition = page.Site()
	}
	return c, nil
}

// readCookieFile reads the Netscape cookie file of -cookie-file.
func readCookieFile(path string) ([]cookiestore.Cookie, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	list, err := cookiestore.ReadNetscape(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return list, nil
}
