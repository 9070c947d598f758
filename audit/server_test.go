package audit

import (
	"net/http"
	"regexp"
	"strings"
)

// The page origin and the API URL of the tests: the API as deployed at
// api.example.com, called by the page at app.example.com (same site).
const (
	testPage = "https://app.example.com"
	testURL  = "https://api.example.com/items"
)

// corsServer is a configurable CORS server: each field gives one of the
// misconfigurations the audit looks for; the zero value with allow set to
// exactOrigin is a correct, strict configuration.
type corsServer struct {
	allow              func(origin string) bool                     // the origin check
	wildcard           bool                                         // Access-Control-Allow-Origin: * for everyone
	credentials        bool                                         // Access-Control-Allow-Credentials: true
	noVary             bool                                         // no Vary: Origin
	cacheControl       string                                       // Cache-Control of GET answers; default no-store
	methods            string                                       // Access-Control-Allow-Methods; default the SPA's
	headers            string                                       // Access-Control-Allow-Headers; default the SPA's
	maxAge             string                                       // Access-Control-Max-Age; default 600
	preflight          func(w http.ResponseWriter, r *http.Request) // answers OPTIONS instead
	slashRedirect      bool                                         // "/x/" redirected to "/x" before CORS
	refuse             bool                                         // 403 for a refused origin's requests
	varyOnlyWithOrigin bool                                         // Vary: Origin only on answers to requests with Origin
}

// exactOrigin allows the test page's origin only.
func exactOrigin(o string) bool { return o == testPage }

// ServeHTTP answers as configured.
func (s *corsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.slashRedirect && len(r.URL.Path) > 1 && strings.HasSuffix(r.URL.Path, "/") {
		http.Redirect(w, r, strings.TrimSuffix(r.URL.Path, "/"), http.StatusMovedPermanently)
		return
	}
	o := r.Header.Get("Origin")
	allowed := o != "" && s.allow != nil && s.allow(o)
	h := w.Header()
	switch {
	case s.wildcard:
		h.Set("Access-Control-Allow-Origin", "*")
	case allowed:
		h.Set("Access-Control-Allow-Origin", o)
	}
	if s.credentials && (s.wildcard || allowed) {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if !s.noVary && !s.wildcard && (o != "" || !s.varyOnlyWithOrigin) {
		h.Set("Vary", "Origin")
	}
	if r.Method == http.MethodOptions && s.preflight != nil {
		s.preflight(w, r)
		return
	}
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		s.answerPreflight(w, allowed || s.wildcard)
		return
	}
	if o != "" && !allowed && !s.wildcard && s.refuse {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	cc := s.cacheControl
	if cc == "" {
		cc = "no-store"
	}
	h.Set("Cache-Control", cc)
	h.Set("Content-Type", "application/json")
	w.Write([]byte(`{"items":[]}`))
}

// answerPreflight answers a preflight: the CORS fields when the origin is
// allowed, a bare 204 otherwise.
func (s *corsServer) answerPreflight(w http.ResponseWriter, allowed bool) {
	if allowed {
		h := w.Header()
		h.Set("Access-Control-Allow-Methods", or(s.methods, "GET, POST, PUT, PATCH, DELETE"))
		h.Set("Access-Control-Allow-Headers", or(s.headers, "Content-Type, Authorization"))
		h.Set("Access-Control-Max-Age", or(s.maxAge, "600"))
	}
	w.WriteHeader(http.StatusNoContent)
}

// or returns s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// matches returns an origin check by regular expression.
func matches(expr string) func(string) bool {
	re := regexp.MustCompile(expr)
	return re.MatchString
}

// status answers every preflight with a status and no fields.
func status(code int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Del("Access-Control-Allow-Origin")
		w.Header().Del("Access-Control-Allow-Credentials")
		w.WriteHeader(code)
	}
}
