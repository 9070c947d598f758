//go:build unix

package recorder

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/corsfetch/corsfetch/conformance"
)

// FirefoxLauncher drives headless Firefox (the Debian package
// "firefox-esr") with no driver library: it starts the browser on the runner
// page with a fresh profile whose preferences switch off the browser's own
// network activity, and kills the whole process group when the session
// stops.
type FirefoxLauncher struct {
	// Binary is the command to run; empty means "firefox-esr".
	Binary string
	// Args are extra command-line arguments, added after the fixed ones.
	Args []string
	// LNAPrefs are preferences added to the user.js of the browsers of
	// Local Network Access scenarios (OpenLNA) after the recorder's own,
	// so they win: to record with a setting other than the engine's default
	// (network.lna.blocking, say). The browser of the other scenarios
	// never gets them.
	LNAPrefs []Pref
	// Prefs are preferences added to the user.js of the browser Open
	// starts, after the recorder's own, so they win: for a tool that
	// needs a setting of its own (a proxy, say). The browsers of Local
	// Network Access scenarios (OpenLNA) never get them; they have
	// LNAPrefs.
	Prefs []Pref
}

// Pref is a Firefox preference, as user.js sets it.
type Pref struct {
	// Name is the preference's name, e.g. "network.lna.blocking".
	Name string
	// Value is a bool, an int or a string.
	Value any
}

// ParsePref parses "name=value": true and false give a bool, a decimal
// integer an int, anything else a string (a value in double quotes is the
// string between them).
func ParsePref(s string) (Pref, error) {
	name, v, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, "\"\\\n") {
		return Pref{}, fmt.Errorf("preference %q: want name=value", s)
	}
	switch {
	case v == "true" || v == "false":
		return Pref{Name: name, Value: v == "true"}, nil
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
		return Pref{Name: name, Value: v[1 : len(v)-1]}, nil
	}
	if n, err := strconv.Atoi(v); err == nil {
		return Pref{Name: name, Value: n}, nil
	}
	return Pref{Name: name, Value: v}, nil
}

// line returns p as a line of user.js.
func (p Pref) line() string {
	v := fmt.Sprint(p.Value)
	if s, ok := p.Value.(string); ok {
		v = fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("user_pref(%q, %s);", p.Name, v)
}

// firefoxFlags are the fixed flags: headless, and a profile of our own that
// no running Firefox may take over.
var firefoxFlags = []string{
	"--headless",
	"--no-remote",
	"--new-instance",
}

// firefoxPrefs are written to the fresh profile's user.js. They switch off
// everything that would make Firefox reach the network by itself (updates,
// telemetry, studies, remote settings, captive-portal and connectivity
// probes, Safe Browsing lists, DNS over HTTPS, speculative connections and
// prefetching) and the first-run pages. None of them touches CORS, cookies or
// the HTTP cache: the engine's defaults are what is recorded.
var firefoxPrefs = []struct {
	name  string
	value any
}{
	{"app.update.auto", false},
	{"app.update.disabledForTesting", true},
	{"app.update.enabled", false},
	{"app.normandy.enabled", false},
	{"app.shield.optoutstudies.enabled", false},
	{"browser.aboutwelcome.enabled", false},
	{"browser.newtabpage.enabled", false},
	{"browser.ping-centre.telemetry", false},
	{"browser.region.network.url", ""},
	{"browser.region.update.enabled", false},
	{"browser.safebrowsing.blockedURIs.enabled", false},
	{"browser.safebrowsing.downloads.enabled", false},
	{"browser.safebrowsing.downloads.remote.enabled", false},
	{"browser.safebrowsing.malware.enabled", false},
	{"browser.safebrowsing.phishing.enabled", false},
	{"browser.safebrowsing.provider.google.updateURL", ""},
	{"browser.safebrowsing.provider.google4.updateURL", ""},
	{"browser.safebrowsing.provider.mozilla.updateURL", ""},
	{"browser.search.update", false},
	{"browser.sessionstore.resume_from_crash", false},
	{"browser.shell.checkDefaultBrowser", false},
	{"browser.startup.homepage_override.mstone", "ignore"},
	{"browser.startup.page", 0},
	{"browser.tabs.warnOnClose", false},
	{"browser.topsites.contile.enabled", false},
	{"datareporting.healthreport.uploadEnabled", false},
	{"datareporting.policy.dataSubmissionEnabled", false},
	{"datareporting.policy.firstRunURL", ""},
	{"extensions.blocklist.enabled", false},
	{"extensions.getAddons.cache.enabled", false},
	{"extensions.systemAddon.update.enabled", false},
	{"extensions.update.enabled", false},
	{"geo.provider.network.url", ""},
	{"media.gmp-manager.updateEnabled", false},
	{"media.gmp-manager.url", ""},
	{"network.captive-portal-service.enabled", false},
	{"network.connectivity-service.enabled", false},
	{"network.dns.disablePrefetch", true},
	{"network.http.speculative-parallel-limit", 0},
	{"network.predictor.enabled", false},
	{"network.prefetch-next", false},
	{"network.proxy.type", 0},
	{"network.trr.mode", 5},
	{"services.settings.server", "data:,#remote-settings-dummy/v1"},
	{"startup.homepage_welcome_url", ""},
	{"startup.homepage_welcome_url.additional", ""},
	{"toolkit.telemetry.enabled", false},
	{"toolkit.telemetry.server", ""},
	{"toolkit.telemetry.unified", false},
}

// DefaultParallel returns 1: Firefox runs the corpus one scenario at a time.
// Gecko's preflight cache holds 100 entries and evicts the least recently
// used one (PREFLIGHT_CACHE_SIZE in
// netwerk/protocol/http/nsCORSListenerProxy.cpp). With 16 scenarios side by
// side, the entries of a scenario that waits a few seconds before reusing
// them were pushed out by the other scenarios' entries: after the warm-up,
// the whole corpus at 16 at a time differed from the one-at-a-time
// recording in exactly the five scenarios that reuse an entry after a wait
// (cache-max-age-10-fresh, cache-entry-refresh, div-max-age-*-after-3500ms),
// while those scenarios alone at 16 at a time agreed. One at a time, each
// scenario sees only its own entries, as it would in a fresh page. A run
// takes about 35 s instead of 8.
func (f FirefoxLauncher) DefaultParallel() int { return 1 }

// Engine returns "firefox".
func (f FirefoxLauncher) Engine() string { return "firefox" }

func (f FirefoxLauncher) binary() string {
	if f.Binary == "" {
		return "firefox-esr"
	}
	return f.Binary
}

// Version returns the line "firefox-esr --version" prints, e.g.
// "Mozilla Firefox 153.7.0esr".
func (f FirefoxLauncher) Version(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, f.binary(), "--version").Output()
	if err != nil {
		return "", err
	}
	return versionLine(out, "Mozilla Firefox ")
}

