package cookiestore

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// httpOnlyPrefix marks the line of an HttpOnly cookie in a Netscape cookie
// file, which older readers skip as a comment.
const httpOnlyPrefix = "#HttpOnly_"

// netscapeHeader starts a file WriteNetscape writes; curl writes the same
// first line.
const netscapeHeader = "# Netscape HTTP Cookie File\n" +
	"# Written by github.com/corsfetch/corsfetch/cookiestore. This format has no SameSite and no partition.\n\n"

// ReadNetscape reads cookies in the Netscape cookie file format, as curl -c
// writes it (and wget, and browser extensions that export cookies.txt):
// one cookie a line, in seven fields separated by tabs: the domain (with a
// leading dot when the cookie reaches subdomains), TRUE when it reaches
// subdomains and FALSE for a host-only cookie, the path, TRUE for a Secure
// cookie, the expiry in Unix seconds (0 for a session cookie; a fraction is
// dropped), the name and the value. A line with six fields has an empty
// value, its trailing tab trimmed. The line of an HttpOnly cookie starts
// with "#HttpOnly_"; other lines starting with "#", and blank ones, are
// comments. TRUE and FALSE may be in any case.
//
// The format has no SameSite and no partition: the cookies read have
// neither. Cookies that have expired are returned; Import skips them. A
// line that is not of the format, or a cookie that Import would refuse for
// its name, value, domain, path or prefix, is an error naming its line.
func ReadNetscape(r io.Reader) ([]Cookie, error) {
	var out []Cookie
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 16<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		c, ok, err := netscapeLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if ok {
			out = append(out, c)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	return out, nil
}

// netscapeLine parses one line of a Netscape cookie file: a cookie, or
// (false) a comment or a blank line.
func netscapeLine(line string) (Cookie, bool, error) {
	line = strings.TrimSuffix(line, "\r")
	var c Cookie
	if rest, ok := strings.CutPrefix(line, httpOnlyPrefix); ok {
		line, c.HttpOnly = rest, true
	}
	if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") && !c.HttpOnly {
		return Cookie{}, false, nil
	}
	f := strings.Split(line, "\t")
	if len(f) == 6 {
		f = append(f, "")
	}
	if len(f) != 7 {
		return Cookie{}, false, fmt.Errorf("want 7 fields separated by tabs (domain, subdomains, path, secure, expiry, name, value), found %d", len(f))
	}
	sub, err1 := netscapeBool("include-subdomains", f[1])
	secure, err2 := netscapeBool("secure", f[3])
	exp, err3 := netscapeExpiry(f[4])
	if err := errors.Join(err1, err2, err3); err != nil {
		return Cookie{}, false, err
	}
	c.Domain, c.HostOnly, c.Path, c.Secure, c.Name, c.Value = f[0], !sub, f[2], secure, f[5], f[6]
	if exp != 0 {
		c.Expires = time.Unix(exp, 0).UTC()
	}
	if c.Path == "" {
		return Cookie{}, false, errors.New("empty path")
	}
	e, err := entryOf(&c)
	if err != nil {
		return Cookie{}, false, err
	}
	c.Domain, c.HostOnly = e.Domain, e.HostOnly
	return c, true, nil
}

// netscapeBool parses a TRUE or FALSE field.
func netscapeBool(field, v string) (bool, error) {
	switch {
	case strings.EqualFold(v, "TRUE"):
		return true, nil
	case strings.EqualFold(v, "FALSE"):
		return false, nil
	}
	return false, fmt.Errorf("%s field %q: want TRUE or FALSE", field, v)
}

// netscapeExpiry parses the expiry field: Unix seconds, a fraction
// dropped.
func netscapeExpiry(v string) (int64, error) {
	whole, frac, _ := strings.Cut(v, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || strings.Trim(frac, "0123456789") != "" {
		return 0, fmt.Errorf("expiry field %q: want Unix seconds", v)
	}
	return n, nil
}

// WriteNetscape writes cookies in the Netscape cookie file format that
// ReadNetscape reads, and curl -b: a comment, then one line a cookie, the
// line of an HttpOnly cookie starting with "#HttpOnly_". The format has no
// place for SameSite or a partition: SameSite is lost, and Partitioned
// cookies are left out (keep them with All, Import and an encoding of
// yours). A cookie whose fields the format cannot hold (a tab or a line
// break), or that Import would refuse, is an error, and then nothing is
// written.
func WriteNetscape(w io.Writer, cookies []Cookie) error {
	var b strings.Builder
	b.WriteString(netscapeHeader)
	for i := range cookies {
		c := &cookies[i]
		if c.Partition != "" || c.Partitioned {
			continue
		}
		e, err := entryOf(c)
		if err != nil {
			return err
		}
		if strings.ContainsRune(c.Name, '\t') || strings.ContainsRune(c.Value, '\t') {
			return refusal(c, "a tab, which the Netscape format cannot hold")
		}
		if c.HttpOnly {
			b.WriteString(httpOnlyPrefix)
		}
		domain, sub := e.Domain, "FALSE"
		if !e.HostOnly {
			domain, sub = "."+domain, "TRUE"
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", domain, sub, e.Path, strings.ToUpper(strconv.FormatBool(c.Secure)), netscapeTime(c.Expires), c.Name, c.Value)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// netscapeTime returns the expiry field for t: 0 for a session cookie, and
// 1 for an expiry at Unix time 0, which would read as a session cookie, as
// Firefox does (Cookie::GetExpires).
func netscapeTime(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Unix() == 0:
		return 1
	}
	return t.Unix()
}
