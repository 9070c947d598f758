package fetch

import (
	"net/http"
	"slices"
	"testing"

	"golang.org/x/net/http/httpguts"
)

// FuzzUnsafeNamesPaths checks that unsafeNames gives the same CORS-unsafe
// names (#cors-unsafe-request-header-names) whether it takes its fast path
// (safelist.UnsafeRequestHeaderNames) or its field-by-field path, which it
// takes for a profile that lists repeated names. The names must not depend
// on the path; the check bites for Chrome and Spec, which take the fast path
// when they can (Firefox and Safari always go field by field).
func FuzzUnsafeNamesPaths(f *testing.F) {
	f.Add("Accept", "text/plain", "Range", "bytes=0-1", "X-A", "1")
	f.Add("Save-Data", "on", "Range", "Bytes=0-1", "Accept-Language", "en")
	f.Add("Range", "bytes=0-9223372036854775807", "Dpr", "1.5", "Content-Type", "text/plain")
	f.Add("Accept", string(make([]byte, 200)), "Ect", "4g", "Intervention", "x")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2, n3, v3 string) {
		h := http.Header{}
		for _, kv := range [][2]string{{n1, v1}, {n2, v2}, {n3, v3}} {
			if !httpguts.ValidHeaderFieldName(kv[0]) || !httpguts.ValidHeaderFieldValue(kv[1]) {
				continue
			}
			k := http.CanonicalHeaderKey(kv[0])
			h[k] = append(h[k], kv[1])
		}
		for _, b := range []Profile{Chrome, Firefox, Safari, Spec} {
			p := b.resolve()
			fast, _ := (&fetchState{p: &p}).unsafeNames(h)
			q := p
			q.Preflight.ListRepeatedNames = true // forces the field-by-field path
			slow, _ := (&fetchState{p: &q}).unsafeNames(h)
			if !slices.Equal(fast, slow) {
				t.Fatalf("%s: unsafeNames(%q) = %q on one path, %q on the other", p.Name, h, fast, slow)
			}
		}
	})
}
