// Package headerlist implements the header-value grammar of the Fetch
// Standard that the rest of corsfetch decides on: get, get-decode-split,
// extract header list values, token checks and byte case folding.
//
// Every function works on Go strings holding the bytes of a header value, as
// net/http hands them over. A byte above 0x7F stands for the code point of the
// same number (isomorphic decoding), so nothing here ever decodes UTF-8.
//
// The common paths allocate nothing: scanning is done by re-slicing, and the
// lists are walked with [Splitter] and [Elements] instead of being built.
//
// Deviations: none known. Not implemented: the structured-field parser and
// the header-list sort-and-combine, which corsfetch does not need.
package headerlist
