package cookiestore

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// filled returns a store at t0 with cookies of every kind: host-only and
// domain, Secure, HttpOnly, SameSite, session and persistent, partitioned,
// for an IP address.
func filled(t testing.TB) (*Store, *clock) {
	c := &clock{t0}
	s := New(&Options{Now: c.now})
	page := "https://app.example"
	for _, set := range []struct {
		url, partition string
		lines          []string
	}{
		{url: "https://www.example.com/dir/page", lines: []string{"host=1", "wide=2; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600"}},
		{url: "https://api.example/", partition: page, lines: []string{"chips=3; Secure; Partitioned; SameSite=None; Path=/"}},
		{url: "http://127.0.0.1:8080/", lines: []string{"ip=4; SameSite=Lax"}},
		{url: "https://www.example.com/", lines: []string{"gone=5; Max-Age=1"}},
	} {
		c.t = c.t.Add(time.Second)
		s.Set(Request{URL: mustURL(t, set.url), Secure: strings.HasPrefix(set.url, "https:"), Partition: set.partition}, parse(t, set.lines...))
	}
	c.t = c.t.Add(10 * time.Second) // gone has expired
	return s, c
}

// TestAllImportRoundTrip checks that Import(All()) into a new store gives
// the same cookies, the same answers to requests, and that All reports
// each attribute.
func TestAllImportRoundTrip(t *testing.T) {
	t.Parallel()
	s, c := filled(t)
	all := s.All()
	want := []Cookie{
		{Cookie: http.Cookie{Name: "host", Value: "1", Domain: "www.example.com", Path: "/dir"}, HostOnly: true},
		{Cookie: http.Cookie{Name: "wide", Value: "2", Domain: "example.com", Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode, Expires: t0.Add(time.Second + time.Hour)}},
		{Cookie: http.Cookie{Name: "chips", Value: "3", Domain: "api.example", Path: "/", Secure: true, SameSite: http.SameSiteNoneMode, Partitioned: true}, HostOnly: true, Partition: "https://app.example"},
		{Cookie: http.Cookie{Name: "ip", Value: "4", Domain: "127.0.0.1", Path: "/", SameSite: http.SameSiteLaxMode}, HostOnly: true},
	}
	if d := cmp.Diff(want, all); d != "" {
		t.Fatalf("All() (-want +got):\n%s", d)
	}
	restored := New(&Options{Now: c.now})
	if err := restored.Import(all); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all, restored.All()); d != "" {
		t.Errorf("All() after Import(All()) (-before +after):\n%s", d)
	}
	for _, r := range []Request{
		{URL: mustURL(t, "https://www.example.com/dir/x"), Secure: true},
		{URL: mustURL(t, "https://api.example/"), Secure: true, Partition: "https://app.example"},
		{URL: mustURL(t, "http://127.0.0.1/"), Secure: true},
		{URL: mustURL(t, "https://sub.example.com/"), Secure: true},
	} {
		if got, want := names(restored.Get(r)), names(s.Get(r)); got != want {
			t.Errorf("request to %v: restored store gives %q; the original %q", r.URL, got, want)
		}
	}
}

