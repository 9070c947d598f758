package conformance

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// Profile returns the fetch profile that behaves like engine: fetch.Chrome
// for "chromium", fetch.Firefox for "firefox", fetch.Safari for "webkit",
// and fetch.Spec otherwise.
func Profile(engine string) fetch.Profile {
	switch engine {
	case "chromium":
		return fetch.Chrome
	case "firefox":
		return fetch.Firefox
	case "webkit":
		return fetch.Safari
	}
	return fetch.Spec
}

// TransportClients returns a NewClient whose clients fetch through a new
// fetch.Transport each: the page's origin, the engine's profile (see
// Profile), an empty preflight cache, an empty HTTP cache, an empty cookie
// jar, and base as the
// network (nil means http.DefaultTransport). The clients send the
// User-Agent and Accept-Language the engine's stored recording shows, so
// that the server sees what it saw from the browser.
func TransportClients(base http.RoundTripper) NewClient {
	return func(page, engine string) Client {
		o, err := origin.Parse(page)
		if err != nil {
			return errClient{err}
		}
		ua, lang := recordedAgent(engine)
		return &transportClient{engine: engine, t: &fetch.Transport{
			Origin:         o,
			Base:           base,
			Jar:            cookiestore.New(nil),
			Browser:        Profile(engine),
			UserAgent:      ua,
			AcceptLanguage: lang,
			HTTPCache:      true,
		}}
	}
}

var agents sync.Map // engine -> [2]string{User-Agent, Accept-Language}

// recordedAgent returns the User-Agent and Accept-Language of the first
// request of engine's stored recording that has them, in a scenario whose
// calls do not set them.
func recordedAgent(engine string) (ua, lang string) {
	if v, ok := agents.Load(engine); ok {
		a := v.([2]string)
		return a[0], a[1]
	}
	rec, err := StoredRecording(engine)
	scenarios, cerr := Corpus()
	if err == nil && cerr == nil {
		sets := map[string]map[string]bool{} // scenario id -> canonical names its calls set
		for _, s := range scenarios {
			sets[s.ID] = map[string]bool{}
			for _, c := range s.Calls {
				for _, f := range c.Headers {
					sets[s.ID][http.CanonicalHeaderKey(f.Name)] = true
				}
			}
		}
		for _, s := range rec.Scenarios {
			for _, r := range s.Requests {
				if ua == "" && len(r.Header["User-Agent"]) == 1 && !sets[s.ID]["User-Agent"] {
					ua = r.Header["User-Agent"][0]
				}
				if lang == "" && len(r.Header["Accept-Language"]) == 1 && !sets[s.ID]["Accept-Language"] {
					lang = r.Header["Accept-Language"][0]
				}
			}
		}
	}
	agents.Store(engine, [2]string{ua, lang})
	return ua, lang
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
	if call.Body != nil && call.Mode == "no-cors" && len(fields) > 0 && hasField(call.Header, "Content-Type") {
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
	o := fetch.Options{}
	o.Mode = parseOption(call.Mode, []fetch.Mode{fetch.ModeCORS, fetch.ModeNoCORS, fetch.ModeSameOrigin})
	o.Credentials = parseOption(call.Credentials, []fetch.Credentials{fetch.CredentialsSameOrigin, fetch.CredentialsOmit, fetch.CredentialsInclude})
	o.Redirect = parseOption(call.Redirect, []fetch.Redirect{fetch.RedirectFollow, fetch.RedirectError, fetch.RedirectManual})
	o.Cache = parseOption(call.Cache, []fetch.CacheMode{fetch.CacheDefault, fetch.CacheNoStore, fetch.CacheReload, fetch.CacheNoCache, fetch.CacheForceCache, fetch.CacheOnlyIfCached})
	return fetch.WithOptions(req, o), nil
}

// parseOption returns the value among all whose String is s, or the first.
func parseOption[T interface{ String() string }](s string, all []T) T {
	for _, v := range all {
		if v.String() == s {
			return v
		}
	}
	return all[0]
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
