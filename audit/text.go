package audit

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// textWidth is the width the text report wraps its prose at.
const textWidth = 100

// WriteText writes the report for people: the findings grouped by
// severity, most severe first, each with what was seen, every profile's
// verdict and the fix; then what was sent per URL. The wording may change
// between versions; WriteJSON is the stable form.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "corsprobe audit of %d URL%s for the page origin %s\n", len(r.URLs), plural(len(r.URLs)), r.Origin)
	fmt.Fprintf(bw, "Browsers: %s\n", strings.Join(r.Profiles, ", "))
	if r.CookiesGiven {
		fmt.Fprintln(bw, "Cookies: the user's cookies as given (sent with the legitimate origin's requests only)")
	} else {
		fmt.Fprintln(bw, "Cookies: none given; the verdicts try a session cookie with SameSite=None; Secure, one with SameSite=Lax and one without SameSite")
	}
	for s := High; ; s-- {
		var group []Finding
		for _, f := range r.Findings {
			if f.Severity == s {
				group = append(group, f)
			}
		}
		if len(group) > 0 {
			fmt.Fprintf(bw, "\n%s (%d)\n", strings.ToUpper(s.String()), len(group))
			for _, f := range group {
				writeFinding(bw, f)
			}
		}
		if s == Info {
			break
		}
	}
	fmt.Fprintf(bw, "\n%s\n", r.tally())
	for _, u := range r.URLs {
		fmt.Fprintf(bw, "%s: %d request%s", u.URL, u.Requests, plural(u.Requests))
		if u.Error != "" {
			fmt.Fprintf(bw, "; not audited: %s", u.Error)
		}
		fmt.Fprintln(bw)
		for _, n := range u.Notes {
			wrapTo(bw, "  note: ", "    ", n)
		}
		for _, s := range u.Skipped {
			wrapTo(bw, "  skipped ", "    ", s)
		}
	}
	return bw.Flush()
}

// writeFinding writes one finding.
func writeFinding(w io.Writer, f Finding) {
	fmt.Fprintf(w, "\n  [%s] %s\n", f.Class, f.URL)
	wrapTo(w, "    ", "    ", f.Title)
	if f.Probe.Response != nil {
		fmt.Fprintf(w, "    Probe: %s %s", f.Probe.Request.Method, f.Probe.Request.URL)
		if o := f.Probe.Request.Header.Get("Origin"); o != "" {
			fmt.Fprintf(w, " (Origin: %s)", o)
		}
		fmt.Fprintf(w, " -> %d\n", f.Probe.Response.Status)
	}
	wrapTo(w, "    ", "    ", f.Detail)
	for _, v := range f.Verdicts {
		wrapTo(w, "    - "+v.Profile+": ", "        ", v.Summary)
	}
	wrapTo(w, "    Fix: ", "      ", f.Fix)
}

// tally counts the findings by severity.
func (r *Report) tally() string {
	var n [4]int
	for _, f := range r.Findings {
		if int(f.Severity) < len(n) {
			n[f.Severity]++
		}
	}
	return fmt.Sprintf("%d high, %d medium, %d low, %d info.", n[High], n[Medium], n[Low], n[Info])
}

// wrapTo writes s wrapped at textWidth: first starts the first line, rest
// the others.
func wrapTo(w io.Writer, first, rest, s string) {
	line := first
	empty := true
	for _, word := range strings.Fields(s) {
		if !empty && len(line)+1+len(word) > textWidth {
			fmt.Fprintln(w, line)
			line, empty = rest, true
		}
		if empty {
			line += word
			empty = false
		} else {
			line += " " + word
		}
	}
	fmt.Fprintln(w, line)
}

// plural returns "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
