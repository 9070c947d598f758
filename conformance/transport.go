package conformance

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// TransportSessions returns a NewSession whose sessions are each a new
// fetch.Browser, and whose pages are the browser's pages
// (fetch.Browser.Page): they share its cookie store, its preflight cache
// and its HTTP cache (partitioned by top-level site), as a browser's tabs
// do. Each browser has the engine's profile (fetch.ProfileByName;
// fetch.Spec for an engine it does not know), the engine's User-Agent and
// Accept-Language (see [EngineAgent]), empty state, and base as the network
// (nil means http.DefaultTransport).
//
// The browsers are configured from the engine's name alone, never from the
// recording they are checked against: the profile, the User-Agent and the
// Accept-Language are what a Go program has to give a fetch.Browser for it
// to pass as that browser, as the browser has them built in.
func TransportSessions(base http.RoundTripper) NewSession {
	return SessionsWith(base, func(string, *fetch.Browser) {})
}

// ProfileSessions is [TransportSessions] with profile for every engine's
// browsers: to check a variant of a profile against a recording made with
// the engine's preferences changed (such as Firefox with
// network.lna.blocking false against Firefox with LocalNetwork.Off).
// The User-Agent and Accept-Language are still the engine's.
func ProfileSessions(base http.RoundTripper, profile fetch.Profile) NewSession {
	return SessionsWith(base, func(_ string, b *fetch.Browser) { b.Profile = profile })
}

// SessionsWith is [TransportSessions] with configure called on each new
// browser, made as TransportSessions makes it, before its first page: to
// replay the scenarios through browsers with other settings (a profile of
// one's own, no HTTP cache, a clock, a trace hook).
func SessionsWith(base http.RoundTripper, configure func(engine string, b *fetch.Browser)) NewSession {
	return func(engine string) Session {
		profile, ok := fetch.ProfileByName(engine)
		if !ok {
			profile = fetch.Spec
		}
		ua, lang := EngineAgent(engine)
		b := &fetch.Browser{
			Profile:        profile,
			Base:           base,
			UserAgent:      ua,
			AcceptLanguage: lang,
		}
		configure(engine, b)
		return &transportSession{engine: engine, b: b}
	}
}

// transportSession is one fetch.Browser.
type transportSession struct {
	b      *fetch.Browser
	engine string
	// With a Local Network Access configuration (SetLNA): its spaces and
	// grants, and the server's origins.
	lna     *LNA
	origins Origins
	lnaErr  error
}

// SetLNA gives the browser the address spaces of the configuration as
// overrides of the origins' endpoints (as the recorder's browser got them)
// and makes its pages check local network requests, with the permissions
// the configuration grants.
func (s *transportSession) SetLNA(l *LNA, o Origins) {
	s.lna, s.origins = l, o
	for _, es := range l.EndpointSpaces(o) {
		ov, err := fetch.ParseAddressSpaceOverrides(es.Endpoint + "=" + es.Space)
		if err != nil {
			s.lnaErr = err
			return
		}
		s.b.AddressSpaceOverrides = append(s.b.AddressSpaceOverrides, ov...)
	}
}

// Page returns a page of the browser at origin page: with a Local Network
// Access configuration, in the space the configuration gives page's
// origin, with its grants ("local-network", "loopback-network"; Chromium
// 156 lets the older "local-network-access" alone open nothing, and
// Firefox has no such permission).
func (s *transportSession) Page(page string) Client {
	o, err := origin.Parse(page)
	if err != nil {
		return errClient{err}
	}
	if s.lnaErr != nil {
		return errClient{s.lnaErr}
	}
	t := s.b.Page(o)
	if s.lna != nil {
		for name, u := range s.origins {
			if u == page {
				err = t.PageAddressSpace.UnmarshalText([]byte(s.lna.Space(name)))
			}
		}
		if err != nil {
			return errClient{err}
		}
		t.Permissions = fetch.Permissions{LocalNetwork: s.lna.Granted("local-network"), LoopbackNetwork: s.lna.Granted("loopback-network")}
	}
	return &transportClient{engine: s.engine, t: t}
}

// TransportClients returns a NewClient whose clients are each the one page
// of a browser of their own, made as [TransportSessions] makes it: a
// fetch.Transport with the engine's profile, User-Agent and Accept-Language,
// an empty preflight cache, HTTP cache and cookie store, and base as the
// network. Its pages share nothing: use TransportSessions for scenarios of
// several pages.
func TransportClients(base http.RoundTripper) NewClient {
	sessions := TransportSessions(base)
	return func(page, engine string) Client {
		return sessions(engine).Page(page)
	}
}

