//go:build linux

package main

import (
	"syscall"
	"testing"
)

// TestNewAddrRequest checks the netlink request that adds 127.0.0.2 to lo
// by parsing it back.
func TestNewAddrRequest(t *testing.T) {
	t.Parallel()
	b := newAddrRequest(7, [4]byte{127, 0, 0, 2})
	msgs, err := syscall.ParseNetlinkMessage(b)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("ParseNetlinkMessage = %d messages, %v", len(msgs), err)
	}
	m := msgs[0]
	wantFlags := uint16(syscall.NLM_F_REQUEST | syscall.NLM_F_ACK | syscall.NLM_F_CREATE | syscall.NLM_F_EXCL)
	if m.Header.Type != syscall.RTM_NEWADDR || m.Header.Flags != wantFlags || int(m.Header.Len) != len(b) {
		t.Errorf("header = %+v", m.Header)
	}
	if m.Data[0] != syscall.AF_INET || m.Data[1] != 32 || m.Data[3] != syscall.RT_SCOPE_HOST || m.Data[4] != 7 {
		t.Errorf("ifaddrmsg = % x", m.Data[:syscall.SizeofIfAddrmsg])
	}
	attrs, err := syscall.ParseNetlinkRouteAttr(&m)
	if err != nil || len(attrs) != 2 {
		t.Fatalf("attributes = %v, %v", attrs, err)
	}
	for i, typ := range []uint16{syscall.IFA_LOCAL, syscall.IFA_ADDRESS} {
		if a := attrs[i]; a.Attr.Type != typ || string(a.Value) != "\x7f\x00\x00\x02" {
			t.Errorf("attribute %d = type %d value % x", i, a.Attr.Type, a.Value)
		}
	}
}
