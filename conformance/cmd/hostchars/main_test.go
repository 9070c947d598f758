//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func TestCandidates(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	ascii := 0
	for _, c := range candidates {
		if seen[c] {
			t.Errorf("candidate %q listed twice", c)
		}
		seen[c] = true
		r := []rune(c)
		if len(r) != 1 {
			t.Errorf("candidate %q is not one character", c)
			continue
		}
		if r[0] < 0x80 {
			ascii++
			if unicode.IsLetter(r[0]) || unicode.IsDigit(r[0]) || r[0] == '.' || r[0] == '-' || r[0] < 0x20 || r[0] == 0x7f {
				t.Errorf("candidate %q is not a special printable ASCII character", c)
			}
		}
	}
	// 95 printable ASCII characters, less 52 letters, 10 digits, "." and "-".
	if ascii != 31 {
		t.Errorf("%d ASCII candidates; want 31", ascii)
	}
}

func TestSelectChars(t *testing.T) {
	t.Parallel()
	got, err := selectChars(candidates, "_{ ")
	if want := []string{" ", "_", "{"}; err != nil || !cmp.Equal(want, got) {
		t.Errorf("selectChars(_{ ) = %q, %v; want %q", got, err, want)
	}
	if got, err := selectChars(candidates, ""); err != nil || len(got) != len(candidates) {
		t.Errorf("selectChars(\"\") = %d candidates, %v; want all", len(got), err)
	}
	if _, err := selectChars(candidates, "ab"); err == nil {
		t.Error("selectChars(ab) succeeded; want an error: no candidate")
	}
}

func TestKeptAs(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]string{
		"target.example_.attacker.test":        "_",
		"target.example%20.attacker.test":      "%20",
		"target.example..attacker.test":        ".",
		"target.example.attacker.test":         "",
		"target.example":                       "",
		".attacker.test":                       "",
		"target.xn--example-6va.attacker.test": "",
		"":                                     "",
	} {
		if got := keptAs(host); got != want {
			t.Errorf("keptAs(%q) = %q; want %q", host, got, want)
		}
	}
	if got := originHost("http://a_.b"); got != "a_.b" {
		t.Errorf("originHost(http://a_.b) = %q", got)
	}
	if got := originHost("null"); got != "" {
		t.Errorf("originHost(null) = %q; want empty", got)
	}
	if got := codePoint("\u00a0"); got != "U+00A0" {
		t.Errorf("codePoint(NBSP) = %q", got)
	}
}

func TestReadRequest(t *testing.T) {
	t.Parallel()
	raw := "GET http://target.example{ |.attacker.test/hc/probe?i=3 HTTP/1.1\r\n" +
		"Host: target.example{ |.attacker.test\r\n" +
		"origin:  http://x_.y \r\n" +
		"Content-Length: 4\r\n\r\nbodyNEXT"
	br := bufio.NewReader(strings.NewReader(raw))
	r, err := readRequest(br)
	if err != nil {
		t.Fatal(err)
	}
	if r.method != "GET" || r.target != "http://target.example{ |.attacker.test/hc/probe?i=3" || r.proto != "HTTP/1.1" || string(r.body) != "body" {
		t.Errorf("request = %+v", r)
	}
	if v, ok := r.get("Origin"); !ok || v != "http://x_.y" {
		t.Errorf("Origin = %q, %v", v, ok)
	}
	if _, ok := r.get("Cookie"); ok {
		t.Error("a missing field was found")
	}
	host, path := splitTarget(r)
	if host != "target.example{ |.attacker.test" || path != "/hc/probe?i=3" {
		t.Errorf("splitTarget = %q, %q", host, path)
	}
	r.target = "/hc/go?i=1"
	r.header = []field{{"Host", "hostchars.test"}}
	if host, path := splitTarget(r); host != "hostchars.test" || path != "/hc/go?i=1" {
		t.Errorf("splitTarget of an origin-form target = %q, %q", host, path)
	}
	r.target = "HTTP://a.b"
	if host, path := splitTarget(r); host != "a.b" || path != "/" {
		t.Errorf("splitTarget(HTTP://a.b) = %q, %q", host, path)
	}
	for _, bad := range []string{
		"GET\r\n\r\n",
		"GET / HTTP/1.1\r\nno colon\r\n\r\n",
		"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
		"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nshort",
		"GET / HTTP/1.1\r\n" + strings.Repeat("a", maxLine+1) + "\r\n\r\n",
	} {
		if _, err := readRequest(bufio.NewReader(strings.NewReader(bad))); err == nil {
			t.Errorf("readRequest(%.40q) succeeded", bad)
		}
	}
}

