// Package conformance holds a Go client to what real browsers do: it
// defines scenarios, in which a page at one loopback origin calls fetch()
// against routes on other origins, and recordings of what a browser did with
// them, and it replays a recording against a Go client ([Session] and
// [Client]) and reports every [Difference].
//
// The pieces are:
//
//   - Scenarios ([Scenario], [LoadScenarios]): data. Each scenario is a list
//     of fetch() calls and the routes they reach, on four origins: A
//     (127.0.0.1), P (127.0.0.1 on another port: same site, cross origin),
//     B (127.0.0.2) and C (127.0.0.3), both cross site. The calls are made
//     by a page at A, or by pages at any of the four origins, one load
//     after the other in one browser ([Scenario.Loads]). A scenario may
//     give its origins Local Network Access address spaces and grant its
//     pages the LNA permissions ([LNA]), and a call may pass
//     targetAddressSpace ([CallSpec.TargetAddressSpace]).
//   - The scenario server ([Server]): serves the four origins on loopback,
//     answers every route as its scenario says and logs every request that
//     arrives.
//   - Recordings ([Recording], [ReadRecording], [DecodeRecording]): for each
//     scenario, what page script saw for each call and what the server saw.
//   - The replay runner and comparator ([Replay], [CompareScenario],
//     [CompareRecordings]): runs each scenario in a [Session] (a browser
//     whose pages are [Client] values) against a fresh server and compares
//     each run with a recording.
//   - The adapters over package fetch ([TransportSessions], a fetch.Browser
//     per session; [TransportClients], a fetch.Transport per page load),
//     configured from the engine's name alone (see [NewSession] and
//     [EngineAgent]).
//
// This package embeds no data, starts no browser and does not import
// testing, so a program that replays a recording against its own client
// links none of that. The rest of the conformance tree:
//
//   - package corpus: the corpus and the three stored recordings (Chromium,
//     Firefox, WebKit), built in;
//   - package recorder: the recorder and the browser launchers that produce
//     the recordings;
//   - package conformancetest: a one-line replay of the built-in corpus in a
//     Go test;
//   - commands cmd/record (record, or check a stored recording against a
//     fresh one) and cmd/compare (fetch.Transport against headless Chromium,
//     time and memory).
//
// A recording is the only source of expected outcomes: nothing in the
// conformance tree states what a browser does; it asks one. See README.md
// for the scenario format and for how to re-record.
package conformance
