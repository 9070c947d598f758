//go:build unix

package recorder

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// userJS returns the user.js of a fresh profile.
func userJS() string {
	var b strings.Builder
	for _, p := range firefoxPrefs {
		v := fmt.Sprint(p.value)
		if s, ok := p.value.(string); ok {
			v = fmt.Sprintf("%q", s)
		}
		fmt.Fprintf(&b, "user_pref(%q, %s);\n", p.name, v)
	}
	return b.String()
}

// Open starts Firefox on pageURL with a fresh profile directory, which is
// also its HOME, so nothing of the user's own Firefox is read or written.
func (f FirefoxLauncher) Open(ctx context.Context, pageURL string) (Session, error) {
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
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(userJS()), 0o600); err != nil {
		s.Stop()
		return nil, err
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
