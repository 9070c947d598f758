package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// OriginNames lists the names of the four origins of the scenario server, in
// the order the server starts them: the page A, P (same host as A on another
// port: same site, cross origin), and B and C (other loopback addresses: cross
// site).
var OriginNames = []string{"A", "P", "B", "C"}

// Field is one header field: a name and a value. A list of fields keeps
// repeats and order. In JSON a field is a two-element array, ["Name", "value"].
type Field struct {
	// Name is the field name, spelled as given.
	Name string
	// Value is the field value.
	Value string
}

// MarshalJSON encodes f as ["Name", "value"].
func (f Field) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]string{f.Name, f.Value})
}

// UnmarshalJSON decodes ["Name", "value"].
func (f *Field) UnmarshalJSON(b []byte) error {
	var a []string
	if err := json.Unmarshal(b, &a); err != nil {
		return fmt.Errorf("header field must be [name, value]: %w", err)
	}
	if len(a) != 2 {
		return fmt.Errorf("header field must be [name, value], got %d strings", len(a))
	}
	f.Name, f.Value = a[0], a[1]
	return nil
}

// Scenario is one independent test: fetch() calls made in order by pages
// (a page at origin A unless a call names another, see [Scenario.Loads]),
// and the routes they reach. Scenarios are isolated from each other by a
// path prefix of their own, /s/<id>, on every origin.
type Scenario struct {
	// ID names the scenario: lower-case letters, digits and '-'; unique in the corpus.
	ID string `json:"id"`
	// Area groups scenarios for the per-area summary, e.g. "preflight".
	Area string `json:"area"`
	// Desc says in one line what the scenario does.
	Desc string `json:"desc"`
	// Spec is the Fetch Standard anchor (or other URL) of the rule exercised.
	Spec string `json:"spec,omitempty"`
	// Reason says why the scenario exists: which rule or browser difference it pins down.
	Reason string `json:"reason"`
	// Calls are made in order; each waits for the previous one to settle.
	// Consecutive calls on the same page are made by one load of that page
	// (see [Scenario.Loads]).
	Calls []CallSpec `json:"calls"`
	// Routes are the scenario's resources. A request for a path no route
	// declares is answered 404 with no header fields, and logged.
	Routes []Route `json:"routes"`
	// LNA, when not nil, makes the scenario a Local Network Access
	// scenario: the browser that runs it gives the origins it lists the IP
	// address spaces it names and grants the page origins the permissions
	// it names. These settings are browser-wide, so the recorder runs the
	// scenarios of each configuration in a browser of their own (see
	// README.md, Local Network Access). An empty LNA (no spaces, no grant)
	// is such a browser with nothing overridden and nothing granted.
	LNA *LNA `json:"lna,omitempty"`
}

// The IP address spaces of the Local Network Access specification
// (https://wicg.github.io/local-network-access/#ip-address-space-section),
// from the most public to the least: values of [LNA.Spaces].
const (
	SpacePublic   = "public"
	SpaceLocal    = "local"
	SpaceLoopback = "loopback"
)

// The Local Network Access permissions
// (https://wicg.github.io/local-network-access/#integration-with-permissions):
// values of [LNA.Grant]. PermissionLocalNetworkAccess is the single
// permission of the earlier drafts, which Chromium keeps as an alias.
const (
	PermissionLocalNetwork       = "local-network"
	PermissionLoopbackNetwork    = "loopback-network"
	PermissionLocalNetworkAccess = "local-network-access"
)

// targetAddressSpaces are the values of CallSpec.TargetAddressSpace: the
// spec's IPAddressSpace enum, plus "unknown" and the older "private" (an
// alias of "local") that Chromium's enum also has.
var targetAddressSpaces = []string{SpacePublic, SpaceLocal, SpaceLoopback, "unknown", "private"}

