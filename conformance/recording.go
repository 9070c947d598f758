package conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Recording is what one browser engine did with the corpus: for each
// scenario, what script saw for each call and every request the server
// received. The recordings of the corpus are stored as corpus/<engine>.json
// (package corpus).
type Recording struct {
	// Engine names the engine: "chromium", "firefox" or "webkit".
	Engine string `json:"engine"`
	// Version is the browser's own version line, e.g. "Chromium 156.0.8078.79".
	Version string `json:"version"`
	// WarmUp is what the recorder's warm-up did on origins P, B and C, in
	// that order, before the scenarios ran, then from each page of a paged
	// scenario at another origin than A, at its first load (see [WarmUp]).
	// It is not compared.
	WarmUp []WarmUp `json:"warm_up,omitempty"`
	// LNA describes the browsers that ran the scenarios with a Local
	// Network Access configuration ([Scenario.LNA]): one per
	// configuration, started after the browser of the other scenarios
	// (which WarmUp describes), in the order of their keys. It is not
	// compared.
	LNA []LNARun `json:"lna,omitempty"`
	// Scenarios are sorted by ID.
	Scenarios []RecordedScenario `json:"scenarios"`
}

// LNARun is the browser the recorder started for the scenarios of one Local
// Network Access configuration: the overrides and grants are browser-wide,
// so each configuration gets a fresh browser of its own.
type LNARun struct {
	// Config is the configuration, as [LNA.Key] prints it.
	Config string `json:"config"`
	// Scenarios are the IDs of the scenarios it ran, sorted.
	Scenarios []string `json:"scenarios"`
	// Setup says how the browser was given the configuration, one line per
	// command-line flag, preference or command, or why it could not be;
	// the run's origins and hosts are templates ({A}, {B.host}).
	Setup []string `json:"setup"`
	// WarmUp is what the warm-up did in this browser, as in
	// [Recording.WarmUp]; a warm-up that a Local Network Access check
	// stopped does not fail the run but carries the error.
	WarmUp []WarmUp `json:"warm_up,omitempty"`
}

// RecordedScenario is the recording of one scenario.
type RecordedScenario struct {
	// ID is the scenario's ID.
	ID string `json:"id"`
	// Digest is the SHA-256 of the scenario definition that was recorded, so
	// that a scenario edited after recording is noticed.
	Digest string `json:"digest"`
	// Outcomes has one entry per call, in order.
	Outcomes []Outcome `json:"outcomes"`
	// Requests are the requests the server logged for the scenario, in
	// arrival order.
	Requests []LoggedRequest `json:"requests"`
}

// Digest returns the SHA-256 (hex) of the canonical JSON encoding of s.
func (s Scenario) Digest() string {
	b, err := json.Marshal(s)
	if err != nil {
		// A Scenario is plain data; Marshal cannot fail on it.
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Scenario returns the recorded scenario with the given id, or nil.
func (r *Recording) Scenario(id string) *RecordedScenario {
	for i := range r.Scenarios {
		if r.Scenarios[i].ID == id {
			return &r.Scenarios[i]
		}
	}
	return nil
}

// Encode writes r as indented JSON. The encoding is deterministic: the same
// recording always gives the same bytes.
func (r *Recording) Encode(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// DecodeRecording reads a recording written by Encode.
func DecodeRecording(rd io.Reader) (*Recording, error) {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	var r Recording
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("conformance: decoding recording: %w", err)
	}
	if r.Engine == "" {
		return nil, fmt.Errorf("conformance: recording names no engine")
	}
	return &r, nil
}

// ReadRecording reads the recording stored in the file at path.
func ReadRecording(path string) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeRecording(f)
}

// WarmUp is what the recorder's warm-up did on one origin before the
// scenarios ran (or, from a page of a paged scenario, before its calls): it repeats one preflighted call until the preflight cache
// serves one, so that every scenario is recorded in the state of a browser
// that has talked to the host before (package recorder says why).
type WarmUp struct {
	// Page is the origin's name of the page that made the calls when it is
	// not A: a page of a paged scenario, which warms up at its origin's
	// first load. Empty for the first page, at A.
	Page string `json:"page,omitempty"`
	// Origin is the name of the origin warmed up: P, B or C from the
	// first page; any origin but its own from another page.
	Origin string `json:"origin"`
	// Calls is the number of identical preflighted calls it took until one
	// was served from the preflight cache, that one included.
	Calls int `json:"calls"`
	// Preflights is the number of preflights the origin received for them.
	Preflights int `json:"preflights"`
	// Error, in a browser of Local Network Access scenarios (LNARun), is
	// the error of the page's fetch() that stopped the warm-up of the
	// origin before the preflight cache served a call. Such a warm-up does
	// not fail the run there (the browser may block the page's requests to
	// the origin); anywhere else it does.
	Error string `json:"error,omitempty"`
}

// String formats w as "B: 3 preflights in 4 calls", or "B from page C: 3
// preflights in 4 calls" for a warm-up from a page at C.
func (w WarmUp) String() string {
	from := ""
	if w.Page != "" {
		from = " from page " + w.Page
	}
	if w.Error != "" {
		return fmt.Sprintf("%s%s: %d preflights in %d calls, stopped: %s", w.Origin, from, w.Preflights, w.Calls, w.Error)
	}
	return fmt.Sprintf("%s%s: %d preflights in %d calls", w.Origin, from, w.Preflights, w.Calls)
}
