//go:build unix

package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
)

// The DNS server of a direct pass plays the attacker's DNS: it answers
// every A query for hostchars.test, target.example and any name under
// attacker.test with 127.0.0.1 (where the pages are served), other queries
// for those names with no record, and any other name with NXDOMAIN. It
// reports to the pass the name of every A or AAAA question for one of
// those names, as the browser wrote it (the browser's own background
// lookups and its HTTPS-record questions are left out).

// DNS constants (RFC 1035, RFC 3596).
const (
	dnsTypeA     = 1
	dnsTypeAAAA  = 28
	dnsClassIN   = 1
	dnsRcodeNX   = 3
	dnsHeaderLen = 12
)

// question is the question of a DNS query.
type question struct {
	name        string // presentation form; see labelText
	qtype       uint16
	qclass      uint16
	wire        []byte // the question as received: name, type and class
	id, flagsRD uint16
}

// parseQuery reads the header and the first question of a DNS query.
func parseQuery(msg []byte) (question, error) {
	var q question
	if len(msg) < dnsHeaderLen {
		return q, errors.New("short DNS message")
	}
	if msg[2]&0x80 != 0 || binary.BigEndian.Uint16(msg[4:]) == 0 {
		return q, errors.New("not a DNS query")
	}
	q.id = binary.BigEndian.Uint16(msg)
	q.flagsRD = uint16(msg[2]&0x01) << 8
	var labels []string
	i := dnsHeaderLen
	for {
		if i >= len(msg) {
			return q, errors.New("truncated DNS name")
		}
		n := int(msg[i])
		if n == 0 {
			i++
			break
		}
		if n > 63 || i+1+n > len(msg) {
			return q, errors.New("bad DNS label")
		}
		labels = append(labels, labelText(msg[i+1:i+1+n]))
		i += 1 + n
	}
	if i+4 > len(msg) {
		return q, errors.New("truncated DNS question")
	}
	q.qtype = binary.BigEndian.Uint16(msg[i:])
	q.qclass = binary.BigEndian.Uint16(msg[i+2:])
	q.wire = msg[dnsHeaderLen : i+4]
	q.name = strings.Join(labels, ".")
	return q, nil
}

// labelText returns a DNS label as text: printable ASCII as is, except "."
// and "\" escaped with "\", other bytes as \DDD (the presentation format of
// RFC 1035, section 5.1).
func labelText(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c == '.' || c == '\\':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c > ' ' && c < 0x7f:
			s.WriteByte(c)
		default:
			fmt.Fprintf(&s, "\\%03d", c)
		}
	}
	return s.String()
}

// ours tells whether a name is one the attacker's DNS answers.
func ours(name string) bool {
	n := strings.ToLower(strings.TrimSuffix(name, "."))
	return n == controlHost || n == victimHost || n == attackerSuffix[1:] || strings.HasSuffix(n, attackerSuffix)
}

// answer returns the response to q: 127.0.0.1 for an A query of one of our
// names, no record for another type, NXDOMAIN for any other name.
func answer(q question) []byte {
	hdr := make([]byte, dnsHeaderLen)
	binary.BigEndian.PutUint16(hdr, q.id)
	flags := 0x8000 | 0x0400 | q.flagsRD | 0x0080 // response, authoritative, RD copied, RA
	if !ours(q.name) {
		flags |= dnsRcodeNX
	}
	binary.BigEndian.PutUint16(hdr[2:], uint16(flags))
	binary.BigEndian.PutUint16(hdr[4:], 1)
	msg := append(hdr, q.wire...)
	if ours(q.name) && q.qtype == dnsTypeA && q.qclass == dnsClassIN {
		binary.BigEndian.PutUint16(msg[6:], 1)
		msg = append(msg,
			0xc0, dnsHeaderLen, // the question's name
			0, dnsTypeA, 0, dnsClassIN,
			0, 0, 0, 5, // TTL 5 s
			0, 4, 127, 0, 0, 1)
	}
	return msg
}

// serveDNS answers the queries that reach pc until it is closed, reporting
// each question's name to st.
func serveDNS(pc net.PacketConn, st *state) {
	buf := make([]byte, 1500)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		q, err := parseQuery(buf[:n])
		if err != nil {
			st.note("DNS: " + err.Error())
			continue
		}
		if ours(q.name) && (q.qtype == dnsTypeA || q.qtype == dnsTypeAAAA) {
			st.dnsQuery(q.name)
		}
		pc.WriteTo(answer(q), addr)
	}
}
