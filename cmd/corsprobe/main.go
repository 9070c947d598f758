package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// Exit statuses.
const (
	exitAllowed = 0
	exitBlocked = 1
	exitError   = 2 // usage or network error
)

// probeTimeout bounds one probe, preflight and redirects included.
const probeTimeout = 30 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := &env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin, colour: colourFor(os.Stdout)}
	os.Exit(run(ctx, os.Args[1:], e))
}

// env is what run needs from the process, so that tests can run it in
// process.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	colour         bool
	// base sends the requests; nil means a new http.Transport.
	base http.RoundTripper
	// resolver looks up host names for the Local Network Access check;
	// nil means net.DefaultResolver.
	resolver fetch.Resolver
}

// run runs corsprobe with args (without the program name) and returns the
// exit status.
func run(ctx context.Context, args []string, e *env) int {
	if len(args) > 0 && args[0] == "demo" {
		return runDemo(ctx, args[1:], e)
	}
	if len(args) > 0 && args[0] == "audit" {
		return runAudit(ctx, args[1:], e)
	}
	cfg, err := parseArgs(args, e)
	if errors.Is(err, flag.ErrHelp) {
		return exitAllowed
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "corsprobe: %v\n(run corsprobe -h for help)\n", err)
		return exitError
	}
	p := newProber(cfg.page, cfg.browser, cfg.cookies, e.base)
	defer p.close()
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	p.useLNA(ctx, cfg.lna, e.resolver, cfg.req.URL)
	r := p.probe(ctx, cfg.req)
	if cfg.json {
		if err := writeJSON(e.stdout, r); err != nil {
			fmt.Fprintf(e.stderr, "corsprobe: %v\n", err)
			return exitError
		}
	} else {
		tw := &textWriter{w: e.stdout, s: style{on: e.colour}, verbose: cfg.verbose}
		tw.report(r)
	}
	return exitStatus(r.Verdict.Outcome)
}

// exitStatus maps an outcome to the exit status.
func exitStatus(outcome string) int {
	switch outcome {
	case outcomeAllowed:
		return exitAllowed
	case outcomeBlocked:
		return exitBlocked
	}
	return exitError
}

// writeJSON writes r as the -json document.
func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// config is a parsed command line.
type config struct {
	page    origin.Origin
	browser fetch.Profile
	cookies *cookiestore.Store // nil: no cookies given
	req     probeRequest
	lna     lnaSettings
	json    bool
	verbose bool
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

const usage = `usage: corsprobe -origin ORIGIN [flags] URL
       corsprobe demo [-browser NAME] [-v]
       corsprobe audit -origin ORIGIN [flags] URL... (corsprobe audit -h)

corsprobe calls URL as page script at ORIGIN would with fetch(), through
corsfetch's browser simulation, and shows what the browser sends and
receives (the preflight too), what script gets or why the browser blocks it,
and how to fix the server.

Exit status: 0 allowed, 1 blocked, 2 usage or network error.

Flags:
`

// probeFlags are the flags of a probe, as given.
type probeFlags struct {
	origin, method, data        string
	mode, credentials, redirect string
	browser, cookieFile         string
	json, verbose               bool
	headers, cookies            multiFlag
	dataSet                     bool // -d was given, maybe empty
	// Local Network Access.
	pageSpace, targetSpace string
	grants, overrides      multiFlag
}

// browserUsage documents -browser, for a probe and for the demo.
const browserUsage = "the browser `profile`: chrome (or chromium), firefox, safari (or webkit) or spec, in any case"

// commandFlags returns the flag set of the command name, whose help is
// text followed by the flags' defaults, written with errors to e.stderr.
func commandFlags(e *env, name, text string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), text)
		fs.PrintDefaults()
	}
	return fs
}