// browser plays the requests a browser makes in a run through st.handle.
type browser struct {
	t  *testing.T
	st *state
}

func (b browser) do(method, target string, header ...field) response {
	b.t.Helper()
	host, _, _ := strings.Cut(strings.TrimPrefix(target, "http://"), "/")
	r := &request{method: method, target: target, proto: "HTTP/1.1", header: append([]field{{"Host", host}}, header...)}
	return b.st.handle(r)
}

func (b browser) post(target, body string) response {
	r := &request{method: "POST", target: target, proto: "HTTP/1.1", header: []field{{"Host", controlHost}}, body: []byte(body)}
	return b.st.handle(r)
}

// TestRun plays a run of three candidates: one loads and sends its origin,
// one throws in location.href, one never comes back; then checks the
// results built from what the proxy saw.
func TestRun(t *testing.T) {
	t.Parallel()
	st := newState([]string{"_", "|", "!"}, false)
	b := browser{t, st}
	page := b.do("GET", "http://hostchars.test/hc/go?i=0")
	if page.status != 200 || !strings.Contains(page.body, `const chars = ["_","|","!"], i = 0, parse = true;`) {
		t.Fatalf("first page = %d %s", page.status, page.body)
	}
	if got := b.post("http://hostchars.test/hc/parsed", `[{"host":"target.example_.attacker.test","origin":"https://target.example_.attacker.test","error":""},`+
		`{"host":"","origin":"","error":"TypeError: Invalid URL"},{"host":"target.example!.attacker.test","origin":"https://target.example!.attacker.test","error":""}]`); got.status != 204 {
		t.Errorf("POST /hc/parsed = %d", got.status)
	}
	if got := b.post("http://hostchars.test/hc/parsed", `[]`); got.status != 404 {
		t.Errorf("POST /hc/parsed of a short list = %d; want 404", got.status)
	}
	if got := b.do("GET", "http://target.example_.attacker.test/hc/probe?i=0"); got.status != 200 || !strings.Contains(got.body, "const i = 0;") {
		t.Errorf("page of candidate 0 = %d %s", got.status, got.body)
	}
	if got := b.do("GET", "http://update.googleapis.com/service/update2/json"); got.status != 404 {
		t.Errorf("a request of the browser's own = %d; want 404", got.status)
	}
	if got := b.do("GET", "http://target.example_.attacker.test/favicon.ico"); got.status != 404 {
		t.Errorf("favicon = %d; want 404", got.status)
	}
	api := b.do("GET", "http://target.example/hc/api?i=0", field{"Origin", "http://target.example_.attacker.test"})
	if want := (field{"Access-Control-Allow-Origin", "http://target.example_.attacker.test"}); api.status != 200 || !containsField(api.header, want) {
		t.Errorf("api = %d %v; want 200 with %v", api.status, api.header, want)
	}
	page = b.do("GET", "http://hostchars.test/hc/go?i=1&prev=0&fetch=status%20200&origin=http%3A%2F%2Ftarget.example_.attacker.test")
	if !strings.Contains(page.body, "i = 1, parse = false;") {
		t.Errorf("second page: %s", page.body)
	}
	b.do("GET", "http://hostchars.test/hc/go?i=2&prev=1&nav_error=SyntaxError%3A%20bad")
	if cur, pages, _, done := st.progress(); cur != 2 || pages != 3 || done {
		t.Errorf("progress() = %d, %d, %v; want at candidate 2 after 3 pages, not done", cur, pages, done)
	}
	st.markStuck(2)
	if got := b.do("GET", "http://hostchars.test/hc/go?i=3"); !strings.Contains(got.body, "done") {
		t.Errorf("page past the last candidate: %s", got.body)
	}
	if _, _, _, done := st.progress(); !done {
		t.Error("run not done past the last candidate")
	}
	if got := b.do("CONNECT", "example.org:443"); got.status != 502 {
		t.Errorf("CONNECT = %d; want 502", got.status)
	}
	p := passes{proxied: st.result(false), directSetup: "no", proxySetup: "proxy"}
	e, warnings := p.engine("Test 1", "2026-01-02", st.chars)
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
	checkRunResults(t, e)
}

