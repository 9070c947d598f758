// Package conformancetest replays the built-in conformance corpus in a Go
// test. It is the only package of the conformance tree that imports
// testing; a program that replays recordings without package testing uses
// conformance.Replay with package corpus (or its own recordings) instead.
package conformancetest

import (
	"testing"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/corsfetch/corsfetch/conformance/corpus"
)

// Replay replays the built-in corpus (package corpus) against its stored
// recording of engine ("chromium", "firefox" or "webkit") in sessions
// opened by sessions (a conformance.NewSession, or a conformance.NewClient
// whose pages share nothing), reports every difference with t.Error and
// logs the per-area summary. A test of a client calls it as
//
//	conformancetest.Replay(t, "chromium", conformance.TransportSessions(nil))
//
// and returns the report for any further check.
func Replay(t testing.TB, engine string, sessions conformance.Sessions) *conformance.Report {
	t.Helper()
	scenarios, err := corpus.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := corpus.Recording(engine)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := conformance.Replay(t.Context(), scenarios, rec, sessions, conformance.ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Differences() {
		t.Error(d)
	}
	t.Log("\n" + rep.Summary())
	return rep
}
