//go:build unix

// Command hostchars records, in a real browser engine, which special
// characters the engine accepts in a host, so that an attacker's page can be
// served from an origin such as http://target.example_.attacker.test and
// send that origin in the Origin header of its fetch(): the origins with
// which CORS scanners test servers whose origin check is a loose regular
// expression.
//
// For each candidate character C (printable ASCII but letters, digits, "."
// and "-", and a few non-ASCII characters) it records what
// new URL("https://target.example" + C + ".attacker.test/") gives, then
// sends the tab to http://target.example{C}.attacker.test/, whose page
// fetch()es http://target.example/hc/api in cors mode; the command serves
// the pages and records the requests, the Origin header among them. It does
// so twice:
//
//   - directly: the browser resolves the names itself, through a DNS server
//     of the command that answers every name under attacker.test (an
//     attacker's wildcard record). The browser runs in mount and network
//     namespaces of its own (a loopback of its own, nothing else) whose
//     /etc/resolv.conf names that server, which needs root on Linux
//     (-direct=false skips this pass);
//   - through an HTTP proxy of the command, which gets every name as the
//     browser writes it and resolves nothing (-proxy=false skips it).
//
// The results go into the JSON file given by -out, replacing the engine's
// previous results and keeping the other engines' (the differences from the
// previous results are printed).
//
// Usage, from the repository root, one engine at a time:
//
//	go run ./conformance/cmd/hostchars -engine chromium -out audit/hostchars.json
//	go run ./conformance/cmd/hostchars -engine firefox -out audit/hostchars.json
//	go run ./conformance/cmd/hostchars -engine webkit -out audit/hostchars.json
//
// Without -out the engine's results are printed. With -direct=false and
// -proxy=false, only URL parsing is recorded. -only restricts the run to
// some characters, for experiments.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/conformance/recorder"
)

// options are the command's flags.
type options struct {
	engine, out, binary, only        string
	direct, proxy, verbose           bool
	timeout, stepTimeout, startGrace time.Duration
	// directChild is set in the child process of the direct pass: the
	// parent's mount and network namespaces.
	directChild string
}

func main() {
	var o options
	flag.StringVar(&o.engine, "engine", "chromium", "browser engine: chromium, firefox or webkit")
	flag.StringVar(&o.out, "out", "", "merge the engine's results into this JSON file (default: print them)")
	flag.StringVar(&o.binary, "browser", "", "browser binary (default: the engine's usual command)")
	flag.BoolVar(&o.direct, "direct", true, "record page loads with the browser resolving the names through the command's DNS (needs root on Linux)")
	flag.BoolVar(&o.proxy, "proxy", true, "record page loads through the command's HTTP proxy")
	flag.StringVar(&o.only, "only", "", "try only the candidates among these characters (for experiments; not with -out)")
	flag.DurationVar(&o.timeout, "timeout", 4*time.Minute, "bound on each pass")
	flag.DurationVar(&o.stepTimeout, "step-timeout", 3*time.Second, "how long a candidate's page may take to come back before a fresh browser goes on with the next one")
	flag.DurationVar(&o.startGrace, "start-timeout", 30*time.Second, "how long a fresh browser may take to load its first page")
	flag.BoolVar(&o.verbose, "v", false, "print progress and the servers' logs")
	flag.StringVar(&o.directChild, "direct-child", "", "internal: run the direct pass (the value is the parent's namespaces)")
	flag.Parse()
	if err := mainErr(o); err != nil {
		fmt.Fprintln(os.Stderr, "hostchars:", err)
		os.Exit(1)
	}
}

func mainErr(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	chars, err := selectChars(candidates, o.only)
	if err != nil {
		return err
	}
	if o.directChild != "" {
		return runDirectChild(ctx, o, chars, o.directChild)
	}
	if o.only != "" && o.out != "" {
		return errors.New("-only records some characters only: it cannot be combined with -out")
	}
	l, _, err := launcher(o.engine, o.binary, "")
	if err != nil {
		return err
	}
	version, err := l.Version(ctx)
	if err != nil {
		return fmt.Errorf("%s version: %w", o.engine, err)
	}
	p, err := runPasses(ctx, o, chars)
	if err != nil {
		return err
	}
	e, warnings := p.engine(version, today(), chars)
	for _, w := range warnings {
		fmt.Fprintf(os.Stderr, "%s: warning: %s\n", o.engine, w)
	}
	for _, line := range summary(e) {
		fmt.Fprintf(os.Stderr, "%s: %s\n", o.engine, line)
	}
	return output(o, e)
}

// passes are the results of an engine's passes and how each was set up
// (nil results for a pass not run).
type passes struct {
	direct, proxied, parseOnly *passResult
	directSetup, proxySetup    string
}

