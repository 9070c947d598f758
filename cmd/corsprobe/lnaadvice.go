package main

import (
	"fmt"

	"github.com/corsfetch/corsfetch/fetch"
)

// browserName names the profile's browser in a sentence: "Chrome",
// "Firefox", or "the browser" for the Spec profile.
func browserName(r *Report) string {
	switch r.Browser {
	case fetch.Chrome.Name, fetch.Firefox.Name, fetch.Safari.Name:
		return r.Browser
	}
	return "the browser"
}

// lnaFixes adds the fixes for a fetch the Local Network Access check
// failed, and reports whether it was one.
func (f *failure) lnaFixes() bool {
	l := f.r.LNA
	if l == nil || !isLNAReason(fetch.Reason(f.e.Reason)) {
		return false
	}
	switch fetch.Reason(f.e.Reason) {
	case fetch.ReasonInvalidLocalNetworkAccess:
		f.invalidTargetFix(l)
		return true
	case fetch.ReasonInsecureLocalNetwork:
		f.add("Serve the page over https: from a secure context %s asks the user for the %s permission, while from %s, which is not one, it fails the fetch without asking and no permission can allow it.",
			browserName(f.r), code(l.Permission), f.r.Origin)
		f.sameNetworkFix(l)
	default:
		f.sameNetworkFix(l)
		f.add("Or have each user grant the page the %s permission when %s asks. In automated tests a headless browser never answers the prompt: grant it from the test (Playwright with Chromium: %s). -grant %s probes as if it were granted.",
			code(l.Permission), browserName(f.r), code("context.grantPermissions(['local-network-access'])"), l.Permission)
		f.targetSpaceFix(l)
	}
	f.add("Or run the API at a public address (deployed, or reached through a tunnel), so that it is in the public space like the page.")
	if l.ServerAddress != "" {
		f.add("For development only, make the browser count the API as public: Chrome's switch %s, or Firefox's preference %s set to %s (about:config). corsprobe's -address-space-overrides takes Chrome's syntax.",
			code("--ip-address-space-overrides="+l.ServerAddress+"=public"), code("network.lna.address_space.public.override"), code(l.ServerAddress))
	}
	f.add("The Private Network Access headers (%s on a preflight) no longer help: for Local Network Access Chrome sends no such preflight and asks the user instead.",
		code("Access-Control-Allow-Private-Network: true"))
	return true
}

// sameNetworkFix adds the fix of serving the page from where the API is.
func (f *failure) sameNetworkFix(l *LNA) {
	where := "the same private network"
	if l.ServerAddressSpace == fetch.AddressSpaceLoopback.String() {
		where = "the same machine"
	}
	f.add("Serve the page from the API's own origin, or from a server in the %s space (on %s), so that the fetch is not a local network request.",
		l.ServerAddressSpace, where)
}

// targetSpaceFix adds, unless the fetch declares it already, the fix of
// declaring targetAddressSpace.
func (f *failure) targetSpaceFix(l *LNA) {
	if f.r.Request.TargetAddressSpace != "" {
		return
	}
	s := fmt.Sprintf("Declare the server's space in the call, %s (Chrome; Firefox and Safari ignore it): the intent is explicit, and the fetch fails if the server turns out to be elsewhere. "+
		"It does not replace the permission.", code(fmt.Sprintf("fetch(url, {targetAddressSpace: %q})", l.ServerAddressSpace)))
	if l.ServerAddressSpace == fetch.AddressSpaceLocal.String() {
		s += " It also lets an https page fetch an http:// URL on the local network, which Chrome otherwise blocks as mixed content unless the host is a private address or a .local name."
	}
	f.out = append(f.out, s)
}

// invalidTargetFix adds the fix for a targetAddressSpace other than the
// server's space.
func (f *failure) invalidTargetFix(l *LNA) {
	declared, actual := f.e.Value, l.ServerAddressSpace
	s := fmt.Sprintf("The call declares %s, but %s is in the %s space", code(fmt.Sprintf("targetAddressSpace: %q", declared)), l.ServerURL, actual)
	if l.ServerAddress != "" {
		s += " (" + l.ServerAddress + ")"
	}
	if actual == fetch.AddressSpaceLocal.String() || actual == fetch.AddressSpaceLoopback.String() {
		s += fmt.Sprintf(": declare %q, or leave the option out. The browser fails the fetch unless the two match exactly (local and loopback are different spaces here).", actual)
	} else {
		s += ": leave the option out, which is for servers in the local or loopback space."
	}
	f.out = append(f.out, s)
}

// lnaNotes returns the notes about Local Network Access: why no check ran
// when the server is local, a profile without the check or without
// targetAddressSpace, and how to probe past a Local Network Access
// failure.
func (p *prober) lnaNotes(r *Report) []string {
	var out []string
	if p.pageSpace.note != "" {
		out = append(out, p.pageSpace.note)
	}
	b := p.browser
	if b.LocalNetwork.Off && p.pageSpace.space != fetch.AddressSpaceUnknown {
		out = append(out, fmt.Sprintf("%s makes no Local Network Access check (the setting is off in WebKit), so the page's address space (%s) plays no part here; Chrome and Firefox check it.",
			b.Name, p.pageSpace.space))
	}
	if b.LocalNetwork.NoTargetAddressSpace && !b.LocalNetwork.Off && r.Request.TargetAddressSpace != "" {
		out = append(out, b.Name+" has no targetAddressSpace option: it ignores it, and so does this probe.")
	}
	e, l := r.Verdict.Error, r.LNA
	if e == nil || l == nil {
		return out
	}
	switch fetch.Reason(e.Reason) {
	case fetch.ReasonLocalNetworkAccessDenied:
		out = append(out, fmt.Sprintf("The request to %s was not sent, so this probe did not reach the server's CORS handling: -grant %s probes it as for a user who allowed it, "+
			"-page-address-space unknown as if the page were served from the server's network.", l.ServerURL, l.Permission))
	case fetch.ReasonInsecureLocalNetwork:
		out = append(out, fmt.Sprintf("The request to %s was not sent, so this probe did not reach the server's CORS handling: an https -origin with -grant %s probes it, "+
			"-page-address-space unknown as if the page were served from the server's network.", l.ServerURL, l.Permission))
	}
	return out
}
