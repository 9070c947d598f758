//go:build unix

package recorder

import (
	"context"
	"os"
	"os/exec"
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