// LNA is the Local Network Access configuration of a scenario: the IP
// address spaces the browser gives the scenario's origins, and the
// permissions it grants the scenario's pages. All four origins are on
// loopback addresses, so without an entry an origin is "loopback".
type LNA struct {
	// Spaces maps origin names (A, P, B, C) to the IP address space that
	// the browser's testing override gives the origin's endpoint (its IP
	// address and port): "public", "local" or "loopback". An origin not
	// listed keeps the space of its address, loopback. A and P share an
	// address but not a port, so each can be given a space of its own.
	Spaces map[string]string `json:"spaces,omitempty"`
	// Grant lists the permissions granted to the page origins of the
	// scenario: "local-network", "loopback-network" and the older
	// "local-network-access". Empty means none granted: the permission is
	// left as a browser without a user leaves it (headless Chromium treats
	// the prompt as dismissed, i.e. denied).
	Grant []string `json:"grant,omitempty"`
}

// Space returns the IP address space the configuration gives the origin
// named name: its entry in Spaces, or "loopback", the space of every
// origin's address. A nil LNA gives loopback to every origin.
func (l *LNA) Space(name string) string {
	if l != nil {
		if s, ok := l.Spaces[name]; ok {
			return s
		}
	}
	return SpaceLoopback
}

// Granted reports whether the configuration grants permission to the
// scenario's pages.
func (l *LNA) Granted(permission string) bool {
	return l != nil && slices.Contains(l.Grant, permission)
}

// Key returns the configuration in a canonical form, equal for two
// configurations exactly when they set the same spaces and grant the same
// permissions, e.g. "spaces A=public B=local; grant local-network
// loopback-network", or "none" for an empty one. The recorder runs the
// scenarios of one key in one browser.
func (l *LNA) Key() string {
	if l == nil {
		return ""
	}
	var parts []string
	var spaces []string
	for _, n := range OriginNames {
		if s, ok := l.Spaces[n]; ok {
			spaces = append(spaces, n+"="+s)
		}
	}
	if len(spaces) > 0 {
		parts = append(parts, "spaces "+strings.Join(spaces, " "))
	}
	if len(l.Grant) > 0 {
		g := slices.Clone(l.Grant)
		slices.Sort(g)
		parts = append(parts, "grant "+strings.Join(g, " "))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "; ")
}

// EndpointSpaces returns the spaces of the configuration for a server with
// origins o, keyed by endpoint ("127.0.0.2:41234"): one entry per origin
// that Spaces lists, in the order of OriginNames. Origins whose endpoint
// has no entry keep the space of their address.
func (l *LNA) EndpointSpaces(o Origins) []EndpointSpace {
	if l == nil {
		return nil
	}
	var es []EndpointSpace
	for _, n := range OriginNames {
		if s, ok := l.Spaces[n]; ok {
			es = append(es, EndpointSpace{Origin: n, Endpoint: strings.TrimPrefix(o[n], "http://"), Space: s})
		}
	}
	return es
}

// EndpointSpace is the IP address space of one origin's endpoint on a
// running server.
type EndpointSpace struct {
	// Origin is the origin's name: A, P, B or C.
	Origin string
	// Endpoint is the origin's IP address and port, e.g. "127.0.0.2:41234".
	Endpoint string
	// Space is "public", "local" or "loopback".
	Space string
}