// engineAgents are the User-Agent and Accept-Language each engine sends by
// default when the recorder runs it: headless Chromium and Firefox ESR on
// Linux in an en-US locale, and WebKitGTK's MiniBrowser with the locale the
// recorder pins (en_US.UTF-8).
var engineAgents = map[string]struct{ userAgent, acceptLanguage string }{
	"chromium": {
		userAgent:      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
		acceptLanguage: "en-US,en;q=0.9",
	},
	"firefox": {
		userAgent:      "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0",
		acceptLanguage: "en-US,en;q=0.9",
	},
	"webkit": {
		userAgent:      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15",
		acceptLanguage: "en-US",
	},
}

// EngineAgent returns the User-Agent and Accept-Language that engine
// ("chromium", "firefox" or "webkit") sends by default in the recorder's
// set-up, or "" for an engine it does not know. They are properties of the
// browser build, constants here: the comparator ignores both fields, except
// in scenarios whose calls set them, where a browser that drops the page's
// value sends its own. A test checks them against every stored recording;
// a re-recording with a new browser version that changes them fails it, and
// they are updated here.
func EngineAgent(engine string) (userAgent, acceptLanguage string) {
	a := engineAgents[engine]
	return a.userAgent, a.acceptLanguage
}

type errClient struct{ err error }

func (c errClient) Fetch(context.Context, Call) Outcome {
	return Outcome{TypeError: true, Error: c.err.Error()}
}

// transportClient performs calls through one fetch.Transport.
type transportClient struct {
	t      *fetch.Transport
	engine string
}

// Fetch maps call to a request, as fetch(url, init) builds one, and the
// result to what script sees.
func (c *transportClient) Fetch(ctx context.Context, call Call) Outcome {
	req, err := newRequest(ctx, call, c.engine)
	if err != nil {
		return Outcome{TypeError: true, Error: err.Error()}
	}
	resp, err := c.t.RoundTrip(req)
	if err != nil {
		return Outcome{TypeError: true, Error: err.Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		// Reading the body of a response fails like a rejected fetch.
		return Outcome{TypeError: true, Error: err.Error()}
	}
	names := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		names = append(names, strings.ToLower(name))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	// Response.url is the last URL of the list without its fragment, and
	// "" when the list is empty (opaque responses).
	list := fetch.URLList(resp)
	url := ""
	if len(list) > 0 {
		final := list[len(list)-1]
		final.Fragment, final.RawFragment = "", ""
		url = final.String()
	}
	return Outcome{
		Type:       fetch.TypeOf(resp).String(),
		Status:     resp.StatusCode,
		Headers:    names,
		Body:       string(body),
		Redirected: len(list) > 1,
		URL:        url,
	}
}

// newRequest builds the request of call as engine's fetch() would: header
// values are isomorphic-encoded as JavaScript ByteStrings are, except in
// WebKit, which sends them UTF-8-encoded (simple-header-06 and -12 in
// webkit.json); the body is the UTF-8 string with the Content-Type that
// fetch() adds for one.
func newRequest(ctx context.Context, call Call, engine string) (*http.Request, error) {
	var body io.Reader
	if call.Body != nil {
		body = strings.NewReader(*call.Body)
	}
	req, err := http.NewRequestWithContext(ctx, call.Method, call.URL, body)
	if err != nil {
		return nil, err
	}
	fields := call.FetchHeader()
	if call.Body != nil && call.Options.Mode == fetch.ModeNoCORS && len(fields) > 0 && hasField(call.Header, "Content-Type") {
		// The Request constructor appends the string body's Content-Type
		// after the no-cors guard has dropped the page's. Appending it
		// after the page's lets the Transport's guard decide the same: it
		// keeps the body's type only where the page's was dropped (the two
		// together are not a safelisted MIME type).
		fields = append(fields, Field{Name: "Content-Type", Value: "text/plain;charset=UTF-8"})
	}
	for _, f := range fields {
		v := f.Value
		if engine != "webkit" {
			var ok bool
			if v, ok = toByteString(f.Value); !ok {
				return nil, errors.New("header value is not a ByteString: " + f.Name)
			}
		}
		req.Header[f.Name] = append(req.Header[f.Name], v)
	}
	opts := call.Options
	if call.TargetAddressSpace != "" {
		// "unknown" is fetch()'s default, the zero AddressSpace.
		if err := opts.TargetAddressSpace.UnmarshalText([]byte(call.TargetAddressSpace)); err != nil {
			return nil, err
		}
	}
	return fetch.WithOptions(req, opts), nil
}

// toByteString turns each code point of s into the byte of the same
// number; it fails for code points above U+00FF.
func toByteString(s string) (string, bool) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return "", false
		}
		b = append(b, byte(r))
	}
	return string(b), true
}

// hasField reports whether fields include one named name.
func hasField(fields []Field, name string) bool {
	return slices.ContainsFunc(fields, func(f Field) bool { return strings.EqualFold(f.Name, name) })
}
