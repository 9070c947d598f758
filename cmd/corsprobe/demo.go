package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// demoCase is one probe of the demo: a common server setup and the fetch()
// call that shows it.
type demoCase struct {
	title  string
	server string // what the endpoint does, in a sentence
	method string
	path   string // on the API origin
	header http.Header
	body   string
	opts   fetch.Options
	// expect is the outcome the demo is built to show; a different one
	// means the demo (or the simulation) is broken.
	expect string
	// page is the page's origin when it is not the demo's page, with
	// the address space the default rule gives it (useLNA); the demo's
	// page makes no Local Network Access check.
	page string
	// lna marks a case of Local Network Access, which a profile without
	// the check (Safari) allows.
	lna bool
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

var demoCases = []demoCase{
	{
		title:  "An open API",
		server: "answers every origin with `Access-Control-Allow-Origin: *`.",
		method: http.MethodGet, path: "/open",
		expect: outcomeAllowed,
	},
	{
		title:  "An allow-list with credentials",
		server: "echoes the Origin when it is on its allow-list, with `Access-Control-Allow-Credentials: true` and `Vary: Origin`.",
		method: http.MethodGet, path: "/account",
		opts:   fetch.Options{Credentials: fetch.CredentialsInclude},
		expect: outcomeAllowed,
	},
	{
		title:  "A preflighted PUT, with a day-long Max-Age",
		server: "answers the preflight for the allow-listed origin with `Access-Control-Max-Age: 86400`.",
		method: http.MethodPut, path: "/settings", header: jsonHeader, body: `{"theme":"dark"}`,
		opts:   fetch.Options{Credentials: fetch.CredentialsInclude},
		expect: outcomeAllowed,
	},
	{
		title:  "The same PUT again",
		server: "is the same as before; the browser remembers its preflight answer.",
		method: http.MethodPut, path: "/settings", header: jsonHeader, body: `{"theme":"light"}`,
		opts:   fetch.Options{Credentials: fetch.CredentialsInclude},
		expect: outcomeAllowed,
	},
	{
		title:  "A server without preflight support",
		server: "handles GET and PUT with `Access-Control-Allow-Origin: *`, but answers OPTIONS with 405 Method Not Allowed.",
		method: http.MethodPut, path: "/items/1", header: jsonHeader, body: `{"name":"teapot"}`,
		expect: outcomeBlocked,
	},
	{
		title:  "`*` with credentials",
		server: "answers `Access-Control-Allow-Origin: *`; the page sends cookies (credentials: \"include\").",
		method: http.MethodGet, path: "/private",
		opts:   fetch.Options{Credentials: fetch.CredentialsInclude},
		expect: outcomeBlocked,
	},
	{
		title:  "A redirect to another origin",
		server: "redirects to an endpoint on another origin, which allows the page's origin by name.",
		method: http.MethodGet, path: "/moved",
		expect: outcomeBlocked,
	},
	{
		title:  "A custom header, not exposed",
		server: "sends X-Total-Count and X-Request-Id with `Access-Control-Allow-Origin: *` and nothing else.",
		method: http.MethodGet, path: "/report",
		expect: outcomeAllowed,
	},
	{
		title:  "The same header, exposed",
		server: "adds `Access-Control-Expose-Headers: X-Total-Count`.",
		method: http.MethodGet, path: "/report?expose=1",
		expect: outcomeAllowed,
	},
	{
		title:  "Any origin reflected, with credentials",
		server: "echoes whatever Origin it gets, with `Access-Control-Allow-Credentials: true` and no `Vary: Origin`.",
		method: http.MethodGet, path: "/reflect",
		opts:   fetch.Options{Credentials: fetch.CredentialsInclude},
		expect: outcomeAllowed,
	},
	{
		title: "A cacheable answer without `Vary: Origin`",
		server: "allows the allow-listed origin by name and lets browsers cache the answer for an hour (`Cache-Control: public, max-age=3600`), " +
			"without `Vary: Origin`; asked without an Origin, it sends no CORS headers.",
		method: http.MethodGet, path: "/catalog",
		expect: outcomeAllowed,
	},
	{
		title: "A public page calling the API on loopback",
		server: "is the open API of case 1, on this machine. The page is now " + lnaDemoPage + ", a site on the internet: " +
			"corsprobe assumes it public, and the API is loopback, less public, so the browser needs the user's permission (Local Network Access).",
		method: http.MethodGet, path: "/open",
		expect: outcomeBlocked,
		page:   lnaDemoPage, lna: true,
	},
}

// lnaDemoPage is the page of the demo's Local Network Access case.
const lnaDemoPage = "https://app.example"

// demoSites are the demo's origins: the page's, the API's and the other
// origin the API redirects to.
type demoSites struct {
	page, api, other string // serialized origins
	// fallback explains why the API is not on 127.0.0.2, or is empty.
	fallback string
}

// demoServers listens on loopback and serves the page origin, the API and
// the other origin until close is called.
type demoServers struct {
	sites   demoSites
	servers []*http.Server
}

// startDemo starts the demo's servers: the page on 127.0.0.1, the API on
// 127.0.0.2 (another site), and the other origin on another port of the
// API's host. Where 127.0.0.2 cannot be bound (macOS by default), the API
// runs on 127.0.0.1 and the page's origin is http://localhost:PORT, which
// is another site as well.
func startDemo() (*demoServers, error) {
	d := &demoServers{}
	pageLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.1: %v", err)
	}
	pagePort := pageLn.Addr().(*net.TCPAddr).Port
	d.sites.page = fmt.Sprintf("http://127.0.0.1:%d", pagePort)
	apiHost := "127.0.0.2"
	apiLn, err := net.Listen("tcp", apiHost+":0")
	if err != nil {
		apiHost = "127.0.0.1"
		d.sites.page = fmt.Sprintf("http://localhost:%d", pagePort)
		d.sites.fallback = fmt.Sprintf("127.0.0.2 cannot be used here (%v); the API runs on 127.0.0.1 and the page's origin is %s, which is another site too.", err, d.sites.page)
		if apiLn, err = net.Listen("tcp", apiHost+":0"); err != nil {
			pageLn.Close()
			return nil, fmt.Errorf("listen on %s: %v", apiHost, err)
		}
	}
	otherLn, err := net.Listen("tcp", apiHost+":0")
	if err != nil {
		pageLn.Close()
		apiLn.Close()
		return nil, fmt.Errorf("listen on %s: %v", apiHost, err)
	}
	d.sites.api = "http://" + apiLn.Addr().String()
	d.sites.other = "http://" + otherLn.Addr().String()
	d.serve(pageLn, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "corsprobe demo: the page's origin. The API is at %s.\n", d.sites.api)
	}))
	d.serve(apiLn, apiHandler(d.sites))
	d.serve(otherLn, otherHandler(d.sites))
	return d, nil
}