// runPasses runs the passes o asks for, one after the other.
func runPasses(ctx context.Context, o options, chars []string) (passes, error) {
	p := passes{directSetup: "not recorded (-direct=false)", proxySetup: "not recorded (-proxy=false)"}
	var err error
	if o.direct {
		if p.direct, err = runDirect(ctx, o); err != nil {
			return p, err
		}
		p.directSetup = directSetup
	}
	if o.proxy {
		if p.proxied, p.proxySetup, err = runProxied(ctx, o, chars, false); err != nil {
			return p, err
		}
	}
	if !o.direct && !o.proxy {
		p.parseOnly, _, err = runProxied(ctx, o, chars, true)
	}
	return p, err
}

// selectChars returns the candidates among the characters of only, all of
// them when only is empty.
func selectChars(all []string, only string) ([]string, error) {
	if only == "" {
		return all, nil
	}
	var chars []string
	for _, c := range all {
		if strings.Contains(only, c) {
			chars = append(chars, c)
		}
	}
	if len(chars) == 0 {
		return nil, fmt.Errorf("-only %q names no candidate", only)
	}
	return chars, nil
}

func today() string { return time.Now().UTC().Format(time.DateOnly) }

// launcher returns the engine's launcher and how it is set up: with
// proxy ("127.0.0.1:N"), set to send every request to that HTTP proxy.
func launcher(engine, binary, proxy string) (recorder.Launcher, string, error) {
	switch engine {
	case "chromium":
		var args []string
		if proxy != "" {
			// <-loopback> takes loopback off Chromium's implicit bypass
			// list; no host of the pass is on loopback, but the proxy sees
			// everything.
			args = []string{"--proxy-server=http://" + proxy, "--proxy-bypass-list=<-loopback>"}
		}
		return recorder.ChromiumLauncher{Binary: binary, Args: args}, describe(strings.Join(args, " ")), nil
	case "firefox":
		var prefs []recorder.Pref
		var desc []string
		if host, port, ok := strings.Cut(proxy, ":"); ok {
			n, _ := strconv.Atoi(port)
			prefs = []recorder.Pref{
				{Name: "network.proxy.type", Value: 1},
				{Name: "network.proxy.http", Value: host},
				{Name: "network.proxy.http_port", Value: n},
				{Name: "network.proxy.ssl", Value: host},
				{Name: "network.proxy.ssl_port", Value: n},
				{Name: "network.proxy.no_proxies_on", Value: ""},
				{Name: "network.proxy.allow_hijacking_localhost", Value: true},
			}
			desc = append(desc, "preferences")
		}
		for _, p := range prefs {
			desc = append(desc, fmt.Sprintf("%s=%v", p.Name, p.Value))
		}
		return recorder.FirefoxLauncher{Binary: binary, Prefs: prefs}, describe(strings.Join(desc, " ")), nil
	case "webkit":
		var args []string
		if proxy != "" {
			args = []string{"--proxy=http://" + proxy}
		}
		return recorder.WebKitLauncher{Binary: binary, Args: args}, describe(strings.TrimSpace("MiniBrowser " + strings.Join(args, " "))), nil
	}
	return nil, "", fmt.Errorf("unknown engine %q (want chromium, firefox or webkit)", engine)
}

// describe returns how a launcher was set up, with PORT for the proxy's
// port, which changes from run to run.
func describe(setup string) string {
	return proxyPort.ReplaceAllString(setup, "${1}PORT")
}

// proxyPort matches the proxy's port in a launcher's setup.
var proxyPort = regexp.MustCompile(`(127\.0\.0\.1:|http_port=|ssl_port=)[0-9]+`)

// output merges e into the -out file, printing the differences from the
// engine's previous results, or prints e without -out.
func output(o options, e *Engine) error {
	if o.out == "" {
		b, err := encode(&File{Engines: map[string]*Engine{o.engine: e}})
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(b)
		return err
	}
	f, err := readFile(o.out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	_, had := f.Engines[o.engine]
	diffs := merge(f, o.engine, e, e.Recorded, method)
	switch {
	case !had:
		fmt.Fprintf(os.Stderr, "%s: %s recorded (%s)\n", o.out, o.engine, e.Version)
	case len(diffs) == 0:
		fmt.Fprintf(os.Stderr, "%s: %s recorded again (%s): no difference from the previous results\n", o.out, o.engine, e.Version)
	default:
		fmt.Fprintf(os.Stderr, "%s: %s recorded again (%s); %d differences from the previous results:\n", o.out, o.engine, e.Version, len(diffs))
		for _, d := range diffs {
			fmt.Fprintln(os.Stderr, "  "+d)
		}
	}
	return writeFile(o.out, f)
}