// errors returns the problems with l.
func (l *LNA) errors() []error {
	if l == nil {
		return nil
	}
	var errs []error
	for n, s := range l.Spaces {
		if _, ok := originHosts[n]; !ok {
			errs = append(errs, fmt.Errorf("lna: spaces: origin %q: want A, P, B or C", n))
		}
		if s != SpacePublic && s != SpaceLocal && s != SpaceLoopback {
			errs = append(errs, fmt.Errorf("lna: spaces: %s: space %q: want public, local or loopback", n, s))
		}
	}
	seen := map[string]bool{}
	for _, g := range l.Grant {
		switch {
		case g != PermissionLocalNetwork && g != PermissionLoopbackNetwork && g != PermissionLocalNetworkAccess:
			errs = append(errs, fmt.Errorf("lna: grant: permission %q: want local-network, loopback-network or local-network-access", g))
		case seen[g]:
			errs = append(errs, fmt.Errorf("lna: grant: permission %q given twice", g))
		}
		seen[g] = true
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}

// CallSpec is one fetch(url, init) call as written in a scenario file. Empty
// strings mean "not given in init", i.e. fetch()'s default. The values of
// Mode, Credentials, Redirect and Cache are fetch()'s names, as package
// fetch parses and prints them (fetch.Mode and the others).
type CallSpec struct {
	// URL is a URL template, usually "{B}/path" (see README.md, Templates).
	URL string `json:"url"`
	// Method is passed as init.method verbatim (no case change), if not empty.
	Method string `json:"method,omitempty"`
	// Headers are appended in order to a Headers object passed as init.headers.
	Headers []Field `json:"headers,omitempty"`
	// Body, if not nil, is passed as init.body (a string).
	Body *string `json:"body,omitempty"`
	// Mode, Credentials, Redirect and Cache are init.mode, init.credentials,
	// init.redirect and init.cache.
	Mode        string `json:"mode,omitempty"`
	Credentials string `json:"credentials,omitempty"`
	Redirect    string `json:"redirect,omitempty"`
	Cache       string `json:"cache,omitempty"`
	// DelayMS is how long to wait, in milliseconds, before making the call.
	DelayMS int `json:"delay_ms,omitempty"`
	// Page names the origin of the page that makes the call: "A", "P", "B"
	// or "C"; empty means "A". A call on another page than the previous
	// call's is made after the tab navigated to that page (see
	// [Scenario.Loads]).
	Page string `json:"page,omitempty"`
	// Navigate makes the call start a new load of its page even when the
	// previous call was made on the same page (a second load of page A,
	// say). The first call always starts a load.
	Navigate bool `json:"navigate,omitempty"`
	// TargetAddressSpace, if not empty, is passed as init.targetAddressSpace
	// (Local Network Access,
	// https://wicg.github.io/local-network-access/#fetch-api): "local",
	// "loopback", "public", "unknown" or "private". An engine that does not
	// know the member ignores it.
	TargetAddressSpace string `json:"target_address_space,omitempty"`
}

// page returns the name of the page that makes c.
func (c CallSpec) page() string {
	if c.Page == "" {
		return "A"
	}
	return c.Page
}

// Route is a resource of a scenario on one origin.
type Route struct {
	// At is "{X}/path": the origin name X and the path under the scenario prefix.
	At string `json:"at"`
	// Preflight answers requests that are CORS preflights (OPTIONS with an
	// Access-Control-Request-Method field). When nil, preflights get Response.
	Preflight *Answer `json:"preflight,omitempty"`
	// Response answers every other request.
	Response Answer `json:"response"`
	// Conditional, when not nil, answers instead of Response a request that
	// is not a CORS preflight and carries an If-None-Match or an
	// If-Modified-Since field, whatever its value: a browser revalidating
	// what its HTTP cache stored, or a page that set the field itself.
	Conditional *Answer `json:"conditional,omitempty"`
}

// Answer is how a route responds.
type Answer struct {
	// Status is the status code; 0 means 200.
	Status int `json:"status,omitempty"`
	// Headers are written in order (repeats of a name keep their order).
	// Values are value templates. A field whose value echoes a request field
	// ({origin}, {acrm}, {acrh}, {req:Name}) is left out when the request
	// lacks that field.
	Headers []Field `json:"headers,omitempty"`
	// Location, if not empty, is a URL template appended as a Location field
	// after Headers.
	Location string `json:"location,omitempty"`
	// Body is the response body; nil means "<origin name> <path>", e.g. "B /r".
	Body *string `json:"body,omitempty"`
	// Raw writes the head byte for byte instead of through net/http, which
	// trims leading and trailing whitespace from values and refuses some
	// bytes: each character of a name or value (after templating) is one
	// byte, U+0000 to U+00FF ("\u00e9" is the byte 0xE9), written as
	// given; only CR and LF are refused, and a name must not hold a colon.
	// The status line reads "HTTP/1.1 <status> <reason>", Content-Length
	// is added unless a field of that name is given, then Connection:
	// close, and the connection is closed after the body.
	Raw bool `json:"raw,omitempty"`
}

// origin returns the origin name and path of a route's At.
func (r Route) origin() (name, p string, err error) {
	for _, n := range OriginNames {
		tok := "{" + n + "}"
		if rest, ok := strings.CutPrefix(r.At, tok); ok {
			if !strings.HasPrefix(rest, "/") || strings.ContainsAny(rest, "?#{}") {
				return "", "", fmt.Errorf("route %q: want {X}/path with no query, fragment or template", r.At)
			}
			return n, rest, nil
		}
	}
	return "", "", fmt.Errorf("route %q: must start with {A}, {P}, {B} or {C}", r.At)
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate reports every problem with s, joined.
func (s Scenario) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !idPattern.MatchString(s.ID) {
		bad("id %q: want lower-case letters, digits and single '-'", s.ID)
	}
	if s.Area == "" {
		bad("area missing")
	}
	if s.Desc == "" {
		bad("desc missing")
	}
	if s.Reason == "" {
		bad("reason missing")
	}
	if len(s.Calls) == 0 {
		bad("no calls")
	}
	errs = append(errs, s.routeErrors()...)
	errs = append(errs, s.callErrors()...)
	errs = append(errs, s.LNA.errors()...)
	if len(errs) > 0 {
		return fmt.Errorf("scenario %q: %w", s.ID, errors.Join(errs...))
	}
	return nil
}

// routeErrors returns the problems with the routes of s.
func (s Scenario) routeErrors() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	seen := map[string]bool{}
	for i, r := range s.Routes {
		name, p, err := r.origin()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[name+p] {
			bad("route %d: %q declared twice", i, r.At)
		}
		seen[name+p] = true
		for _, a := range []*Answer{r.Preflight, &r.Response, r.Conditional} {
			if a == nil {
				continue
			}
			if a.Status != 0 && (a.Status < 200 || a.Status > 999) {
				bad("route %q: status %d out of range", r.At, a.Status)
			}
			for _, f := range a.Headers {
				switch {
				case a.Raw && !validRawField(f.Name, f.Value):
					bad("route %q: header field %q: %q cannot be written raw (one byte per character, no CR, LF, or colon in the name)", r.At, f.Name, f.Value)
				case !a.Raw && (!validFieldName(f.Name) || strings.ContainsAny(f.Value, "\r\n\x00")):
					bad("route %q: header field %q: %q cannot be sent", r.At, f.Name, f.Value)
				}
			}
		}
	}
	return errs
}

