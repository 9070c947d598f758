package origin

import "testing"

// TestIsSerializedHost checks the fast path of parseHost against the full
// parser: whenever it accepts a host, parsing gives the host unchanged.
func TestIsSerializedHost(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{in: "example.com", want: true}, {in: "a-b.example", want: true}, {in: "127.0.0.1", want: true}, {in: "255.255.255.255", want: true},
		{in: "localhost", want: true}, {in: "0.0.0.0", want: true},
		{in: "Example.com", want: false}, {in: "xn--nxasmq6b.example", want: false}, {in: "a.xn--p1ai", want: false},
		{in: "127.0.0.01", want: false}, {in: "256.0.0.1", want: false}, {in: "1.2.3", want: false}, {in: "1.2.3.4.5", want: false},
		{in: "example.com.", want: false}, {in: ".example", want: false}, {in: "a..b", want: false}, {in: "0x7f.0.0.1", want: false},
		{in: "example.123", want: false}, {in: "a_b.example", want: false}, {in: "", want: false}, {in: "1.2.3.4a", want: false},
	}
	for _, tt := range tests {
		if got := isSerializedHost(tt.in); got != tt.want {
			t.Errorf("isSerializedHost(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzIsSerializedHost checks that the fast path never changes a result:
// a host it accepts parses to itself through the full parser.
func FuzzIsSerializedHost(f *testing.F) {
	for _, s := range []string{"example.com", "127.0.0.1", "1.2.3.04", "a.b-c.d9", "xn--a.b", "0.0.0.255"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isSerializedHost(s) {
			return
		}
		ascii, err := domainToASCII(s)
		if err != nil {
			t.Fatalf("isSerializedHost(%q) but domainToASCII fails: %v", s, err)
		}
		got := ascii
		if endsInNumber(ascii) {
			if got, err = parseIPv4(ascii); err != nil {
				t.Fatalf("isSerializedHost(%q) but parseIPv4 fails: %v", s, err)
			}
		}
		if got != s {
			t.Fatalf("isSerializedHost(%q) but the parser gives %q", s, got)
		}
	})
}
