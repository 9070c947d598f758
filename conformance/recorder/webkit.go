//go:build unix

package recorder

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// WebKitLauncher drives WebKitGTK's MiniBrowser (shipped in the Debian
// package libwebkit2gtk-4.1-0, which webkit2gtk-driver depends on) with no
// driver library. MiniBrowser has no headless mode, so each session starts a private
// X server (Xvfb, Debian package "xvfb") for it. The browser gets a fresh
// profile: HOME and the XDG directories point into a temporary directory.
type WebKitLauncher struct {
	// Binary is the MiniBrowser to run; empty means the first of
	// webKitBinaries that exists.
	Binary string
	// Args are extra command-line arguments, added after the fixed ones.
	Args []string
	// Xvfb is the X server command; empty means "Xvfb".
	Xvfb string
}

// webKitBinaries are where Debian installs MiniBrowser.
var webKitBinaries = []string{
	"/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
	"/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
	"/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser",
	"/usr/lib/aarch64-linux-gnu/webkit2gtk-4.0/MiniBrowser",
}

// webKitFlags are the fixed flags. MiniBrowser does no background networking
// of its own; DNS prefetching is switched off all the same. Cookies keep
// MiniBrowser's default policy (no third-party cookies).
var webKitFlags = []string{
	"--enable-dns-prefetching=false",
}

// Engine returns "webkit".
func (w WebKitLauncher) Engine() string { return "webkit" }

func (w WebKitLauncher) binary() string {
	if w.Binary != "" {
		return w.Binary
	}
	for _, b := range webKitBinaries {
		if _, err := os.Stat(b); err == nil {
			return b
		}
	}
	return webKitBinaries[0]
}

func (w WebKitLauncher) xvfb() string {
	if w.Xvfb == "" {
		return "Xvfb"
	}
	return w.Xvfb
}

// Version returns the line "MiniBrowser --version" prints, e.g.
// "WebKitGTK 2.50.6". MiniBrowser needs a display even for that, so it runs
// under a private X server too.
func (w WebKitLauncher) Version(ctx context.Context) (string, error) {
	dir, err := os.MkdirTemp("", "corsfetch-webkit-")
	if err != nil {
		return "", err
	}
	s := newProcessSession(dir)
	defer s.Stop()
	display, err := w.startXvfb(ctx, s)
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, w.binary(), "--version")
	cmd.Env = webKitEnv(dir, display)
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	return versionLine(out, "WebKitGTK ")
}

// webKitEnv is the environment of a MiniBrowser whose profile lives in dir.
func webKitEnv(dir, display string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "DISPLAY", "WAYLAND_DISPLAY", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS":
		default:
			env = append(env, kv)
		}
	}
	return append(env,
		"DISPLAY="+display,
		"GDK_BACKEND=x11",
		"HOME="+dir,
		"XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_RUNTIME_DIR="+dir,
		// WebKitGTK derives Accept-Language from the locale: pin it, so that
		// the recording does not depend on the machine.
		"LANG=en_US.UTF-8",
		"LANGUAGE=en_US:en",
		// No session bus, no accessibility bus, no GPU: a bare X server.
		"NO_AT_BRIDGE=1",
		"GSETTINGS_BACKEND=memory",
		"LIBGL_ALWAYS_SOFTWARE=1",
		"WEBKIT_DISABLE_COMPOSITING_MODE=1",
	)
}

// startXvfb starts an X server as a helper of s and returns its display
// (":N"), once the server accepts connections. The server picks a free
// display number itself (-displayfd).
func (w WebKitLauncher) startXvfb(ctx context.Context, s *processSession) (string, error) {
	r, wr, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command(w.xvfb(), "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1280x1024x24")
	cmd.ExtraFiles = []*os.File{wr}
	err = s.startHelper(&groupProcess{cmd: cmd, grace: 2 * time.Second})
	wr.Close()
	if err != nil {
		return "", fmt.Errorf("starting %s: %w", w.xvfb(), err)
	}
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(r).ReadString('\n')
		ch <- result{line, err}
	}()
	select {
	case res := <-ch:
		n := strings.TrimSpace(res.line)
		if res.err != nil || n == "" {
			return "", fmt.Errorf("%s reported no display (%v): %s", w.xvfb(), res.err, s.outputString())
		}
		return ":" + n, nil
	case <-time.After(20 * time.Second):
		return "", fmt.Errorf("%s did not start within 20s", w.xvfb())
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Open starts an X server and MiniBrowser on pageURL with a fresh profile
// directory.
func (w WebKitLauncher) Open(ctx context.Context, pageURL string) (Session, error) {
	dir, err := os.MkdirTemp("", "corsfetch-webkit-")
	if err != nil {
		return nil, err
	}
	s := newProcessSession(dir)
	display, err := w.startXvfb(ctx, s)
	if err != nil {
		s.Stop()
		return nil, err
	}
	args := append(append(append([]string(nil), webKitFlags...), w.Args...), pageURL)
	cmd := exec.Command(w.binary(), args...)
	cmd.Env = webKitEnv(dir, display)
	// A process group of its own, so that Stop also reaches the web,
	// network and GPU processes MiniBrowser starts.
	if err := s.startBrowser(&groupProcess{cmd: cmd}); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// OpenLNA starts MiniBrowser for Local Network Access scenarios exactly as
// Open does: WebKitGTK has no switch that overrides the IP address space of
// an endpoint and no way to grant the permissions from outside, and its
// Local Network Access is an unstable feature that is off by default
// ("MiniBrowser --features=help" lists "- LocalNetworkAccess (unstable)"
// for WebKitGTK 2.50). So the configuration is not applied; the recording
// shows what the engine does with the scenarios as they are (every origin
// on loopback, nothing granted).
func (w WebKitLauncher) OpenLNA(ctx context.Context, pageURL string, setup LNASetup) (Session, []string, error) {
	var applied []string
	if len(setup.Spaces) > 0 {
		var list []string
		for _, es := range setup.Spaces {
			list = append(list, es.Endpoint+"="+es.Space)
		}
		applied = append(applied, "spaces not applied (WebKitGTK has no override of an endpoint's IP address space): "+strings.Join(list, ","))
	}
	if len(setup.Config.Grant) > 0 {
		applied = append(applied, "grant not applied (WebKitGTK has no Local Network Access permissions to grant from outside): "+strings.Join(setup.Config.Grant, ","))
	}
	applied = append(applied, "MiniBrowser started as for every other scenario: its Local Network Access feature is off by default (MiniBrowser --features=help: - LocalNetworkAccess (unstable))")
	s, err := w.Open(ctx, pageURL)
	return s, applied, err
}