// callErrors returns the problems with the calls of s.
func (s Scenario) callErrors() []error {
	var errs []error
	o := fakeOrigins()
	for i, c := range s.Calls {
		if _, err := url.Parse(expandURL(c.URL, o, Prefix(s.ID))); err != nil || c.URL == "" {
			errs = append(errs, fmt.Errorf("call %d: url %q does not parse", i, c.URL))
		}
		if _, err := c.options(); err != nil {
			errs = append(errs, fmt.Errorf("call %d: %w", i, err))
		}
		if c.DelayMS < 0 || c.DelayMS > 20000 {
			errs = append(errs, fmt.Errorf("call %d: delay_ms %d not in [0, 20000]", i, c.DelayMS))
		}
		if _, ok := originHosts[c.page()]; !ok {
			errs = append(errs, fmt.Errorf("call %d: page %q: want A, P, B or C", i, c.Page))
		}
		if c.TargetAddressSpace != "" && !slices.Contains(targetAddressSpaces, c.TargetAddressSpace) {
			errs = append(errs, fmt.Errorf("call %d: target_address_space %q: want local, loopback, public, unknown or private", i, c.TargetAddressSpace))
		}
	}
	if n := len(s.Loads()); n > maxLoads {
		errs = append(errs, fmt.Errorf("%d page loads; at most %d", n, maxLoads))
	}
	return errs
}

// maxLoads bounds the page loads of a scenario.
const maxLoads = 16

// PageLoad is one load of a page in a scenario: the calls
// Calls[Start:End] are made, in order, by one page at origin Page.
type PageLoad struct {
	// Page is the origin's name: A, P, B or C.
	Page string
	// Start and End delimit the calls of the load.
	Start, End int
}