// newFlagSet returns the flag set of a probe, writing help and errors to
// e.stderr, and the values it fills in.
func newFlagSet(e *env) (*flag.FlagSet, *probeFlags) {
	fs := commandFlags(e, "corsprobe", usage)
	pf := &probeFlags{}
	fs.StringVar(&pf.origin, "origin", "", "the page's `origin`, such as https://app.example (required)")
	fs.StringVar(&pf.method, "X", "", "the request `method` (default GET, or POST with -d)")
	fs.StringVar(&pf.data, "d", "", "the request body; @FILE reads it from FILE, @- from standard input; sent as fetch() sends a string body, with Content-Type: text/plain;charset=UTF-8 unless -H sets one")
	fs.StringVar(&pf.mode, "mode", fetch.ModeCORS.String(), "the request `mode`: cors, no-cors or same-origin")
	fs.StringVar(&pf.credentials, "credentials", fetch.CredentialsSameOrigin.String(), "the credentials `mode`: omit, same-origin or include")
	fs.StringVar(&pf.redirect, "redirect", fetch.RedirectFollow.String(), "the redirect `mode`: follow, error or manual")
	fs.StringVar(&pf.browser, "browser", "chrome", browserUsage)
	fs.StringVar(&pf.cookieFile, "cookie-file", "", "a Netscape-format cookie `file` (as curl -c writes) with the browser's cookies")
	fs.BoolVar(&pf.json, "json", false, "write the report as JSON (see the package documentation for its fields)")
	fs.BoolVar(&pf.verbose, "v", false, "show every header of every request and response")
	fs.Var(&pf.headers, "H", "a request `header` the page sets, \"Name: value\" (repeatable)")
	fs.Var(&pf.cookies, "cookie", "a browser cookie for the URL's host, `NAME=VALUE`, optionally followed by Set-Cookie attributes ('; SameSite=None; Secure') (repeatable)")
	fs.StringVar(&pf.pageSpace, "page-address-space", "", "the page's address `space` for Local Network Access: public, local, loopback or unknown (no check). "+
		"Default: public when the page's host is a name and the URL's server is local or loopback, else unknown")
	fs.Var(&pf.grants, "grant", "a `permission` the user granted the page: local-network, loopback-network or local-network-access (both); repeatable or comma-separated")
	fs.StringVar(&pf.targetSpace, "target-address-space", "", "fetch()'s targetAddressSpace `space`: local, loopback or public (Chrome)")
	fs.Var(&pf.overrides, "address-space-overrides", "address spaces other than the address's: a `list` in the syntax of Chrome's --ip-address-space-overrides: "+
		"IP:PORT=SPACE or PREFIX=SPACE, comma-separated (repeatable)")
	return fs, pf
}

// parseArgs parses the command line of a probe. Flags may come before or
// after the URL. The checks run in a fixed order, so that of several
// mistakes the same one is reported first: the URL count, -origin,
// -browser, the URL, -H, -d, -mode, -credentials, -redirect,
// -target-address-space, -cookie, -cookie-file, -page-address-space,
// -grant and -address-space-overrides.
func parseArgs(args []string, e *env) (*config, error) {
	fs, pf := newFlagSet(e)
	rawURL, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	pf.dataSet = flagSet(fs, "d")
	if pf.origin == "" {
		return nil, errors.New("-origin is required: the origin of the page that calls fetch(), such as https://app.example")
	}
	cfg := &config{json: pf.json, verbose: pf.verbose}
	if cfg.page, err = origin.Parse(pf.origin); err != nil {
		return nil, fmt.Errorf("-origin: %v", err)
	}
	if cfg.browser, err = profileNamed(pf.browser); err != nil {
		return nil, err
	}
	u, err := parseTarget(rawURL)
	if err != nil {
		return nil, err
	}
	if cfg.req, err = pf.request(u, e.stdin); err != nil {
		return nil, err
	}
	if cfg.cookies, cfg.req.Cookies, err = pf.cookieStore(u, cfg.page, cfg.browser.Cookies.Limits); err != nil {
		return nil, err
	}
	if cfg.lna, err = pf.lnaSettings(fs); err != nil {
		return nil, err
	}
	cfg.lna.target = cfg.req.Options.TargetAddressSpace
	return cfg, nil
}

