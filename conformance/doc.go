// Package conformance holds the browser-truth corpus of corsfetch: scenarios in
// which a page at one loopback origin calls fetch() against routes on other
// origins, the answers a real browser gave for each of them, and the machinery
// that produced and replays those answers.
//
// The pieces are:
//
//   - Scenarios ([Scenario], [LoadScenarios]): data files under
//     testdata/scenarios. Each scenario is a list of fetch() calls and the
//     routes they reach, on four origins: the page A (127.0.0.1), P (127.0.0.1
//     on another port: same site, cross origin), B (127.0.0.2) and C
//     (127.0.0.3), both cross site.
//   - The scenario server ([Server]): serves the four origins on loopback,
//     answers every route as its scenario says and logs every request that
//     arrives.
//   - The recorders ([Record], [Chromium], [Firefox], [WebKit]): run the
//     corpus in a real browser (headless, or WebKitGTK under a private X
//     server) through a page served by A, and join what script saw with what
//     the server saw into a [Recording] (testdata/chromium.json, firefox.json,
//     webkit.json).
//   - The replay runner ([Replay], [ReplayTest]): runs the same corpus through a
//     Go [Client] (an adapter over fetch.Transport) against the same server and
//     reports every [Difference] from the recording.
//
// The recording is the only source of expected outcomes: nothing in this
// package states what a browser does; it asks one. See README.md for the
// scenario format and for how to re-record.
package conformance
