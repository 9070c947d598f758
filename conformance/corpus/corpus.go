// Package corpus holds the browser-truth corpus of corsfetch, built into
// the package: the scenarios (scenarios/*.json) and what each browser engine
// did with them (chromium.json, firefox.json and webkit.json, written by
// package recorder's command, conformance/cmd/record).
//
// It is a package of its own so that replaying a recording costs nothing
// until it is asked for: package conformance, which replays and compares,
// embeds no data, and a program that replays its own recording never links
// these files (about 3 MB). A test replays the built-in corpus against a
// client with [Scenarios] and [Recording]:
//
//	scenarios, err := corpus.Scenarios()
//	...
//	rec, err := corpus.Recording("chromium")
//	...
//	rep, err := conformance.Replay(ctx, scenarios, rec, conformance.TransportClients(nil), conformance.ReplayOptions{})
//
// or in one call with conformancetest.Replay.
package corpus

import (
	"embed"
	"fmt"

	"github.com/corsfetch/corsfetch/conformance"
)

//go:embed scenarios/*.json *.json
var files embed.FS

// Scenarios returns the scenarios of the corpus (scenarios/*.json),
// validated and sorted by ID.
func Scenarios() ([]conformance.Scenario, error) {
	return conformance.LoadScenarios(files, "scenarios")
}

// Recording returns the stored recording of engine ("chromium", "firefox"
// or "webkit"; see [Engines]), <engine>.json.
func Recording(engine string) (*conformance.Recording, error) {
	f, err := files.Open(engine + ".json")
	if err != nil {
		return nil, fmt.Errorf("corpus: no recording for engine %q: %w", engine, err)
	}
	defer f.Close()
	return conformance.DecodeRecording(f)
}

// Engines returns the engines with a stored recording: "chromium",
// "firefox" and "webkit".
func Engines() []string { return []string{"chromium", "firefox", "webkit"} }
