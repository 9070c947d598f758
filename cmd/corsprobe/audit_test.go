package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/audit"
	"github.com/corsfetch/corsfetch/internal/golden"
)

// auditServer is the demo API over TLS, for a page at testPage, with a
// base transport that sends every host name to it: the URLs name fixed
// hosts (api.test, which does not resolve, and nas.test, a local address
// for testResolver), so that the output does not depend on the server's
// port, and are https, as the page is, so that no fetch is mixed content.
func auditServer(t *testing.T) http.RoundTripper {
	t.Helper()
	srv := httptest.NewTLSServer(noDate(apiHandler(demoSites{page: testPage, api: "https://api.test", other: "https://other.test"})))
	t.Cleanup(srv.Close)
	return dialOnly(t, srv.Listener.Addr().String(), &tls.Config{InsecureSkipVerify: true}) // the test certificate names 127.0.0.1
}

// dialOnly returns a transport that connects to addr whatever the URL's
// host.
func dialOnly(t *testing.T, addr string, tlsConfig *tls.Config) http.RoundTripper {
	base := &http.Transport{TLSClientConfig: tlsConfig, DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(base.CloseIdleConnections)
	return base
}

// runAuditCLI runs corsprobe audit in process over base.
func runAuditCLI(t *testing.T, base http.RoundTripper, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"audit"}, args...), &env{stdout: &stdout, stderr: &stderr, stdin: strings.NewReader(""), resolver: testResolver, base: base})
	return code, stdout.String(), stderr.String()
}

// TestAuditGolden checks corsprobe audit's text and JSON output, and its
// exit status, against the demo API: /reflect echoes any origin with
// credentials (and lives on loopback, which any page then reads where
// Local Network Access does not stop it), /account allows the page by
// name, /catalog lacks Vary: Origin on a cacheable answer.
func TestAuditGolden(t *testing.T) {
	t.Parallel()
	base := auditServer(t)
	for _, tt := range []struct {
		name string
		args []string
		exit int
	}{
		{"audit-reflect", []string{"-origin", testPage, "-interval", "0", "https://nas.test/reflect"}, exitAllowed},
		{"audit-strict-fail-on-low", []string{"-origin", testPage, "-interval", "0", "-fail-on", "low", "https://api.test/account"}, exitAllowed},
		{"audit-catalog-fail-on-medium", []string{"-origin", testPage, "-interval", "0", "-fail-on", "medium", "-browser", "firefox", "https://api.test/catalog"}, exitBlocked},
		{"audit-json", []string{"-json", "-origin", testPage, "-interval", "0", "-max-requests", "12", "https://nas.test/reflect"}, exitAllowed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runAuditCLI(t, base, tt.args...)
			if code != tt.exit {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.exit, out, errOut)
			}
			golden.Check(t, filepath.Join("testdata", tt.name+".golden"), out)
		})
	}
}

// TestAuditJSON checks the JSON document's fixed fields: the schema, the
// findings' class ids and severities, a verdict per profile.
func TestAuditJSON(t *testing.T) {
	t.Parallel()
	_, out, errOut := runAuditCLI(t, auditServer(t), "-json", "-origin", testPage, "-interval", "0", "https://nas.test/reflect")
	var doc struct {
		Schema   string `json:"schema"`
		Profiles []string
		Findings []struct {
			Class    string           `json:"class"`
			Severity string           `json:"severity"`
			URL      string           `json:"url"`
			Probe    map[string]any   `json:"probe"`
			Verdicts []map[string]any `json:"verdicts"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	if doc.Schema != audit.Schema || len(doc.Findings) == 0 {
		t.Fatalf("schema %q, %d findings", doc.Schema, len(doc.Findings))
	}
	classes := map[string]bool{}
	for _, c := range audit.Classes {
		classes[string(c)] = true
	}
	for _, f := range doc.Findings {
		if !classes[f.Class] || !strings.Contains("info low medium high", f.Severity) || f.URL == "" || f.Probe["request"] == nil || len(f.Verdicts) != len(doc.Profiles) {
			t.Errorf("finding %+v", f)
		}
	}
}

// TestAuditUsage checks the errors of a bad command line: exit 2 and a
// message naming the flag.
func TestAuditUsage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "want one URL or more"},
		{[]string{"http://x.example"}, "-origin is required"},
		{[]string{"-origin", "null", "http://x.example"}, "want a tuple origin"},
		{[]string{"-origin", testPage, "-fail-on", "severe", "http://x.example"}, "-fail-on"},
		{[]string{"-origin", testPage, "-browser", "opera", "http://x.example"}, "-browser"},
		{[]string{"-origin", testPage, "-max-requests", "0", "http://x.example"}, "-max-requests"},
		{[]string{"-origin", testPage, "-H", "nocolon", "http://x.example"}, "-H"},
		{[]string{"-origin", testPage, "/relative"}, "absolute"},
		{[]string{"-origin", testPage, "-server-address-space", "mars", "http://x.example"}, "server-address-space"},
	} {
		code, _, errOut := runCLI(t, append([]string{"audit"}, tt.args...)...)
		if code != exitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestAuditMixedContent checks that an https page's audit of an http URL
// says that the page's own fetches are mixed content: every verdict of the
// legitimate page fails for that reason, not for the server's CORS.
func TestAuditMixedContent(t *testing.T) {
	t.Parallel()
	ts := newTestServers(t)
	_, out, errOut := runAuditCLI(t, dialOnly(t, ts.api.Listener.Addr().String(), nil), "-origin", testPage, "-interval", "0", "http://api.test/catalog")
	if !strings.Contains(out, "mixed content") {
		t.Errorf("no mixed-content note:\n%s%s", out, errOut)
	}
}
