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
}

// run runs corsprobe with args (without the program name) and returns the
// exit status.
func run(ctx context.Context, args []string, e *env) int {
	if len(args) > 0 && args[0] == "demo" {
		return runDemo(ctx, args[1:], e)
	}
	cfg, err := parseArgs(args, e)
	if errors.Is(err, flag.ErrHelp) {
		return exitAllowed
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "corsprobe: %v\n(run corsprobe -h for help)\n", err)
		return exitError
	}
	p := newProber(cfg.page, cfg.browser, cfg.jar, e.base)
	defer p.close()
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
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
	jar     http.CookieJar
	req     probeRequest
	json    bool
	verbose bool
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

const usage = `usage: corsprobe -origin ORIGIN [flags] URL
       corsprobe demo [-browser NAME] [-v]

corsprobe calls URL as page script at ORIGIN would with fetch(), through
corsfetch's browser simulation, and shows what the browser sends and
receives (the preflight too), what script gets or why the browser blocks it,
and how to fix the server.

Exit status: 0 allowed, 1 blocked, 2 usage or network error.

Flags:
`

// parseArgs parses the command line of a probe. Flags may come before or
// after the URL.
func parseArgs(args []string, e *env) (*config, error) {
	fs := flag.NewFlagSet("corsprobe", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	var (
		pageFlag   = fs.String("origin", "", "the page's `origin`, such as https://app.example (required)")
		method     = fs.String("X", "", "the request `method` (default GET, or POST with -d)")
		data       = fs.String("d", "", "the request body; @FILE reads it from FILE, @- from standard input; sent as fetch() sends a string body, with Content-Type: text/plain;charset=UTF-8 unless -H sets one")
		mode       = fs.String("mode", "cors", "the request `mode`: cors, no-cors or same-origin")
		creds      = fs.String("credentials", "same-origin", "the credentials `mode`: omit, same-origin or include")
		redir      = fs.String("redirect", "follow", "the redirect `mode`: follow, error or manual")
		browser    = fs.String("browser", "chrome", "the browser `profile`: chrome, firefox, safari or spec")
		cookieFile = fs.String("cookie-file", "", "a Netscape-format cookie `file` (as curl -c writes) with the browser's cookies")
		jsonOut    = fs.Bool("json", false, "write the report as JSON (see the package documentation for its fields)")
		verbose    = fs.Bool("v", false, "show every header of every request and response")
		headers    multiFlag
		cookies    multiFlag
	)
	fs.Var(&headers, "H", "a request `header` the page sets, \"Name: value\" (repeatable)")
	fs.Var(&cookies, "cookie", "a browser cookie for the URL's host, `NAME=VALUE` (repeatable)")

	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != 1 {
		return nil, fmt.Errorf("want exactly one URL, got %d", len(positional))
	}
	if *pageFlag == "" {
		return nil, errors.New("-origin is required: the origin of the page that calls fetch(), such as https://app.example")
	}
	cfg := &config{json: *jsonOut, verbose: *verbose}
	var err error
	if cfg.page, err = origin.Parse(*pageFlag); err != nil {
		return nil, fmt.Errorf("-origin: %v", err)
	}
	if cfg.browser, err = browserProfile(*browser); err != nil {
		return nil, err
	}
	u, err := url.Parse(positional[0])
	if err != nil {
		return nil, fmt.Errorf("URL: %v", err)
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("URL %q: want an absolute http or https URL", positional[0])
	}
	req := probeRequest{URL: u, Header: http.Header{}}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("-H %q: want \"Name: value\"", h)
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if flagSet(fs, "d") {
		body, err := readData(*data, e.stdin)
		if err != nil {
			return nil, err
		}
		req.Body, req.HasBody = body, true
		if req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		}
	}
	req.Method = *method
	if req.Method == "" {
		req.Method = http.MethodGet
		if req.HasBody {
			req.Method = http.MethodPost
		}
	}
	if req.Options.Mode, err = parseMode(*mode); err != nil {
		return nil, err
	}
	if req.Options.Credentials, err = parseCredentials(*creds); err != nil {
		return nil, err
	}
	if req.Options.Redirect, err = parseRedirect(*redir); err != nil {
		return nil, err
	}
	if len(cookies) > 0 || *cookieFile != "" {
		jar := newJar()
		for _, s := range cookies {
			c, err := parseCookieFlag(s)
			if err != nil {
				return nil, err
			}
			jar.SetCookies(&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"}, []*http.Cookie{c})
			req.Cookies++
		}
		if *cookieFile != "" {
			f, err := os.Open(*cookieFile)
			if err != nil {
				return nil, fmt.Errorf("-cookie-file: %v", err)
			}
			list, err := parseNetscape(f, *cookieFile)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("-cookie-file: %v", err)
			}
			for _, c := range list {
				jar.SetCookies(c.url, []*http.Cookie{c.cookie})
			}
			req.Cookies += len(list)
		}
		cfg.jar = jar
	}
	cfg.req = req
	return cfg, nil
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

func browserProfile(name string) (fetch.Profile, error) {
	switch strings.ToLower(name) {
	case "chrome", "chromium":
		return fetch.Chrome, nil
	case "firefox":
		return fetch.Firefox, nil
	case "safari", "webkit":
		return fetch.Safari, nil
	case "spec":
		return fetch.Spec, nil
	}
	return fetch.Profile{}, fmt.Errorf("-browser %q: want chrome, firefox, safari or spec", name)
}

func parseMode(s string) (fetch.Mode, error) {
	for _, m := range []fetch.Mode{fetch.ModeCORS, fetch.ModeNoCORS, fetch.ModeSameOrigin} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("-mode %q: want cors, no-cors or same-origin", s)
}

func parseCredentials(s string) (fetch.Credentials, error) {
	for _, c := range []fetch.Credentials{fetch.CredentialsOmit, fetch.CredentialsSameOrigin, fetch.CredentialsInclude} {
		if c.String() == s {
			return c, nil
		}
	}
	return 0, fmt.Errorf("-credentials %q: want omit, same-origin or include", s)
}

func parseRedirect(s string) (fetch.Redirect, error) {
	for _, r := range []fetch.Redirect{fetch.RedirectFollow, fetch.RedirectError, fetch.RedirectManual} {
		if r.String() == s {
			return r, nil
		}
	}
	return 0, fmt.Errorf("-redirect %q: want follow, error or manual", s)
}
