package audit

import (
	_ "embed"
	"encoding/json"
	"net"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/corsfetch/corsfetch/origin"
)

// attackerDomain is the domain of the attacker origins the audit sends:
// under .example, reserved (RFC 2606), so that no probe names a real site.
const attackerDomain = "corsprobe-attacker.example"

// thirdPartyHosts are hosting domains on which anyone can publish a page
// under a subdomain of their choosing, and which servers are seen to trust
// whole (preview deployments, documentation sites).
var thirdPartyHosts = []string{
	"github.io", "gitlab.io", "vercel.app", "netlify.app", "pages.dev", "herokuapp.com", "web.app", "azurewebsites.net",
}

// maxSpecialChars bounds the special-character origins tried: those most
// engines take.
const maxSpecialChars = 6

// candidate is an attacker origin to try, and the class of the finding
// when the server allows it.
type candidate struct {
	class  Class
	origin string
	// char is the special character in the host, for OriginSpecialChars.
	char string
	// needs says what the attacker needs besides publishing a page.
	needs string
}

// candidates returns the attacker origins derived from the legitimate
// origin o, in the order they are tried, and the probes left out with the
// reason.
func candidates(o origin.Origin, chars []string) (out []candidate, skipped []string) {
	scheme, host := o.Scheme(), o.Host()
	port := ""
	if p, ok := o.Port(); ok {
		port = ":" + strconv.Itoa(p)
	}
	isIP := net.ParseIP(strings.Trim(host, "[]")) != nil
	site := ""
	if !isIP {
		if s, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
			site = s
		}
	}
	add := func(c Class, h, needs string) {
		out = append(out, candidate{class: c, origin: scheme + "://" + h + port, needs: needs})
	}
	out = append(out, candidate{class: OriginNull, origin: "null", needs: "a sandboxed iframe or a data: URL on any page"})
	if !isIP {
		add(OriginPrefixMatch, host+"."+attackerDomain, "a domain of their own")
	}
	if site != "" {
		add(OriginSuffixMatch, "corsprobeattacker"+site, "a domain of their own")
	} else {
		skipped = append(skipped, string(OriginSuffixMatch)+": the origin's host has no registrable domain")
	}
	if dotted := unescapedDot(host, site); dotted != "" {
		add(OriginUnescapedDot, dotted, "a domain of their own")
	} else {
		skipped = append(skipped, string(OriginUnescapedDot)+": no dot of the host can be swapped for a registrable domain")
	}
	serialized := o.String()
	out = append(out, candidate{class: OriginSubstringMatch, origin: serialized[:len(serialized)-1], needs: "a domain of their own"})
	if site != "" {
		add(OriginAnySubdomain, "corsprobe-sub."+site, "control of a subdomain of "+site+" (a takeover, or script on one)")
	}
	if scheme == "https" {
		out = append(out, candidate{class: OriginInsecureScheme, origin: "http://" + host + port,
			needs: "a network position: injecting script into the plain-http site, on public Wi-Fi say"})
	}
	for _, h := range thirdPartyHosts {
		out = append(out, candidate{class: OriginThirdParty, origin: "https://corsprobe-attacker." + h, needs: "a free account on " + h})
	}
	if !isIP {
		for _, c := range chars[:min(len(chars), maxSpecialChars)] {
			out = append(out, candidate{class: OriginSpecialChars, origin: scheme + "://" + host + c + "." + attackerDomain + port, char: c,
				needs: "a domain of their own, and a browser that loads a page from such a host"})
		}
	}
	return out, skipped
}

// unescapedDot returns host with the dot before its registrable domain
// (site) replaced by a letter, a name an attacker can register when a
// pattern's unescaped "." matches any character; "" when there is no such
// dot (the host is the registrable domain, or an IP address).
func unescapedDot(host, site string) string {
	if site == "" || host == site || !strings.HasSuffix(host, "."+site) {
		return ""
	}
	return strings.TrimSuffix(host, "."+site) + "x" + site
}

// hostCharsJSON is the recording of which special characters each engine
// takes in a page's host and sends in Origin (conformance/cmd/hostchars).
//
//go:embed hostchars.json
var hostCharsJSON []byte

// hostChars is hostchars.json.
type hostChars struct {
	Recorded string                `json:"recorded"`
	Method   string                `json:"method"`
	Engines  map[string]engineChar `json:"engines"`
}

type engineChar struct {
	Version    string `json:"version"`
	Characters []struct {
		Char string `json:"char"`
		// AttackerUsable: a page loaded from a host with the character,
		// and its fetch carried an Origin with the host as the page had
		// it; SentAs is how the engine wrote the character there.
		AttackerUsable *bool  `json:"attacker_usable"`
		SentAs         string `json:"sent_as"`
	} `json:"characters"`
}

// specialChars returns, per engine ("chromium", "firefox", "webkit"), what
// an attacker can put after a host in Origin: each character a page's host
// may hold, as the engine writes it in the Origin it sends, as recorded
// (dots left out: they make a prefix match); and all of them, those more
// engines take first.
func specialChars() (map[string][]string, []string) {
	var hc hostChars
	if err := json.Unmarshal(hostCharsJSON, &hc); err != nil {
		panic("audit: hostchars.json: " + err.Error())
	}
	per := map[string][]string{}
	var all []string
	for engine, ec := range hc.Engines {
		per[engine] = []string{} // recorded, whatever it takes
		for _, c := range ec.Characters {
			if c.AttackerUsable == nil || !*c.AttackerUsable || c.SentAs == "" || strings.Contains(c.SentAs, ".") {
				continue
			}
			if !slices.Contains(per[engine], c.SentAs) {
				per[engine] = append(per[engine], c.SentAs)
			}
			if !slices.Contains(all, c.SentAs) {
				all = append(all, c.SentAs)
			}
		}
	}
	// The characters most engines take first: the probes try a few.
	count := func(c string) int {
		n := 0
		for _, list := range per {
			if slices.Contains(list, c) {
				n++
			}
		}
		return n
	}
	slices.SortFunc(all, func(a, b string) int {
		if d := count(b) - count(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return per, all
}
