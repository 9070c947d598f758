package redirect_test

import (
	"net/http"
	"testing"

	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/redirect"
)

var sinkBool bool

func BenchmarkIsStatus(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkBool = redirect.IsStatus(300 + i%10)
	}
}

func BenchmarkLocation(b *testing.B) {
	base := mustURL(b, hostB+"/s/r1")
	for _, c := range []struct{ name, loc string }{
		{name: "absolute", loc: hostC + "/r2"},
		{name: "relative", loc: "r2?x=1"},
		{name: "unicode host", loc: "https://bücher.example/"},
	} {
		h := http.Header{"Location": {c.loc}}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := redirect.Location(302, h, base, redirect.Policy{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNext(b *testing.B) {
	a := origin.MustParse(pageA)
	r := redirect.Request{Origin: a, URLs: urls(b, hostB+"/r1"), Method: "POST", HasBody: true, CORSMode: true, CORSTainting: true}
	for _, c := range []struct {
		name   string
		status int
		loc    string
	}{
		{name: "same origin 307", status: 307, loc: hostB + "/r2"},
		{name: "same origin 303", status: 303, loc: hostB + "/r2"},
		{name: "cross origin 302", status: 302, loc: hostC + "/r2"},
	} {
		loc := mustURL(b, c.loc)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := redirect.Next(r, c.status, loc, redirect.Policy{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTaintOf(b *testing.B) {
	a := origin.MustParse(pageA)
	for _, c := range []struct {
		name string
		list []string
	}{
		{name: "A to B", list: []string{pageA + "/r", hostB + "/r"}},
		{name: "B to B to B", list: []string{hostB + "/r1", hostB + "/r2", hostB + "/r3"}},
		{name: "B to C", list: []string{hostB + "/r", hostC + "/r"}},
	} {
		list := urls(b, c.list...)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				redirect.TaintOf(a, list)
			}
		})
	}
}
