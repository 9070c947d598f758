//go:build unix

package recorder

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/corsfetch/corsfetch/conformance"
)

// ChromiumLauncher drives headless Chromium (the Debian package
// "chromium") with no driver library: it starts the browser on the runner
// page with a fresh profile and kills the whole process group when the
// session stops.
type ChromiumLauncher struct {
	// Binary is the command to run; empty means "chromium".
	Binary string
	// Args are extra command-line arguments, added after the fixed ones.
	Args []string
}

// chromiumFlags are the fixed flags: headless, no sandbox (the recorder may
// run as root), and no network activity of the browser's own (the machine's
// network is closed; background requests would only slow the run down).
var chromiumFlags = []string{
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
}

// Engine returns "chromium".
func (c ChromiumLauncher) Engine() string { return "chromium" }

func (c ChromiumLauncher) binary() string {
	if c.Binary == "" {
		return "chromium"
	}
	return c.Binary
}

// Version returns the line "chromium --version" prints, e.g.
// "Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)".
func (c ChromiumLauncher) Version(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, c.binary(), "--version").Output()
	if err != nil {
		return "", err
	}
	return versionLine(out, "Chromium ", "Google Chrome ")
}

// Open starts Chromium on pageURL with a fresh profile directory.
func (c ChromiumLauncher) Open(ctx context.Context, pageURL string) (Session, error) {
	dir, err := os.MkdirTemp("", "corsfetch-chromium-")
	if err != nil {
		return nil, err
	}
	args := append(append(append([]string(nil), chromiumFlags...), "--user-data-dir="+dir), c.Args...)
	args = append(args, pageURL)
	// A process group of its own, so that Stop also reaches the renderer,
	// GPU and zygote processes Chromium forks.
	s := newProcessSession(dir)
	if err := s.startBrowser(&groupProcess{cmd: exec.Command(c.binary(), args...)}); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// chromiumPermissions maps the Local Network Access permissions to the
// names of the DevTools protocol's PermissionType.
var chromiumPermissions = map[string]string{
	conformance.PermissionLocalNetwork:       "localNetwork",
	conformance.PermissionLoopbackNetwork:    "loopbackNetwork",
	conformance.PermissionLocalNetworkAccess: "localNetworkAccess",
}

// OpenLNA starts Chromium for Local Network Access scenarios, with the
// fixed flags and a fresh profile as Open, plus:
//
//   - --ip-address-space-overrides=<ip:port>=<space>,... for the spaces of
//     setup (Chromium's testing override, consulted for the page's own
//     endpoint as for every request's);
//   - --remote-debugging-pipe: the browser starts on about:blank, the
//     recorder grants the permissions of setup to each page origin with the
//     DevTools command Browser.grantPermissions (localNetwork,
//     loopbackNetwork, localNetworkAccess: one call per origin, as each call
//     replaces the origin's grants), then loads pageURL in that tab
//     (Page.navigate). Without a grant, the permission is left alone:
//     headless Chromium answers its prompt as dismissed, i.e. denied.
//
// With setup.Console, the page's console messages (those of blocked
// requests among them) go there.
func (c ChromiumLauncher) OpenLNA(ctx context.Context, pageURL string, setup LNASetup) (Session, []string, error) {
	dir, err := os.MkdirTemp("", "corsfetch-chromium-")
	if err != nil {
		return nil, nil, err
	}
	s := newProcessSession(dir)
	var applied []string
	args := append(append([]string(nil), chromiumFlags...), "--user-data-dir="+dir)
	if len(setup.Spaces) > 0 {
		var list []string
		for _, es := range setup.Spaces {
			list = append(list, es.Endpoint+"="+es.Space)
		}
		flag := "--ip-address-space-overrides=" + strings.Join(list, ",")
		args = append(args, flag)
		applied = append(applied, flag)
	}
	args = append(args, "--remote-debugging-pipe")
	args = append(append(args, c.Args...), "about:blank")
	child, dt, err := devToolsPipes(setup.Console)
	if err != nil {
		s.Stop()
		return nil, nil, err
	}
	s.closers = append(s.closers, dt)
	cmd := exec.Command(c.binary(), args...)
	cmd.ExtraFiles = child
	err = s.startBrowser(&groupProcess{cmd: cmd})
	for _, f := range child {
		f.Close()
	}
	if err != nil {
		s.Stop()
		return nil, nil, err
	}
	fail := func(err error) (Session, []string, error) {
		s.Stop()
		if out := strings.TrimSpace(s.outputString()); out != "" {
			err = fmt.Errorf("%w; chromium printed: %s", err, out)
		}
		return nil, nil, err
	}
	if len(setup.Config.Grant) > 0 {
		var names []string
		for _, g := range setup.Config.Grant {
			names = append(names, chromiumPermissions[g])
		}
		for _, origin := range setup.Pages {
			params := map[string]any{"permissions": names, "origin": origin}
			if _, err := dt.call(ctx, "", "Browser.grantPermissions", params); err != nil {
				return fail(err)
			}
			b, _ := json.Marshal(params)
			applied = append(applied, "DevTools Browser.grantPermissions "+string(b))
		}
	} else {
		applied = append(applied, "no permission granted: headless Chromium answers the prompt as dismissed (denied)")
	}
	if err := dt.navigate(ctx, pageURL); err != nil {
		return fail(err)
	}
	return s, applied, nil
}
