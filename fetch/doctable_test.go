package fetch

import (
	"fmt"
	"math"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/internal/golden"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/redirect"
)

// docRow is one row of the package documentation's table of differences:
// a label, what a profile's fields say (computed, never written by hand),
// and the scenarios that show it.
type docRow struct {
	label     []string // lines of the label
	cell      func(p Profile) string
	scenarios []string // lines of the scenario column
}

// yesNo returns yes or no.
func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// maxAgeText describes what the profile makes of Access-Control-Max-Age
// values.
func maxAgeText(p Profile, values ...string) string {
	var parts []string
	for _, v := range values {
		d, cached := p.Preflight.maxAge([]string{v}, p.PreflightCache)
		switch {
		case !cached:
			parts = append(parts, "not cached")
		case d == 5*time.Second && v != "5":
			parts = append(parts, "5 s default")
		default:
			parts = append(parts, fmt.Sprintf("%d s", int64(d/time.Second)))
		}
	}
	return strings.Join(parts, ", ")
}

// durationText writes a limit as the table shows it.
func durationText(d time.Duration) string {
	switch {
	case d == 0:
		return "none"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	default:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
}

// modesText lists the cache modes of s, or "none".
func modesText(s CacheModes) string {
	var names []string
	for m := CacheDefault; m <= CacheOnlyIfCached; m++ {
		if s.Has(m) {
			names = append(names, m.String())
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// lnaCell returns a cell of a Local Network Access row: "no check" for a
// profile that makes none, f's text for the others.
func lnaCell(f func(LocalNetworkRules) string) func(Profile) string {
	return func(p Profile) string {
		if p.LocalNetwork.Off {
			return "no check"
		}
		return f(p.LocalNetwork)
	}
}

// docRows are the rows of the table, in its order.
var docRows = []docRow{
	{label: []string{"repeated request header fields"}, cell: func(p Profile) string { return yesNo(p.Request.CombineRepeated, "combined", "separate") }, scenarios: []string{"simple-total-1024-under"}},
	{label: []string{"1024-byte total of safelisted values"}, cell: func(p Profile) string { return yesNo(p.Request.SafelistedTotal, "yes", "no") }, scenarios: []string{"simple-total-1024-over"}},
	{label: []string{"non-ASCII byte in a safelisted value"}, cell: func(p Profile) string { return yesNo(p.Request.NonASCIISafelisted, "safelisted", "unsafe") }, scenarios: []string{"simple-header-06"}},
	{label: []string{"Save-Data, Intervention, Device-Memory,", "DPR, Downlink, Width, Viewport-Width,", "RTT, ECT"},
		cell: func(p Profile) string {
			return yesNo(p.Request.ChromiumSafelist, "safelisted, with value rules", "unsafe")
		}, scenarios: []string{"simple-header-20,", "div-chromium-header-*"}},
	{label: []string{"User-Agent set by the page"}, cell: func(p Profile) string { return yesNo(p.Request.UserAgentForbidden, "dropped", "sent, preflight") }, scenarios: []string{"div-user-agent-allowed"}},
	{label: []string{"repeated name in Access-Control-Req-Hdrs"}, cell: func(p Profile) string { return yesNo(p.Preflight.ListRepeatedNames, "once per field", "once") }, scenarios: []string{"simple-repeated-custom-header"}},
	{label: []string{"ACAH * covers Authorization (fresh)"}, cell: func(p Profile) string { return yesNo(p.Preflight.WildcardCoversAuthorization, "yes", "no") }, scenarios: []string{"preflight-acah-star-authorization"}},
	{label: []string{"cached * covers Authorization"}, cell: func(p Profile) string {
		return yesNo(p.PreflightCache.WildcardCoversAuthorization && p.PreflightCache.Wildcard != preflightcache.WildcardLiteral, "yes", "no")
	}, scenarios: []string{"cache-star-header-then-authorization"}},
	{label: []string{"cache modes that bypass the preflight"}, cell: func(p Profile) string { return modesText(p.Preflight.Bypass) }, scenarios: []string{"cache-mode-*"}},
	{label: []string{"no-cache preflight: Cache-Control"}, cell: func(p Profile) string {
		return yesNo((p.Preflight.Bypass | p.Preflight.CacheHeaders).Has(CacheNoCache), "max-age=0", "none")
	}, scenarios: []string{"div-range-wire-04"}},
	{label: []string{"cache mode of a conditional request"}, cell: func(p Profile) string { return p.Request.ConditionalCacheMode.String() }, scenarios: []string{"div-conditional-*"}},
	{label: []string{"tab inside a Location"}, cell: func(p Profile) string { return yesNo(p.Redirect.Location.KeepInnerTabs, "kept, %09", "removed") }, scenarios: []string{"div-redirect-location-tab"}},
	{label: []string{"failed fetch clears the preflight cache"}, cell: func(p Profile) string {
		return map[CacheClearing]string{ClearOnPreflightPathFailure: "preflight path", ClearOnPreflightFailure: "preflight fails",
			ClearOnAnyFailure: "any CORS failure", ClearNever: "never"}[p.Preflight.Clearing]
	}, scenarios: []string{"cache-cleared-by-failed-actual"}},
	{label: []string{"failed header check still caches"}, cell: func(p Profile) string { return yesNo(p.Preflight.Order == OrderStatusFirst, "yes", "no") }, scenarios: []string{"div-failed-header-check-then-method"}},
	{label: []string{`Max-Age "abc", "10.5", "+10"`}, cell: func(p Profile) string { return maxAgeText(p, "abc", "10.5", "+10") }, scenarios: []string{"cache-max-age-*"}},
	{label: []string{`Max-Age "-1"`}, cell: func(p Profile) string { return maxAgeText(p, "-1") }, scenarios: []string{"cache-max-age-negative"}},
	{label: []string{"Max-Age cap"}, cell: func(p Profile) string { return durationText(p.PreflightCache.MaxAgeLimit) }, scenarios: []string{"(engine sources)"}},
	{label: []string{"URLs the preflight cache holds"}, cell: func(p Profile) string {
		switch n := p.PreflightCache.MaxKeys; n {
		case 0:
			return fmt.Sprint(preflightcache.DefaultMaxKeys)
		case math.MaxInt32:
			return "no bound"
		default:
			return fmt.Sprint(n)
		}
	}, scenarios: []string{"div-cache-101-urls"}},
	{label: []string{"longest URL whose preflight is cached"}, cell: func(p Profile) string {
		if n := p.PreflightCache.MaxURLLength; n > 0 {
			return fmt.Sprintf("%d characters", n)
		}
		return "no bound"
	}, scenarios: []string{"div-cache-url-1100"}},
	{label: []string{"cached credentialed entry serves omit"}, cell: func(p Profile) string { return yesNo(p.PreflightCache.SeparateCredentials, "no", "yes") }, scenarios: []string{"div-include-then-uncredentialed-600"}},
	{label: []string{"preflight again on every redirect hop"}, cell: func(p Profile) string { return yesNo(p.Preflight.AfterRedirect != PreflightPerHop, "yes", "no") }, scenarios: []string{"redirect-303-put"}},
	{label: []string{"preflight Origin after a tainting hop"}, cell: func(p Profile) string { return yesNo(p.Preflight.OriginUntainted, "page origin", "null") }, scenarios: []string{"redirect-preflight-after-redirect"}},
	{label: []string{"two identical Location fields"}, cell: func(p Profile) string {
		return map[redirect.LocationFields]string{redirect.FieldsFail: "network error", redirect.FieldsIdentical: "followed",
			redirect.FieldsJoined: "joined, followed"}[p.Redirect.Location.Fields]
	}, scenarios: []string{"redirect-two-fields"}},
	{label: []string{"empty Location"}, cell: func(p Profile) string {
		return map[redirect.EmptyLocation]string{redirect.EmptyParsed: "same URL again", redirect.EmptyNoRedirect: "no redirect",
			redirect.EmptyFails: "network error"}[p.Redirect.Location.Empty]
	}, scenarios: []string{"redirect-empty"}},
	{label: []string{"Sec-Fetch-Site after P->A redirect"}, cell: func(p Profile) string {
		return map[FetchMetadata]string{MetadataFromURLList: "same-site", MetadataCrossSiteAfterRedirect: "cross-site",
			MetadataOmittedAfterCrossOriginRedirect: "(none sent)"}[p.Request.FetchMetadata]
	}, scenarios: []string{"redirect-p-to-a"}},
	{label: []string{"Sec-Fetch-* after a cross-origin redirect"}, cell: func(p Profile) string {
		return yesNo(p.Request.FetchMetadata == MetadataOmittedAfterCrossOriginRedirect, "not sent", "sent")
	}, scenarios: []string{"redirect-a-to-b"}},
	{label: []string{`Range "bytes= 0-1" on the wire (a GET`, "that may use the HTTP cache)"}, cell: func(p Profile) string { return yesNo(p.Request.Range.Canonicalize, `"bytes=0-1"`, "as set") },
		scenarios: []string{"simple-header-17,", "div-range-wire-*"}},
	{label: []string{`Range "Bytes=0-1", "bytes=+1-2"`}, cell: func(p Profile) string {
		switch {
		case p.Request.Range.UnitAnyCase:
			return "safelisted"
		case p.Request.Range.Canonicalize:
			return "unsafe, sent canonical"
		}
		return "unsafe"
	}, scenarios: []string{"div-range-unit-case-*,", "div-range-value-*"}},
	{label: []string{"largest Range position safelisted"}, cell: func(p Profile) string {
		return map[uint64]string{0: "no limit", math.MaxInt64 - 1: "2^63-2", math.MaxUint64: "2^64-1"}[p.Request.Range.NumberMax]
	}, scenarios: []string{"div-range-number-*"}},
	{label: []string{"only-if-cached, same-origin, not cached"}, cell: func(p Profile) string {
		return yesNo(p.Request.OnlyIfCachedUsesNetwork, "network request", "network error")
	}, scenarios: []string{"cache-mode-only-if-cached-same-origin"}},
	{label: []string{"redirect mode error, 3xx without a", "(non-empty) Location"}, cell: func(p Profile) string { return yesNo(p.Redirect.ErrorModeNeedsLocation, "the 3xx", "network error") }, scenarios: []string{"redirect-error-no-location-*"}},
	{label: []string{"redirect mode manual, Location not a URL"}, cell: func(p Profile) string {
		return yesNo(p.Redirect.Manual == ManualParsesLocation, "network error", "opaqueredirect")
	}, scenarios: []string{"redirect-manual-location-invalid-*"}},
	{label: []string{"redirect mode manual, ftp: Location"}, cell: func(p Profile) string {
		return yesNo(p.Redirect.Manual == ManualRefusesFTP, "network error", "opaqueredirect")
	}, scenarios: []string{"redirect-manual-location-scheme-ftp"}},
	{label: []string{"Location bytes above 0x7F read as"}, cell: func(p Profile) string { return yesNo(p.Redirect.Location.Latin1Location, "Latin-1", "UTF-8") },
		scenarios: []string{"redirect-location-non-ascii-path,", "redirect-location-latin1-byte"}},
	{label: []string{"Origin on a same-origin hop that made", "a POST a GET"}, cell: func(p Profile) string { return yesNo(p.Redirect.OriginKeptAfterMethodChange, "kept", "not sent") }, scenarios: []string{"redirect-origin-post-*-same-origin"}},
	{label: []string{"Sec-Fetch-Site of a preflight after a", "redirect"}, cell: func(p Profile) string { return yesNo(p.Preflight.SiteFromURLList, "the URL list", "its own URL") }, scenarios: []string{"redirect-302-custom-header-b-to-a"}},
	{label: []string{"status 407 from the server"}, cell: func(p Profile) string { return yesNo(p.Response.ProxyAuthFails, "network error", "passed on") }, scenarios: []string{"check-status-407*"}},
	{label: []string{"body of a 205 response"}, cell: func(p Profile) string { return yesNo(p.Response.ResetContentBody, "as sent", "empty") }, scenarios: []string{"check-status-205"}},
	{label: []string{"largest response head read"}, cell: func(p Profile) string {
		switch n := p.Response.MaxHeadBytes; {
		case n == 0:
			return "no bound"
		case n%1024 == 0:
			return fmt.Sprintf("%d KiB", n/1024)
		default:
			return fmt.Sprintf("%d KiB + %d", n/1024, n%1024)
		}
	}, scenarios: []string{"expose-header-size-*"}},
	{label: []string{"third-party (cross-site) cookies"}, cell: func(p Profile) string {
		return map[ThirdPartyCookies]string{ThirdPartyAllowed: "allowed", ThirdPartyBlocked: "Partitioned only",
			ThirdPartyPartitioned: "partitioned jar", ThirdPartyNone: "none", ThirdPartyNotStored: "sent, not stored"}[p.Cookies.ThirdParty]
	}, scenarios: []string{"cred-b-set-include,", "cred-b-partitioned,", "page-cookie-*"}},
	{label: []string{"cookie without SameSite, cross-site"}, cell: func(p Profile) string { return yesNo(p.Cookies.UnsetSameSiteIsNone, "sent", "not sent") }, scenarios: []string{"div-b-cookie-default"}},
	{label: []string{"SameSite=None without Secure"}, cell: func(p Profile) string { return yesNo(p.Cookies.SameSiteNoneRequiresSecure, "rejected", "accepted") }, scenarios: []string{"cred-unsecure-samesite-none"}},
	{label: []string{"Secure cookie over http://127.0.0.1"}, cell: func(p Profile) string { return yesNo(p.Cookies.SecureNeedsHTTPS, "rejected", "stored") }, scenarios: []string{"cred-same-origin-default"}},
	{label: []string{"SameSite Lax and Strict cookies after a", "redirect from another site"}, cell: func(p Profile) string { return yesNo(p.Cookies.SameSiteCountsRedirects, "withheld", "sent") },
		scenarios: []string{"cred-redirect-cross-site-back-*"}},
	{label: []string{"cookie store bounds (per site, in all)"}, cell: func(p Profile) string {
		l := p.Cookies.Limits
		if l.PerDomain == 0 && l.Total == 0 {
			return "none"
		}
		return fmt.Sprintf("%d, %d", l.PerDomain, l.Total)
	}, scenarios: []string{"(engine sources)"}},
	{label: []string{"HTTP cache partitioned by top-level site"}, cell: func(p Profile) string { return yesNo(p.HTTPCache.Unpartitioned, "no", "yes") }, scenarios: []string{"page-httpcache-partition"}},
	{label: []string{"HTTP cache entries apart for requests", "with and without credentials"}, cell: func(p Profile) string { return yesNo(p.HTTPCache.KeyedByCredentials, "yes", "no") },
		scenarios: []string{"httpcache-credentials-include-then-omit,", "page-httpcache-same-origin-then-p"}},
	{label: []string{"a POST invalidates the stored GET"}, cell: func(p Profile) string { return yesNo(p.HTTPCache.KeepOnUnsafe, "no", "yes") }, scenarios: []string{"httpcache-post-invalidates"}},
	{label: []string{"Local Network Access: public page to a", "loopback server, not granted"}, cell: func(p Profile) string {
		return yesNo(p.LocalNetwork.Off, "sent", "fails before any request")
	}, scenarios: []string{"lna-public-loopback-*"}},
	{label: []string{"LNA: local page to a loopback server"}, cell: lnaCell(func(r LocalNetworkRules) string { return yesNo(r.LocalToLoopback, "needs permission", "sent") }),
		scenarios: []string{"lna-local-loopback-get-denied"}},
	{label: []string{"LNA: fetch() option targetAddressSpace"}, cell: lnaCell(func(r LocalNetworkRules) string {
		return yesNo(r.NoTargetAddressSpace, "ignored", "must match the server's space")
	}), scenarios: []string{"lna-tas-*"}},
	{label: []string{"LNA: a public page's response from", "the HTTP cache, stored from loopback"}, cell: lnaCell(func(r LocalNetworkRules) string { return yesNo(r.CacheUnchecked, "served", "fails") }),
		scenarios: []string{"lna-cached-then-public-page-denied"}},
	{label: []string{"LNA: a page that is not a secure", "context"}, cell: lnaCell(func(r LocalNetworkRules) string { return yesNo(r.InsecurePrompts, "asks like any other", "fails") }),
		scenarios: []string{"(engine sources)"}},
	{label: []string{"LNA: space of 100.64.0.1, 198.18.0.1,", "fec0::1"}, cell: lnaCell(func(r LocalNetworkRules) string {
		var spaces []string
		for _, a := range []string{"100.64.0.1", "198.18.0.1", "fec0::1"} {
			spaces = append(spaces, r.Addresses.Classify(netip.MustParseAddr(a)).String())
		}
		return strings.Join(spaces, ", ")
	}), scenarios: []string{"(engine sources)"}},
}

// The table's column widths.
const (
	labelWidth = 42
	cellWidth  = 18
)

// wrap splits s into lines of at most width-1 bytes at spaces.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) < width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}

// renderDocTable returns the table as doc.go holds it, comment markers
// included.
func renderDocTable() string {
	var b strings.Builder
	row := func(cols ...string) {
		line := "//\t" + fmt.Sprintf("%-*s", labelWidth, cols[0])
		for _, c := range cols[1:5] {
			line += fmt.Sprintf("%-*s", cellWidth, c)
		}
		b.WriteString(strings.TrimRight(line+cols[5], " ") + "\n")
	}
	row("Behaviour", "Chrome", "Firefox", "Safari (WebKit)", "Standard", "Scenario")
	for _, r := range docRows {
		cells := [4][]string{}
		n := max(len(r.label), len(r.scenarios))
		for i, p := range []Profile{Chrome, Firefox, Safari, Spec} {
			cells[i] = wrap(r.cell(p), cellWidth)
			n = max(n, len(cells[i]))
		}
		for i := range n {
			at := func(s []string) string {
				if i < len(s) {
					return s[i]
				}
				return ""
			}
			row(at(r.label), at(cells[0]), at(cells[1]), at(cells[2]), at(cells[3]), at(r.scenarios))
		}
	}
	return b.String()
}

// TestDocTable checks that the table of differences in doc.go is what the
// profiles' values say: each cell is computed from the fields (run with
// -update to rewrite it after a change to a profile).
func TestDocTable(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	start := strings.Index(doc, "//\tBehaviour ")
	end := start + strings.Index(doc[start:], "\n//\n") + 1
	if start < 0 || end <= start {
		t.Fatal("doc.go has no table starting with a Behaviour line and ending with an empty comment line")
	}
	want := renderDocTable()
	if got := doc[start:end]; got != want {
		if golden.Update() {
			if err := os.WriteFile("doc.go", []byte(doc[:start]+want+doc[end:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("the table in doc.go differs from the profiles (go test ./fetch -run TestDocTable -update rewrites it); want:\n%s", want)
	}
	for _, r := range docRows {
		for _, p := range []Profile{Chrome, Firefox, Safari, Spec} {
			if c := r.cell(p); c == "" {
				t.Errorf("row %q: no text for %s", r.label[0], p.Name)
			}
		}
	}
}
