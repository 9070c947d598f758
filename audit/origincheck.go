package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// originText is what the report says of an allowed attacker origin's
// class: a title and the fix.
var originText = map[Class]struct{ title, fix string }{
	OriginReflected: {"Any origin is reflected in Access-Control-Allow-Origin",
		"Compare Origin with an allow-list of exact origins and echo it only on a match (with Vary: Origin); never echo it as it comes, least of all with Access-Control-Allow-Credentials: true."},
	OriginNull: {"The origin null is allowed",
		"Never allow null: sandboxed iframes, data: and file: URLs and some redirects send it, so any page can make its requests carry it."},
	OriginPrefixMatch: {"An origin that only starts with the legitimate host is allowed",
		"Match the whole origin (scheme, host and port) against a list of exact origins, or anchor the pattern at both ends with the dots escaped; a prefix test lets app.example.attacker.test through."},
	OriginSuffixMatch: {"An origin that only ends with the legitimate site is allowed",
		"Match whole origins, or test for a subdomain by the dot before the site (\".example.com\"), not by the site's name alone: attackerexample.com ends with example.com."},
	OriginUnescapedDot: {"A pattern's unescaped dot lets another domain through",
		"Escape the dots of a regular expression (\\.) and anchor it, or compare exact origins: an unescaped dot matches any character, so appxexample.com passes for app.example.com."},
	OriginSubstringMatch: {"An origin contained in the legitimate one is allowed",
		"Compare whole origins: a substring test (strings.Contains, indexOf) lets https://app.example.co through for https://app.example.com."},
	OriginAnySubdomain: {"Every subdomain of the site is trusted",
		"List the subdomains that serve your pages by name; a wildcard trusts every subdomain, including a forgotten one that can be taken over or one with an XSS."},
	OriginInsecureScheme: {"An http:// origin is trusted by an https:// resource",
		"Allow https:// origins only: a page served over http can be rewritten by anyone on the network path, who then reads what the https resource gives the user."},
	OriginSpecialChars: {"A host followed by special characters is allowed",
		"Match whole origins; a pattern that lets any character but a letter, digit or dot follow the host lets these through, and some browsers load pages from such hosts."},
	OriginThirdParty: {"A hosting domain anyone can publish on is trusted",
		"Do not trust a whole hosting domain: anyone can open a subdomain of it. List the exact origins of your deployments on it."},
}

// addOrigin records the finding of an allowed attacker origin c, whose
// GET got res.
func (a *auditor) addOrigin(ctx context.Context, uc *urlCheck, c candidate, res *result) {
	vs := a.originVerdicts(ctx, uc.u, c, res)
	t := originText[c.class]
	title := t.title
	if res.a.credentials {
		title += ", with credentials allowed"
	}
	a.add(Finding{Class: c.class, Severity: originSeverity(c, vs), URL: uc.u.String(), Probe: *res.x, Title: title,
		Detail: fmt.Sprintf("Origin: %s got Access-Control-Allow-Origin: %s%s. An attacker needs %s. %s", c.origin, res.a.allowOrigin,
			credentialsText(res.a.credentials), c.needs, verdictDigest(vs)),
		Fix: t.fix, Verdicts: vs})
}

// addSpecial records the special characters the server let through after
// the host, each probe in cs with its answer in rs: one finding, whose
// verdict for each profile is that of the first character its engine
// loads pages for.
func (a *auditor) addSpecial(ctx context.Context, uc *urlCheck, cs []candidate, rs []*result) {
	var chars []string
	for _, c := range cs {
		chars = append(chars, fmt.Sprintf("%q", c.char))
	}
	all := make([][]Verdict, len(cs))
	for i, c := range cs {
		all[i] = a.originVerdicts(ctx, uc.u, c, rs[i])
	}
	vs := make([]Verdict, len(a.profiles))
	pick := -1
	for j, p := range a.profiles {
		vs[j] = all[0][j]
		for i, c := range cs {
			if slices.Contains(a.chars[engineOf(p)], c.char) {
				vs[j] = all[i][j]
				break
			}
		}
	}
	for i, c := range cs {
		for _, engine := range []string{"chromium", "firefox", "webkit"} {
			if pick < 0 && slices.Contains(a.chars[engine], c.char) {
				pick = i
			}
		}
	}
	pick = max(pick, 0)
	c, res := cs[pick], rs[pick]
	c.class = OriginSpecialChars
	t := originText[OriginSpecialChars]
	a.add(Finding{Class: OriginSpecialChars, Severity: originSeverity(c, vs), URL: uc.u.String(), Probe: *res.x, Title: t.title,
		Detail: fmt.Sprintf("Origins with %s after the host got Access-Control-Allow-Origin back%s (%s shown). "+
			"Which characters a browser takes in a page's host was recorded per engine; %s %s",
			strings.Join(chars, ", "), credentialsText(res.a.credentials), c.origin, reachText(a, cs), verdictDigest(vs)),
		Fix: t.fix, Verdicts: vs})
}

// reachText says which engines load pages from hosts with the characters
// of cs.
func reachText(a *auditor, cs []candidate) string {
	var parts []string
	for _, engine := range []string{"chromium", "firefox", "webkit"} {
		var got []string
		for _, c := range cs {
			if slices.Contains(a.chars[engine], c.char) {
				got = append(got, fmt.Sprintf("%q", c.char))
			}
		}
		if len(got) == 0 {
			parts = append(parts, engine+" none of them")
		} else {
			parts = append(parts, engine+" "+strings.Join(got, ", "))
		}
	}
	return strings.Join(parts, "; ") + "."
}

// credentialsText says whether credentials are allowed.
func credentialsText(on bool) string {
	if on {
		return " and Access-Control-Allow-Credentials: true"
	}
	return " without Access-Control-Allow-Credentials"
}

// verdictDigest sums the verdicts up in a sentence: which profiles read
// the answer with the user's cookies, without them, or not at all.
func verdictDigest(vs []Verdict) string {
	var cred, plain, none []string
	for _, v := range vs {
		switch {
		case v.Readable && v.Credentialed:
			cred = append(cred, v.Profile)
		case v.Readable:
			plain = append(plain, v.Profile)
		default:
			none = append(none, v.Profile)
		}
	}
	var parts []string
	if len(cred) > 0 {
		parts = append(parts, "Readable with the user's cookies in "+joinNames(cred)+".")
	}
	if len(plain) > 0 {
		parts = append(parts, "Readable without the user's cookies in "+joinNames(plain)+".")
	}
	if len(none) > 0 {
		parts = append(parts, "Not readable in "+joinNames(none)+".")
	}
	return strings.Join(parts, " ")
}