func (d *demoServers) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: noDate(h), ReadHeaderTimeout: 10 * time.Second}
	d.servers = append(d.servers, srv)
	go srv.Serve(ln)
}

func (d *demoServers) close() {
	for _, s := range d.servers {
		s.Close()
	}
}

// apiHandler is the demo API; each path is one common setup.
func apiHandler(s demoSites) http.Handler {
	allowList := map[string]bool{s.page: true}
	mux := http.NewServeMux()
	mux.HandleFunc("/open", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		writeJSONBody(w, `{"items":["tea","coffee"]}`)
	})
	mux.HandleFunc("/account", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Origin")
		if o := r.Header.Get("Origin"); allowList[o] {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		writeJSONBody(w, `{"user":"ada"}`)
	})
	mux.HandleFunc("/settings", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Origin")
		if o := r.Header.Get("Origin"); allowList[o] {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, PUT")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.Header().Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		io.Copy(io.Discard, r.Body)
		writeJSONBody(w, `{"saved":true}`)
	})
	mux.HandleFunc("/items/1", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodPut:
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Access-Control-Allow-Origin", "*")
			writeJSONBody(w, `{"id":1,"name":"kettle"}`)
		default:
			w.Header().Set("Allow", "GET, HEAD, PUT")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
	mux.HandleFunc("/private", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		writeJSONBody(w, `{"balance":42}`)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Origin")
		if o := r.Header.Get("Origin"); allowList[o] {
			w.Header().Set("Access-Control-Allow-Origin", o)
		}
		http.Redirect(w, r, s.other+"/data", http.StatusFound)
	})
	mux.HandleFunc("/report", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Query().Get("expose") != "" {
			w.Header().Set("Access-Control-Expose-Headers", "X-Total-Count")
		}
		w.Header().Set("X-Total-Count", "42")
		w.Header().Set("X-Request-Id", "demo-7f3a")
		writeJSONBody(w, `{"page":1}`)
	})
	mux.HandleFunc("/catalog", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		if o := r.Header.Get("Origin"); allowList[o] {
			w.Header().Set("Access-Control-Allow-Origin", o)
		}
		writeJSONBody(w, `{"items":["tea","coffee","cocoa"]}`)
	})
	mux.HandleFunc("/reflect", func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		writeJSONBody(w, `{"user":"ada","token":"s3cr3t"}`)
	})
	return mux
}

// otherHandler is the other origin: it allows the page's origin by name,
// as a fixed setting.
func otherHandler(s demoSites) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", s.page)
		writeJSONBody(w, `{"moved":true}`)
	})
}

func writeJSONBody(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, body+"\n")
}

// noDate serves h without a Date header, which would only make the output
// differ from run to run.
func noDate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		h.ServeHTTP(w, r)
	})
}

// expectFor returns the outcome the case expects under the profile b: a
// Local Network Access case is allowed by a profile without the check.
func (c demoCase) expectFor(b fetch.Profile) string {
	if c.lna && b.LocalNetwork.Off {
		return outcomeAllowed
	}
	return c.expect
}

// demoResult is one case's outcome for the summary.
type demoResult struct {
	c      demoCase
	report *Report
}