func checkRunResults(t *testing.T, e *Engine) {
	t.Helper()
	yes, no := true, false
	want := []Char{{
		Char: "_", CodePoint: "U+005F", URLHost: "target.example_.attacker.test", URLOrigin: "https://target.example_.attacker.test", HostKept: true,
		Proxied: Load{
			Navigation: "loaded", PageLoaded: &yes, PageHost: "target.example_.attacker.test", PageRequest: "http://target.example_.attacker.test/hc/probe?i=0",
			PageOrigin: "http://target.example_.attacker.test", FetchSeen: &yes, FetchResult: "status 200",
			OriginSent: "http://target.example_.attacker.test", AttackerUsable: &yes, SentAs: "_",
		},
	}, {
		Char: "|", CodePoint: "U+007C", URLError: "TypeError: Invalid URL",
		Proxied: Load{Navigation: "location.href threw SyntaxError: bad", PageLoaded: &no, FetchSeen: &no, AttackerUsable: &no},
	}, {
		Char: "!", CodePoint: "U+0021", URLHost: "target.example!.attacker.test", URLOrigin: "https://target.example!.attacker.test", HostKept: true,
		Proxied: Load{Navigation: "no request for the page, nothing came back within the step timeout", PageLoaded: &no, FetchSeen: &no, AttackerUsable: &no},
	}}
	if diff := cmp.Diff(want, e.Characters); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	got := summary(e)
	if !strings.Contains(got[0], `direct: page loads and Origin carries the character: 0 []`) ||
		!strings.Contains(got[1], `1 ["_" as "_"]`) || !strings.Contains(got[2], `1 ["!" as "!"]`) {
		t.Errorf("summary = %q", got)
	}
}

func containsField(h []field, f field) bool {
	for _, g := range h {
		if g == f {
			return true
		}
	}
	return false
}

// TestParseOnly checks that a -parse-only run ends once the candidates are
// parsed, sends the tab nowhere and leaves the load fields null.
func TestParseOnly(t *testing.T) {
	t.Parallel()
	st := newState([]string{"_"}, true)
	b := browser{t, st}
	if got := b.do("GET", "http://hostchars.test/hc/go?i=0"); !strings.Contains(got.body, "i = -1, parse = true;") {
		t.Errorf("page = %s", got.body)
	}
	b.post("http://hostchars.test/hc/parsed", `[{"host":"target.example_.attacker.test","origin":"https://target.example_.attacker.test","error":""}]`)
	b.do("GET", "http://hostchars.test/hc/go?i=1")
	if _, _, _, done := st.progress(); !done {
		t.Error("not done after parsing")
	}
	e, _ := passes{parseOnly: st.result(false)}.engine("v", "d", st.chars)
	c := e.Characters[0]
	if c.PageLoaded != nil || c.FetchSeen != nil || c.AttackerUsable != nil || c.Proxied.PageLoaded != nil || c.DNSQueries != nil || !c.HostKept {
		t.Errorf("parse-only result = %+v", c)
	}
}