// TestImport checks what Import stores and what it refuses.
func TestImport(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		cookie  Cookie
		want    string // allNames after the import
		wantErr string // in the error, or "" for none
	}{
		{name: "leading dot and case", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "1", Domain: ".EXAMPLE.com"}}, want: "a"},
		{name: "empty path means /", cookie: Cookie{Cookie: http.Cookie{Name: "a", Domain: "example.com"}, HostOnly: true}, want: "a"},
		{name: "max-age", cookie: Cookie{Cookie: http.Cookie{Name: "a", Domain: "example.com", MaxAge: 60}}, want: "a"},
		{name: "expired is skipped", cookie: Cookie{Cookie: http.Cookie{Name: "a", Domain: "example.com", Expires: t0.Add(-time.Second)}}, want: ""},
		{name: "negative max-age is skipped", cookie: Cookie{Cookie: http.Cookie{Name: "a", Domain: "example.com", MaxAge: -1}}, want: ""},
		{name: "IPv6", cookie: Cookie{Cookie: http.Cookie{Name: "a", Domain: "[::1]"}}, want: "a"},
		{name: "no name and no value", cookie: Cookie{Cookie: http.Cookie{Domain: "example.com"}}, wantErr: "no name and no value"},
		{name: "control character", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "x\ny", Domain: "example.com"}}, wantErr: "control character"},
		{name: "semicolon", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "x;y", Domain: "example.com"}}, wantErr: "';'"},
		{name: "equals in the name", cookie: Cookie{Cookie: http.Cookie{Name: "a=b", Value: "1", Domain: "example.com"}}, wantErr: "'='"},
		{name: "too long", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: strings.Repeat("v", 4096), Domain: "example.com"}}, wantErr: "4096"},
		{name: "no domain", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "1"}}, wantErr: "not a host name"},
		{name: "domain with a port", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "1", Domain: "example.com:8080"}}, wantErr: "not a host name"},
		{name: "domain with a path", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "1", Domain: "example.com/x"}}, wantErr: "not a host name"},
		{name: "public suffix", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "1", Domain: "co.uk"}}, wantErr: "public suffix"},
		{name: "public suffix, host-only", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "1", Domain: "github.io"}, HostOnly: true}, want: "a"},
		{name: "relative path", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "1", Domain: "example.com", Path: "x"}}, wantErr: "path"},
		{name: "__Host- with Domain", cookie: Cookie{Cookie: http.Cookie{Name: "__Host-a", Value: "1", Domain: "example.com", Path: "/", Secure: true}}, wantErr: "__Host-"},
		{name: "__Host-", cookie: Cookie{Cookie: http.Cookie{Name: "__Host-a", Value: "1", Domain: "example.com", Path: "/", Secure: true}, HostOnly: true}, want: "__Host-a"},
		{name: "__Secure- without Secure", cookie: Cookie{Cookie: http.Cookie{Name: "__secure-a", Value: "1", Domain: "example.com"}}, wantErr: "__Secure-"},
		{name: "partitioned without a partition", cookie: Cookie{Cookie: http.Cookie{Name: "a", Value: "1", Domain: "example.com", Secure: true, Partitioned: true}}, wantErr: "Partition"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := New(&Options{Now: (&clock{t0}).now})
			err := s.Import([]Cookie{tt.cookie})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Import: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Import error = %v; want one mentioning %q", err, tt.wantErr)
			}
			if got := allNames(s); got != tt.want {
				t.Errorf("stored %q; want %q", got, tt.want)
			}
		})
	}
}

// TestImportReplacesAndDeletes checks that an imported cookie replaces the
// stored one of the same identity, keeping its place, and that an expired
// one deletes it; a refused cookie does not stop the others.
func TestImportReplacesAndDeletes(t *testing.T) {
	t.Parallel()
	s, _ := filled(t)
	err := s.Import([]Cookie{
		{Cookie: http.Cookie{Name: "host", Value: "new", Domain: "www.example.com", Path: "/dir"}, HostOnly: true},
		{Cookie: http.Cookie{Name: "bad;", Domain: "example.com"}},
		{Cookie: http.Cookie{Name: "wide", Domain: "example.com", Path: "/", MaxAge: -1}},
	})
	if err == nil || !strings.Contains(err.Error(), `"bad;"`) {
		t.Errorf("Import error = %v; want the refused cookie named", err)
	}
	all := s.All()
	if got := allNames(s); got != "host chips ip" || all[0].Value != "new" {
		t.Errorf("after Import: %q, host=%q; want host (replaced, in its place) chips ip", got, all[0].Value)
	}
}

func BenchmarkAll(b *testing.B) {
	s := benchStore(b, 200)
	b.ReportAllocs()
	for b.Loop() {
		s.All()
	}
}

func BenchmarkImport(b *testing.B) {
	all := benchStore(b, 200).All()
	b.ReportAllocs()
	for b.Loop() {
		New(nil).Import(all)
	}
}

// benchStore returns a store of n cookies over ten sites.
func benchStore(b *testing.B, n int) *Store {
	s := New(nil)
	for i := range n {
		u := mustURL(b, fmt.Sprintf("https://www.site%d.example/", i%10))
		s.Set(Request{URL: u, Secure: true}, []*http.Cookie{{Name: fmt.Sprintf("c%d", i), Value: "value", Path: "/", Secure: true, SameSite: http.SameSiteLaxMode}})
	}
	return s
}