// userJS returns the user.js of a fresh profile: the recorder's
// preferences, then extra.
func userJS(extra ...Pref) string {
	var b strings.Builder
	for _, p := range firefoxPrefs {
		fmt.Fprintln(&b, Pref{Name: p.name, Value: p.value}.line())
	}
	for _, p := range extra {
		fmt.Fprintln(&b, p.line())
	}
	return b.String()
}

// Open starts Firefox on pageURL with a fresh profile directory, which is
// also its HOME, so nothing of the user's own Firefox is read or written;
// f.Prefs follow the recorder's preferences in its user.js.
func (f FirefoxLauncher) Open(ctx context.Context, pageURL string) (Session, error) {
	if len(f.Prefs) == 0 {
		return f.open(pageURL, nil)
	}
	return f.open(pageURL, func(string) ([]Pref, map[string]string) {
		return append([]Pref(nil), f.Prefs...), nil
	})
}

// firefoxSpacePrefs are the preferences that override the IP address space
// of endpoints (comma lists of "ip:port"), by the spec's name of the space:
// Gecko calls the spec's "local" space Private and its "loopback" Local.
var firefoxSpacePrefs = map[string]string{
	conformance.SpacePublic:   "network.lna.address_space.public.override",
	conformance.SpaceLocal:    "network.lna.address_space.private.override",
	conformance.SpaceLoopback: "network.lna.address_space.local.override",
}

// firefoxPromptTimeout is the network.lna.prompt.timeout of the browsers
// of Local Network Access scenarios, in milliseconds: how long a
// permission prompt that nobody answers stays before Firefox cancels it
// (which denies the request). The default is 5 minutes.
const firefoxPromptTimeout = 1000

// firefoxPermissionsFile is the file of the profile that grants the
// permissions of a Local Network Access configuration (see lnaProfile).
const firefoxPermissionsFile = "lna-permissions"