// Loads splits the calls of s into page loads. A load starts at the first
// call, at every call made on another page than the previous call's, and at
// every call with Navigate; so the pages A, P, A give three loads, two of
// them of A. A scenario whose calls name no page is one load of A.
func (s Scenario) Loads() []PageLoad {
	var loads []PageLoad
	for i, c := range s.Calls {
		if n := len(loads); n > 0 && !c.Navigate && loads[n-1].Page == c.page() {
			loads[n-1].End = i + 1
			continue
		}
		loads = append(loads, PageLoad{Page: c.page(), Start: i, End: i + 1})
	}
	return loads
}

// Paged reports whether s runs page by page: whether any call names its page
// or asks for a navigation. The recorder runs such a scenario alone, each of
// its loads a top-level navigation of the tab; a scenario that is not paged
// runs in the recorder's first page at A, side by side with the others.
func (s Scenario) Paged() bool {
	for _, c := range s.Calls {
		if c.Page != "" || c.Navigate {
			return true
		}
	}
	return false
}

// validRawField reports whether a field can be written by a raw answer:
// a non-empty name without colon, every character of both a single byte
// (U+0000 to U+00FF), and no CR or LF.
func validRawField(name, value string) bool {
	if name == "" || strings.Contains(name, ":") {
		return false
	}
	for _, r := range name + value {
		if r > 0xFF || r == '\r' || r == '\n' {
			return false
		}
	}
	return true
}

func validFieldName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// LoadScenarios reads every *.json file in dir of fsys (each a JSON array of
// scenarios), validates them and returns them sorted by ID.
func LoadScenarios(fsys fs.FS, dir string) ([]Scenario, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no scenario files in %s", dir)
	}
	var all []Scenario
	var errs []error
	ids := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var list []Scenario
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&list); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		for _, s := range list {
			if err := s.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
			if prev, dup := ids[s.ID]; dup {
				errs = append(errs, fmt.Errorf("%s: scenario id %q already used in %s", name, s.ID, prev))
			}
			ids[s.ID] = name
			all = append(all, s)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}

// Origins maps each origin name (A, P, B, C) to its ASCII serialization, e.g.
// "http://127.0.0.2:41234".
type Origins map[string]string

// fakeOrigins returns fixed origins used to validate templates.
func fakeOrigins() Origins {
	return Origins{"A": "http://127.0.0.1:10001", "P": "http://127.0.0.1:10002", "B": "http://127.0.0.2:10003", "C": "http://127.0.0.3:10004"}
}

// Prefix returns the path prefix of the scenario with the given id, "/s/<id>".
func Prefix(id string) string { return "/s/" + id }

// requestTemplates maps the request templates a response value may use to
// the request header field they echo.
var requestTemplates = map[string]string{
	"origin": "Origin",
	"acrm":   "Access-Control-Request-Method",
	"acrh":   "Access-Control-Request-Headers",
}

// expandValue expands the value template s: {A}, {P}, {B}, {C} become the
// origins, {A.host} etc. their host:port, {S} the scenario prefix, and
// {origin}, {acrm} and {acrh} the values of the request's Origin,
// Access-Control-Request-Method and Access-Control-Request-Headers fields, and
// {req:Name} the value of the request's field Name. ok is false when s echoes
// a field the request (req, nil for none) lacks.
// Anything else in braces is left as is.
func expandValue(s string, o Origins, prefix string, req http.Header) (out string, ok bool) {
	var b strings.Builder
	ok = true
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String(), ok
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), ok
		}
		tok := s[i+1 : i+j]
		b.WriteString(s[:i])
		s = s[i+j+1:]
		switch v, known := expandToken(tok, o, prefix); {
		case known:
			b.WriteString(v)
		case requestTemplates[tok] != "" || strings.HasPrefix(tok, "req:"):
			name := requestTemplates[tok]
			if name == "" {
				name = textproto.CanonicalMIMEHeaderKey(strings.TrimPrefix(tok, "req:"))
			}
			vs, present := req[name]
			if !present {
				ok = false
			} else {
				b.WriteString(strings.Join(vs, ", "))
			}
		default:
			b.WriteString("{" + tok + "}")
		}
	}
}