// TestHostMismatch checks that a page whose request named another host
// than its origin's counts as neither loaded nor usable by an attacker
// (WebKitGTK with ";").
func TestHostMismatch(t *testing.T) {
	t.Parallel()
	c := makeLoad(load{
		reported: true, pageRequested: true, pageHost: "target.example", pageTarget: "(null)",
		pageOrigin: "http://target.example;.attacker.test", apiSeen: true, origin: "http://target.example;.attacker.test",
	}, false)
	if *c.PageLoaded || *c.AttackerUsable || c.SentAs != "" || !strings.Contains(c.Navigation, `named host "target.example"`) {
		t.Errorf("result = %+v", c)
	}
}

// TestProxyConn sends a request whose host net/http would refuse through a
// real connection to the proxy.
func TestProxyConn(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	st := newState([]string{"{"}, false)
	go st.serve(ln)
	get := func(req string) string {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		b, _ := bufio.NewReader(c).ReadString(0)
		return b
	}
	get("GET http://hostchars.test/hc/go?i=0 HTTP/1.1\r\nHost: hostchars.test\r\n\r\n")
	resp := get("GET http://target.example{.attacker.test/hc/probe?i=0 HTTP/1.1\r\nHost: target.example{.attacker.test\r\n\r\n")
	if !strings.HasPrefix(resp, "HTTP/1.1 200 OK\r\n") || !strings.Contains(resp, "Connection: close\r\n") || !strings.HasSuffix(resp, "</script>") {
		t.Errorf("response = %q", resp)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if ld := st.loads[0]; ld.pageHost != "target.example{.attacker.test" {
		t.Errorf("page host = %q", ld.pageHost)
	}
}

func TestControlHTMLEscapes(t *testing.T) {
	t.Parallel()
	page := controlHTML([]string{"</script>", "&"}, 0, true)
	if strings.Count(page, "</script>") != 1 || !strings.Contains(page, `["\u003c/script\u003e","\u0026"]`) {
		t.Errorf("page = %s", page)
	}
}

func sampleEngine(version string, chars ...Char) *Engine {
	return &Engine{Version: version, Recorded: "2026-01-01", Direct: "d", Proxy: "p", Characters: chars}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	f := &File{Engines: map[string]*Engine{}}
	first := sampleEngine("C 1", Char{Char: "_", CodePoint: "U+005F", Load: Load{PageLoaded: &yes}}, Char{Char: "!", CodePoint: "U+0021"})
	if diffs := merge(f, "chromium", first, "2026-01-01", "m1"); diffs != nil {
		t.Errorf("first merge: %q; want no differences", diffs)
	}
	other := sampleEngine("F 1")
	merge(f, "firefox", other, "2026-01-02", "m2")
	again := sampleEngine("C 2", Char{Char: "_", CodePoint: "U+005F", Load: Load{PageLoaded: &no}, Proxied: Load{SentAs: "_"}, URLHost: "h"}, Char{Char: "~", CodePoint: "U+007E"})
	again.Recorded = "2026-01-03"
	diffs := merge(f, "chromium", again, "2026-01-03", "m3")
	want := []string{
		`version: "C 1" → "C 2"`,
		`"_" (U+005F): page_loaded: true → false`,
		`"_" (U+005F): proxied.sent_as: "" → "_"`,
		`"_" (U+005F): url_host: "" → "h"`,
		`"~" (U+007E): new`,
		`"!" (U+0021): gone`,
	}
	if d := cmp.Diff(want, diffs); d != "" {
		t.Errorf("differences (-want +got):\n%s", d)
	}
	if f.Recorded != "2026-01-03" || f.Method != "m3" || f.Engines["firefox"] != other || f.Engines["chromium"] != again {
		t.Errorf("merged file = %+v", f)
	}
	if diffs := diffEngines(again, again); len(diffs) != 0 {
		t.Errorf("an engine differs from itself: %q", diffs)
	}
}

func TestReadWriteFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hostchars.json")
	f, err := readFile(path)
	if err != nil || len(f.Engines) != 0 {
		t.Fatalf("readFile of a missing file = %+v, %v; want an empty document", f, err)
	}
	yes := true
	merge(f, "webkit", sampleEngine("W", Char{Char: "<", CodePoint: "U+003C", Load: Load{PageLoaded: &yes}}), "2026-01-01", "m")
	if err := writeFile(path, f); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"char": "<"`) || !strings.Contains(string(b), `"page_loaded": true`) || !strings.Contains(string(b), `"fetch_seen": null`) {
		t.Errorf("file = %s", b)
	}
	var generic map[string]any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatalf("file is not JSON: %v", err)
	}
	g, err := readFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, g); diff != "" {
		t.Errorf("read back (-wrote +read):\n%s", diff)
	}
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readFile(path); err == nil {
		t.Error("readFile of a broken file succeeded")
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestLauncher(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"chromium", "firefox", "webkit"} {
		l, proxy, err := launcher(engine, "", "127.0.0.1:4242")
		if err != nil || l.Engine() != engine || !strings.Contains(proxy, "PORT") || strings.Contains(proxy, "4242") {
			t.Errorf("launcher(%s) = %v, %q, %v", engine, l, proxy, err)
		}
		if _, setup, err := launcher(engine, "", ""); err != nil || strings.Contains(setup, "proxy") {
			t.Errorf("launcher(%s) without a proxy: %q, %v", engine, setup, err)
		}
	}
	if _, _, err := launcher("lynx", "", ""); err == nil {
		t.Error("launcher(lynx) succeeded")
	}
}

// TestDirectRun plays a direct pass: requests in origin form, DNS
// questions attributed to the candidate the tab is at.
func TestDirectRun(t *testing.T) {
	t.Parallel()
	st := newState([]string{"_"}, false)
	get := func(host, path string, header ...field) response {
		r := &request{method: "GET", target: path, proto: "HTTP/1.1", header: append([]field{{"Host", host}}, header...)}
		return st.handle(r)
	}
	st.dnsQuery(controlHost)
	if page := get("hostchars.test", "/hc/go?i=0"); !strings.Contains(page.body, `i = 0, parse = true;`) {
		t.Fatalf("controlling page: %s", page.body)
	}
	browser{t, st}.post("http://hostchars.test/hc/parsed", `[{"host":"target.example_.attacker.test","origin":"https://target.example_.attacker.test","error":""}]`)
	st.dnsQuery("hostchars.test")
	st.dnsQuery("target.example_.attacker.test")
	st.dnsQuery("target.example_.attacker.test")
	if page := get("target.example_.attacker.test", "/hc/probe?i=0"); !strings.Contains(page.body, `const i = 0;`) {
		t.Errorf("page: %s", page.body)
	}
	st.dnsQuery("target.example")
	get("target.example", "/hc/api?i=0", field{"Origin", "http://target.example_.attacker.test"})
	get("hostchars.test", "/hc/go?i=1&prev=0&fetch=status%20200&origin=http%3A%2F%2Ftarget.example_.attacker.test")
	r := st.result(true)
	yes := true
	want := Load{
		Navigation: "loaded", DNSQueries: []string{"target.example_.attacker.test", "target.example"}, PageLoaded: &yes,
		PageHost: "target.example_.attacker.test", PageRequest: "/hc/probe?i=0", PageOrigin: "http://target.example_.attacker.test",
		FetchSeen: &yes, FetchResult: "status 200", OriginSent: "http://target.example_.attacker.test", AttackerUsable: &yes, SentAs: "_",
	}
	if diff := cmp.Diff([]Load{want}, r.Loads); diff != "" {
		t.Errorf("loads (-want +got):\n%s", diff)
	}
	e, warnings := passes{direct: r}.engine("v", "d", st.chars)
	if len(warnings) != 0 || !usable(e.Characters[0].Load) || e.Characters[0].Proxied.PageLoaded != nil {
		t.Errorf("engine = %+v, %q", e.Characters[0], warnings)
	}
	empty := makeLoad(load{stuck: true}, true)
	if empty.DNSQueries == nil || len(empty.DNSQueries) != 0 {
		t.Errorf("DNS queries of a direct load without any = %#v; want an empty list, not null", empty.DNSQueries)
	}
}

// query returns a DNS query for name (labels given) of type qtype.
func query(id uint16, qtype uint16, labels ...string) []byte {
	msg := []byte{byte(id >> 8), byte(id), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	for _, l := range labels {
		msg = append(msg, byte(len(l)))
		msg = append(msg, l...)
	}
	return append(msg, 0, byte(qtype>>8), byte(qtype), 0, 1)
}

func TestDNS(t *testing.T) {
	t.Parallel()
	msg := query(0x1234, dnsTypeA, "target", "example_", "attacker", "test")
	q, err := parseQuery(msg)
	if err != nil || q.name != "target.example_.attacker.test" || q.qtype != dnsTypeA || q.id != 0x1234 {
		t.Fatalf("parseQuery = %+v, %v", q, err)
	}
	a := answer(q)
	want := append(append([]byte{0x12, 0x34, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0}, msg[12:]...),
		0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 127, 0, 0, 1)
	if !cmp.Equal(want, a) {
		t.Errorf("answer = % x\nwant     % x", a, want)
	}
	q, _ = parseQuery(query(1, 28, "target", "example"))
	if a := answer(q); a[3]&0x0f != 0 || a[7] != 0 {
		t.Errorf("AAAA answer = % x; want NOERROR without records", a)
	}
	q, _ = parseQuery(query(1, dnsTypeA, "update", "googleapis", "com"))
	if a := answer(q); a[3]&0x0f != dnsRcodeNX || a[7] != 0 {
		t.Errorf("answer for another name = % x; want NXDOMAIN", a)
	}
	q, err = parseQuery(query(1, dnsTypeA, "a.b", "c\\", "x y\x01"))
	if err != nil || q.name != `a\.b.c\\.x\032y\001` {
		t.Errorf("name with odd bytes = %q, %v", q.name, err)
	}
	for _, bad := range [][]byte{
		nil,
		query(1, 1, "a")[:14],
		append(query(1, 1, "a")[:12], 64),
		func() []byte { m := query(1, 1, "a"); m[2] |= 0x80; return m }(),
		func() []byte { m := query(1, 1, "a"); m[5] = 0; return m }(),
	} {
		if _, err := parseQuery(bad); err == nil {
			t.Errorf("parseQuery(% x) succeeded", bad)
		}
	}
	for name, want := range map[string]bool{
		"hostchars.test": true, "Target.Example": true, "target.example_.attacker.test.": true, "attacker.test": true,
		"xattacker.test": false, "example": false, "target.example.evil": false,
	} {
		if got := ours(name); got != want {
			t.Errorf("ours(%q) = %v", name, got)
		}
	}
}

func TestDNSServer(t *testing.T) {
	t.Parallel()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	st := newState([]string{"_"}, false)
	st.current = 0
	go serveDNS(pc, st)
	c, err := net.Dial("udp", pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte{1, 2})
	c.Write(query(5, dnsTypeA, "google", "com"))
	c.Write(query(6, 65, "_1._https", "target", "example_", "attacker", "test"))
	c.Write(query(7, dnsTypeA, "target", "example_", "attacker", "test"))
	buf := make([]byte, 512)
	var n int
	for id := byte(5); id <= 7; id++ {
		if n, err = c.Read(buf); err != nil || n < 12 || buf[1] != id {
			t.Fatalf("answer = % x, %v; want the answer to query %d", buf[:n], err, id)
		}
	}
	if !cmp.Equal(buf[n-4:n], []byte{127, 0, 0, 1}) {
		t.Fatalf("answer = % x; want 127.0.0.1", buf[:n])
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if got := st.loads[0].dnsQueries; !cmp.Equal(got, []string{"target.example_.attacker.test"}) {
		t.Errorf("queries = %q", got)
	}
	if len(st.log) != 1 || !strings.Contains(st.log[0], "DNS: short") {
		t.Errorf("log = %q", st.log)
	}
}