// lnaProfile returns the preferences and profile files (name → content)
// that apply setup to a profile in the directory profile, then f.LNAPrefs,
// and how, one line each:
//
//   - the spaces as network.lna.address_space.{public,private,local}.override
//     (Gecko's Private is the spec's local, its Local the spec's loopback);
//   - network.lna.prompt.timeout: the prompt a request raises when its
//     permission is not granted is left unanswered, as in a browser without
//     a user, and cancelled (the request denied) after firefoxPromptTimeout
//     instead of 5 minutes;
//   - the grants as default permissions of the page origins: a file in
//     the permission manager's format ("origin <type> 1 <origin>") that
//     permissions.manager.defaultsUrl names instead of the application's
//     own list (which holds only permissions of Mozilla's sites). Firefox
//     has no local-network-access permission: that grant is not applied.
func (f FirefoxLauncher) lnaProfile(setup LNASetup, profile string) (prefs []Pref, files map[string]string, applied []string) {
	for _, space := range []string{conformance.SpacePublic, conformance.SpaceLocal, conformance.SpaceLoopback} {
		var list []string
		for _, es := range setup.Spaces {
			if es.Space == space {
				list = append(list, es.Endpoint)
			}
		}
		if len(list) > 0 {
			prefs = append(prefs, Pref{Name: firefoxSpacePrefs[space], Value: strings.Join(list, ",")})
		}
	}
	prefs = append(prefs, Pref{Name: "network.lna.prompt.timeout", Value: firefoxPromptTimeout})
	var lines []string
	for _, g := range setup.Config.Grant {
		if g == conformance.PermissionLocalNetworkAccess {
			applied = append(applied, "grant local-network-access not applied: Firefox has no such permission")
			continue
		}
		for _, origin := range setup.Pages {
			lines = append(lines, "origin\t"+g+"\t1\t"+origin)
		}
	}
	if len(lines) > 0 {
		path := filepath.Join(profile, firefoxPermissionsFile)
		prefs = append(prefs, Pref{Name: "permissions.manager.defaultsUrl", Value: (&url.URL{Scheme: "file", Path: path}).String()})
		files = map[string]string{firefoxPermissionsFile: strings.Join(lines, "\n") + "\n"}
		for _, l := range lines {
			applied = append(applied, firefoxPermissionsFile+": "+strings.ReplaceAll(l, "\t", " "))
		}
	}
	prefs = append(prefs, f.LNAPrefs...)
	var prefLines []string
	for _, p := range prefs {
		line := p.line()
		if p.Name == "permissions.manager.defaultsUrl" {
			line = fmt.Sprintf("user_pref(%q, %q);", p.Name, "file://<profile>/"+firefoxPermissionsFile)
		}
		prefLines = append(prefLines, line)
	}
	return prefs, files, append(prefLines, applied...)
}

// OpenLNA starts Firefox for Local Network Access scenarios: as Open, with
// setup applied to the fresh profile (see lnaProfile) and f.LNAPrefs in
// its user.js.
func (f FirefoxLauncher) OpenLNA(ctx context.Context, pageURL string, setup LNASetup) (Session, []string, error) {
	var applied []string
	s, err := f.open(pageURL, func(profile string) ([]Pref, map[string]string) {
		prefs, files, lines := f.lnaProfile(setup, profile)
		applied = lines
		return prefs, files
	})
	return s, applied, err
}

// open starts Firefox on pageURL with a fresh profile whose user.js has the
// recorder's preferences. With profileSetup, the preferences it returns for
// the profile directory follow them in user.js, and the files it returns
// (name → content) are written into the directory.
func (f FirefoxLauncher) open(pageURL string, profileSetup func(profile string) ([]Pref, map[string]string)) (Session, error) {
	dir, err := os.MkdirTemp("", "corsfetch-firefox-")
	if err != nil {
		return nil, err
	}
	s := newProcessSession(dir)
	profile := filepath.Join(dir, "profile")
	if err := os.Mkdir(profile, 0o700); err != nil {
		s.Stop()
		return nil, err
	}
	var extra []Pref
	files := map[string]string{}
	if profileSetup != nil {
		extra, files = profileSetup(profile)
	}
	if files == nil {
		files = map[string]string{}
	}
	files["user.js"] = userJS(extra...)
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(profile, name), []byte(content), 0o600); err != nil {
			s.Stop()
			return nil, err
		}
	}
	args := append(append(append([]string(nil), firefoxFlags...), "--profile", profile), f.Args...)
	args = append(args, pageURL)
	cmd := exec.Command(f.binary(), args...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "MOZ_CRASHREPORTER_DISABLE=1", "MOZ_DISABLE_AUTO_SAFE_MODE=1")
	// A process group of its own, so that Stop also reaches the content
	// processes Firefox forks.
	if err := s.startBrowser(&groupProcess{cmd: cmd}); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}
