// Package recorder produces the recordings of the conformance corpus: it
// runs scenarios in a real browser and joins what page script saw with what
// the scenario server saw into a conformance.Recording. It drives the
// browsers with no driver library: a [Launcher] starts a fresh instance on a
// page served by origin A, and the page does the rest.
//
// The pieces are:
//
//   - [Record]: starts a conformance.Server for the scenarios, serves the
//     runner page (runner.html), its protocol and the warm-up route on every
//     origin, opens the browser, waits for every scenario's outcomes and
//     builds the recording. Scenarios that are not paged run side by side in
//     the first page, at A; then the server leads the tab through the paged
//     ones (tour.go), one page load at a time, each a top-level navigation
//     to the runner page of the load's origin. A browser's run ends when
//     every scenario has its outcomes and the first page has asked where
//     to go next, its last request, so that none of its requests reaches
//     the next browser's run on the same server. Scenarios with a Local
//     Network Access configuration (conformance.Scenario.LNA) run after
//     them, in a fresh browser per configuration, which an [LNALauncher]
//     starts with the configuration applied.
//   - The launchers [ChromiumLauncher], [FirefoxLauncher] and
//     [WebKitLauncher] (unix only): each starts its browser in a process
//     group of its own with a fresh profile (WebKitGTK's MiniBrowser under a
//     private X server) and kills every process group when the [Session]
//     stops. Their OpenLNA applies a Local Network Access configuration:
//     Chromium through --ip-address-space-overrides and the DevTools pipe
//     (devtools.go), Firefox through preferences and the profile's default
//     permissions; WebKitGTK has nothing to apply. They are named Launcher
//     so as not to be taken for package fetch's profiles (fetch.Firefox and
//     the others), which a recording is used to check.
//   - The warm-up: before the scenarios, the page repeats one preflighted
//     call on origins P, B and C until the preflight cache serves one, so
//     that every scenario is recorded in the state of a browser that has
//     talked to those hosts before (Firefox needs it; warmup.go says why).
//     The first page at P, B or C of the tour does the same towards every
//     other origin.
//
// Replaying a recording needs none of this: package conformance does it,
// and package corpus holds the stored recordings. The command
// conformance/cmd/record records the corpus and checks a stored recording
// against a fresh one.
package recorder