// parseInterleaved parses args with fs, flags before and after the
// positional arguments, and returns the one positional argument: the URL.
func parseInterleaved(fs *flag.FlagSet, args []string) (string, error) {
	positional, err := parsePositional(fs, args)
	if err != nil {
		return "", err
	}
	if len(positional) != 1 {
		return "", fmt.Errorf("want exactly one URL, got %d", len(positional))
	}
	return positional[0], nil
}

// parsePositional parses args with fs, flags before and after the
// positional arguments, and returns the positional arguments in order.
func parsePositional(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseTarget parses the URL to fetch, which must be absolute.
func parseTarget(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("URL: %v", err)
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("URL %q: want an absolute http or https URL", raw)
	}
	return u, nil
}

// request returns the fetch() call to u that the flags describe: its
// headers (-H), body (-d, read from stdin for @-), method (-X) and
// options (-mode, -credentials, -redirect).
func (pf *probeFlags) request(u *url.URL, stdin io.Reader) (probeRequest, error) {
	req := probeRequest{URL: u, Header: http.Header{}}
	for _, h := range pf.headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return probeRequest{}, fmt.Errorf("-H %q: want \"Name: value\"", h)
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if pf.dataSet {
		body, err := readData(pf.data, stdin)
		if err != nil {
			return probeRequest{}, err
		}
		req.Body, req.HasBody = body, true
		if req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		}
	}
	req.Method = pf.method
	if req.Method == "" {
		req.Method = http.MethodGet
		if req.HasBody {
			req.Method = http.MethodPost
		}
	}
	var err error
	req.Options, err = pf.options()
	return req, err
}

// options parses -mode, -credentials and -redirect as fetch() names their
// values.
func (pf *probeFlags) options() (fetch.Options, error) {
	var o fetch.Options
	if err := o.Mode.UnmarshalText([]byte(pf.mode)); err != nil {
		return o, fmt.Errorf("-mode: %v", err)
	}
	if err := o.Credentials.UnmarshalText([]byte(pf.credentials)); err != nil {
		return o, fmt.Errorf("-credentials: %v", err)
	}
	if err := o.Redirect.UnmarshalText([]byte(pf.redirect)); err != nil {
		return o, fmt.Errorf("-redirect: %v", err)
	}
	if pf.targetSpace != "" {
		var err error
		if o.TargetAddressSpace, err = parseSpace("target-address-space", pf.targetSpace); err != nil {
			return o, err
		}
	}
	return o, nil
}

// lnaSettings parses -page-address-space, -grant and
// -address-space-overrides.
func (pf *probeFlags) lnaSettings(fs *flag.FlagSet) (lnaSettings, error) {
	var l lnaSettings
	var err error
	if l.set = flagSet(fs, "page-address-space"); l.set {
		if l.space, err = parseSpace("page-address-space", pf.pageSpace); err != nil {
			return l, err
		}
	}
	if l.grants, err = parseGrants(pf.grants); err != nil {
		return l, err
	}
	if len(pf.overrides) > 0 {
		if l.overrides, err = fetch.ParseAddressSpaceOverrides(strings.Join(pf.overrides, ",")); err != nil {
			return l, fmt.Errorf("-address-space-overrides: %v", err)
		}
	}
	return l, nil
}

// flagSet reports whether the flag name was given.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// readData returns the body of -d.
func readData(d string, stdin io.Reader) ([]byte, error) {
	path, ok := strings.CutPrefix(d, "@")
	if !ok {
		return []byte(d), nil
	}
	if path == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("-d @-: %v", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-d: %v", err)
	}
	return b, nil
}

// profileNamed returns the profile -browser names, as fetch.ProfileByName
// knows them.
func profileNamed(name string) (fetch.Profile, error) {
	if p, ok := fetch.ProfileByName(name); ok {
		return p, nil
	}
	var names []string
	for _, p := range fetch.Profiles() {
		names = append(names, strings.ToLower(p.Name))
	}
	return fetch.Profile{}, fmt.Errorf("-browser %q: want %s or %s", name, strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}
