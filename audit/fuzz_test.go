package audit

import (
	"bufio"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
)

// FuzzParseAnswer feeds parseAnswer response heads, as a server could send
// them, and checks what it reads against the fields themselves: one
// Access-Control-Allow-Origin value or none, Access-Control-Allow-Credentials
// only as the exact "true" of #cors-check, Vary: Origin in any case, a
// Max-Age only when it is a whole number of seconds, a Location only with a
// redirect status.
func FuzzParseAnswer(f *testing.F) {
	f.Add(200, "Access-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Credentials: true\r\nVary: Accept, ORIGIN\r\n")
	f.Add(204, "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET, put\r\nAccess-Control-Max-Age: 86400\r\n")
	f.Add(301, "Location: /items\r\nCache-Control: public, s-maxage=60\r\n")
	f.Add(200, "Access-Control-Allow-Origin: a, b\r\nAccess-Control-Allow-Credentials: True\r\nAccess-Control-Max-Age: -1\r\n")
	f.Add(200, "Access-Control-Max-Age: 99999999999999999999\r\nVary: *\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n")
	f.Fuzz(func(t *testing.T, status int, head string) {
		h, err := textproto.NewReader(bufio.NewReader(strings.NewReader(head + "\r\n"))).ReadMIMEHeader()
		if err != nil && len(h) == 0 {
			return
		}
		hdr := http.Header(h)
		a := parseAnswer(status, hdr)
		if (a.allowOrigin != "") != (a.allowOriginCount == 1) {
			t.Errorf("allowOrigin %q with %d values", a.allowOrigin, a.allowOriginCount)
		}
		if a.credentials {
			if v := hdr.Values("Access-Control-Allow-Credentials"); len(v) != 1 || strings.Trim(v[0], " \t") != "true" {
				t.Errorf("credentials from %q", v)
			}
		}
		if a.maxAge < 0 || a.hasMaxAge && len(hdr.Values("Access-Control-Max-Age")) != 1 {
			t.Errorf("max-age %v (%v)", a.maxAge, a.hasMaxAge)
		}
		vary := strings.ToLower(strings.Join(hdr.Values("Vary"), ","))
		if a.varyOrigin && !strings.Contains(vary, "origin") && !strings.Contains(vary, "*") {
			t.Errorf("vary origin from %q", vary)
		}
		if a.location != "" && (status < 300 || status > 399) {
			t.Errorf("location %q with status %d", a.location, status)
		}
		if a.setCookie != len(hdr.Values("Set-Cookie")) {
			t.Errorf("%d Set-Cookie, read %d", len(hdr.Values("Set-Cookie")), a.setCookie)
		}
		if a.wildcard() && a.allows("*") {
			t.Error("* counted as an allowed origin")
		}
	})
}