func expandToken(tok string, o Origins, prefix string) (string, bool) {
	if tok == "S" {
		return prefix, true
	}
	name, host := strings.CutSuffix(tok, ".host")
	v, ok := o[name]
	if !ok {
		return "", false
	}
	if host {
		return strings.TrimPrefix(v, "http://"), true
	}
	return v, true
}

// expandURL expands the URL template s like expandValue and, in addition,
// inserts the scenario prefix after every {X} or {X.host} directly followed by
// '/', so that "{B}/r" names route "{B}/r" of the scenario.
func expandURL(s string, o Origins, prefix string) string {
	for _, n := range OriginNames {
		for _, tok := range []string{"{" + n + "}/", "{" + n + ".host}/"} {
			s = strings.ReplaceAll(s, tok, tok[:len(tok)-1]+prefix+"/")
		}
	}
	v, _ := expandValue(s, o, prefix, nil)
	return v
}

// valueUntemplater turns concrete header values, queries and bodies of one
// scenario run back into value templates, the inverse of expandValue:
// "http://127.0.0.2:41234/s/x/r" becomes "{B}{S}/r".
func valueUntemplater(o Origins, prefix string) *strings.Replacer {
	var pairs []string
	for _, n := range OriginNames {
		pairs = append(pairs, o[n], "{"+n+"}")
	}
	for _, n := range OriginNames {
		pairs = append(pairs, strings.TrimPrefix(o[n], "http://"), "{"+n+".host}")
	}
	pairs = append(pairs, prefix+"/", "{S}/")
	return strings.NewReplacer(pairs...)
}

// urlUntemplater turns a concrete URL of one scenario run back into a URL
// template, the inverse of expandURL: "http://127.0.0.2:41234/s/x/r" becomes
// "{B}/r". URL fields only ever point into their scenario, so the shorter
// form is not ambiguous there.
func urlUntemplater(o Origins, prefix string) *strings.Replacer {
	var pairs []string
	// Longest patterns first: strings.Replacer tries pairs in argument order.
	for _, n := range OriginNames {
		pairs = append(pairs, o[n]+prefix+"/", "{"+n+"}/")
	}
	for _, n := range OriginNames {
		pairs = append(pairs, strings.TrimPrefix(o[n], "http://")+prefix+"/", "{"+n+".host}/")
	}
	for _, n := range OriginNames {
		pairs = append(pairs, o[n], "{"+n+"}")
	}
	for _, n := range OriginNames {
		pairs = append(pairs, strings.TrimPrefix(o[n], "http://"), "{"+n+".host}")
	}
	pairs = append(pairs, prefix+"/", "{S}/")
	return strings.NewReplacer(pairs...)
}

// untemplater turns the outcomes of one scenario run back into the form a
// recording stores.
type untemplater struct{ url, value *strings.Replacer }

func newUntemplater(o Origins, id string) untemplater {
	return untemplater{url: urlUntemplater(o, Prefix(id)), value: valueUntemplater(o, Prefix(id))}
}

// outcome returns out with URL as a URL template ("{B}/r") and Body and
// Error with value templates ("{B}{S}/r").
func (u untemplater) outcome(out Outcome) Outcome {
	out.URL = u.url.Replace(out.URL)
	out.Body = u.value.Replace(out.Body)
	out.Error = u.value.Replace(out.Error)
	return out
}

// Untemplate returns outs, the outcomes of a run of the scenario with the
// given id on a server with origins o, as a recording stores them: the
// origins, hosts and scenario prefix of the run turned back into templates,
// in URL as a URL template ("{B}/r") and in Body and Error as value
// templates ("{B}{S}/r"). Replay does the same with a client's outcomes.
func (o Origins) Untemplate(id string, outs []Outcome) []Outcome {
	u := newUntemplater(o, id)
	res := make([]Outcome, len(outs))
	for i, out := range outs {
		res[i] = u.outcome(out)
	}
	return res
}