// runDemo runs `corsprobe demo`: it starts the demo servers, probes every
// case as one page would, and prints each exchange and verdict and a
// summary. It exits 0 when every case had the outcome it was built to show,
// blocked ones included.
func runDemo(ctx context.Context, args []string, e *env) int {
	fs := commandFlags(e, "corsprobe demo", "usage: corsprobe demo [-browser NAME] [-v]\n\nStarts a demo API on loopback and probes common CORS setups.\n\nFlags:\n")
	browser := fs.String("browser", "chrome", browserUsage)
	verbose := fs.Bool("v", false, "show every header of every request and response")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAllowed
		}
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "corsprobe demo: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	b, err := profileNamed(*browser)
	if err != nil {
		fmt.Fprintf(e.stderr, "corsprobe demo: %v\n", err)
		return exitError
	}
	d, err := startDemo()
	if err != nil {
		fmt.Fprintf(e.stderr, "corsprobe demo: %v\n", err)
		return exitError
	}
	defer d.close()
	return demo(ctx, d.sites, b, *verbose, e)
}

// demo probes every case against the servers at sites.
func demo(ctx context.Context, sites demoSites, b fetch.Profile, verbose bool, e *env) int {
	w := e.stdout
	st := style{on: e.colour}
	fmt.Fprintf(w, "%s\n", st.bold("corsprobe demo"))
	fmt.Fprintf(w, "A page at %s calls fetch() on a demo API at %s (another site), as %s would.\n", sites.page, sites.api, b.Name)
	if sites.fallback != "" {
		fmt.Fprintf(w, "%s\n", sites.fallback)
	}
	fmt.Fprintln(w, "Both are on this machine, so Local Network Access plays no part until the last case, a page on the internet.")
	fmt.Fprintln(w, "Each case shows what the browser sends and receives, what script gets, and how to fix the server.")
	p := newProber(origin.MustParse(sites.page), b, nil, e.base)
	defer p.close()
	p.useLNA(ctx, lnaSettings{set: true}, e.resolver, nil)
	tw := &textWriter{w: w, s: st, verbose: verbose}
	var results []demoResult
	for i, c := range demoCases {
		u, err := url.Parse(sites.api + c.path)
		if err != nil {
			fmt.Fprintf(e.stderr, "corsprobe demo: %v\n", err)
			return exitError
		}
		var body []byte
		if c.body != "" {
			body = []byte(c.body)
		}
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		cp := p
		if c.page != "" {
			cp = newProber(origin.MustParse(c.page), b, nil, e.base)
			cp.useLNA(pctx, lnaSettings{}, e.resolver, u)
		}
		r := cp.probe(pctx, probeRequest{Method: c.method, URL: u, Header: c.header, Body: body, HasBody: body != nil, Options: c.opts})
		cancel()
		fmt.Fprintf(w, "\n%s\n", st.bold(fmt.Sprintf("=== %d/%d  %s", i+1, len(demoCases), c.title)))
		fmt.Fprintf(w, "The server %s\n\n", c.server)
		tw.report(r)
		results = append(results, demoResult{c: c, report: r})
		if r.Verdict.Outcome == outcomeError {
			fmt.Fprintf(e.stderr, "corsprobe demo: case %d: %s\n", i+1, r.Verdict.Error.Console)
			return exitError
		}
	}
	return demoSummary(w, st, b, results)
}

// demoSummary writes the summary table and returns the exit status.
func demoSummary(w io.Writer, st style, b fetch.Profile, results []demoResult) int {
	fmt.Fprintf(w, "\n%s\n", st.bold("=== Summary ("+b.Name+")"))
	width := 0
	for _, r := range results {
		width = max(width, len(r.c.title))
	}
	allowed, blocked, unexpected := 0, 0, 0
	for i, r := range results {
		v := r.report.Verdict
		var outcome, detail string
		switch v.Outcome {
		case outcomeAllowed:
			allowed++
			outcome = st.green("allowed")
			detail = fmt.Sprintf("%s %d", v.Response.Type, v.Response.Status)
		default:
			blocked++
			outcome = st.red("blocked")
			detail = v.Error.Reason
			if v.Error.Preflight {
				detail += " (preflight)"
			}
		}
		if len(r.report.Warnings) > 0 {
			detail += fmt.Sprintf(", %d %s", len(r.report.Warnings), plural(len(r.report.Warnings), "warning"))
		}
		mark := ""
		if expect := r.c.expectFor(b); v.Outcome != expect {
			unexpected++
			mark = st.red("  UNEXPECTED: the demo expects " + expect)
		}
		fmt.Fprintf(w, "  %2d  %-*s  %s  %s%s\n", i+1, width, r.c.title, outcome, detail, mark)
	}
	if unexpected > 0 {
		fmt.Fprintf(w, "\n%d of %d cases did not end as the demo expects.\n", unexpected, len(results))
		return exitBlocked
	}
	fmt.Fprintf(w, "\n%d allowed, %d blocked by design: every case ended as expected.\n", allowed, blocked)
	fmt.Fprintf(w, "Probe your own server the same way:\n  go run ./cmd/corsprobe -origin https://app.example -X PUT -H 'Content-Type: application/json' -d '{}' https://api.example/items/1\n")
	return exitAllowed
}
