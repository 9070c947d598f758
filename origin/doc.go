// Package origin implements the HTML Standard's origin: the (scheme, host,
// port) tuple that the same-origin policy and CORS compare, and the opaque
// origin that equals only itself.
//
// An [Origin] is a comparable value: == on two tuple origins is the same
// origin test, and each opaque origin (from [NewOpaque], from a data: URL, from
// Parse("null")) equals only itself and its copies. [Origin.String] is the
// ASCII serialization that a browser puts in the Origin request header and
// compares byte for byte with Access-Control-Allow-Origin.
//
// Hosts are parsed as the WHATWG URL Standard parses the host of a special
// URL: percent-decoded, mapped and converted to ASCII with UTS #46 (through
// golang.org/x/net/idna, non-transitional), checked for forbidden code points,
// and, when the last label is a number, parsed as an IPv4 address in any of
// the forms browsers accept ("0x7f.1" is 127.0.0.1). IPv6 addresses are
// serialized in the URL Standard's compressed lower-case form, never with an
// embedded IPv4 part.
//
// # Deviations
//
// net/url parses URLs by RFC 3986, not by the WHATWG URL Standard; [FromURL]
// takes the scheme, host and port net/url found and re-parses the host the
// WHATWG way, but it cannot see input that net/url already rejected or
// rewrote. [Parse] accepts upper-case letters and Unicode in a serialized
// origin and normalizes them, so that a page origin can be written by hand;
// compare [Origin.String] with the input to check that it was canonical.
// file: URLs get a new opaque origin, which the URL Standard allows ("when
// in doubt, return a new opaque origin") and which is what Chromium and
// Firefox put in the Origin header ("null"). A host whose Punycode label
// golang.org/x/net/idna can encode but not decode again (a label of a few
// thousand characters) is rejected, so that every origin serializes to a
// string [Parse] accepts; a browser's IDNA library may accept it.
//
// Registrable domains come from golang.org/x/net/publicsuffix, whose list
// includes the private section (github.io, for example), as browsers use it.
// Its list is a snapshot and can differ from a browser's.
//
// # Not implemented
//
// The origin's domain member (document.domain) plays no part in fetch and is
// not kept. Blob URLs are resolved from their path only; there is no blob URL
// store.
package origin
