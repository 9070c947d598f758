package fetch_test

import (
	"maps"
	"regexp"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/corsfetch/corsfetch/conformance/corpus"
)

// notSimulated lists, per engine, the scenarios of its recording that show
// browser behaviour outside what a Transport simulates, with the reason.
// Each must still disagree when replayed, so that the list never hides a
// scenario the Transport could pass.
var notSimulated = map[string]map[string]string{
	"chromium": goClient,
	"firefox":  goClient,
	"webkit": merge(goClient, map[string]string{
		"redirect-manual-empty-location":          webkitOpaqueRedirectBody,
		"redirect-manual-no-location-301":         webkitOpaqueRedirectBody,
		"redirect-manual-no-location-302":         webkitOpaqueRedirectBody,
		"redirect-manual-no-location-303":         webkitOpaqueRedirectBody,
		"redirect-manual-no-location-307":         webkitOpaqueRedirectBody,
		"redirect-manual-no-location-308":         webkitOpaqueRedirectBody,
		"redirect-manual-no-location-put":         webkitOpaqueRedirectBody,
		"redirect-manual-no-location-same-origin": webkitOpaqueRedirectBody,
	}),
}

// The reasons of notSimulated.
const (
	pragmaCacheControl = "net/http adds Cache-Control: no-cache to a response that has Pragma: no-cache " +
		"and no Cache-Control (fixPragmaCacheControl); Cache-Control being a safelisted name, the page " +
		"sees a field the server never sent, and the Transport cannot tell it from one it did send"
	refusedHead = "net/http refuses a response head with a control byte other than tab in a field value, " +
		"or a byte above 0x7F in a field name (net/textproto: malformed MIME header line): the fetch " +
		"fails with ReasonNetwork where the engine delivers the response"
	webkitOpaqueRedirectBody = "WebKit hands the page the body of a 3xx without a Location in an " +
		"opaque-redirect response; the Transport keeps its contract that an opaque-redirect response " +
		"has an empty body (fetch package doc, Profiles)"
)

// goClient lists the scenarios that show where Go's HTTP client changes a
// response before the Transport sees it, the same in every engine's
// recording.
var goClient = map[string]string{
	"expose-pragma-no-cache-only":       pragmaCacheControl,
	"expose-pragma-no-cache-only-basic": pragmaCacheControl,
	"expose-value-control-01":           refusedHead,
	"expose-value-control-0b":           refusedHead,
	"expose-value-control-0b-basic":     refusedHead,
	"expose-value-control-0c":           refusedHead,
	"expose-value-control-0c-basic":     refusedHead,
	"expose-value-control-7f":           refusedHead,
	"expose-vertical-tab":               refusedHead,
	"expose-form-feed":                  refusedHead,
	"expose-header-control-char-value":  refusedHead,
	"expose-header-del-value":           refusedHead,
	"expose-name-latin1":                refusedHead,
}

// merge returns the union of the maps.
func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// TestChromiumRecording replays the Chromium recording
// (conformance/corpus/chromium.json) through the pages of a fetch.Browser
// per scenario, with the Chrome profile: every scenario must agree with
// what Chromium did, except the ones in notSimulated, which must disagree.
func TestChromiumRecording(t *testing.T) {
	t.Parallel() // replays share no state but the loopback network
	if testing.Short() {
		t.Skip("replays the whole corpus")
	}
	replay(t, "chromium")
}

// TestFirefoxRecording replays the Firefox recording under the Firefox
// profile.
func TestFirefoxRecording(t *testing.T) {
	t.Parallel() // replays share no state but the loopback network
	if testing.Short() {
		t.Skip("replays the whole corpus")
	}
	replay(t, "firefox")
}

// TestWebKitRecording replays the WebKit recording under the Safari
// profile.
func TestWebKitRecording(t *testing.T) {
	t.Parallel() // replays share no state but the loopback network
	if testing.Short() {
		t.Skip("replays the whole corpus")
	}
	replay(t, "webkit")
}

func replay(t *testing.T, engine string) {
	replayWith(t, engine, conformance.TransportSessions(nil), nil)
}

// TestDirectPathRecordings replays the three recordings through browsers
// without an HTTP cache, whose pages send their requests on the direct
// path where it applies (fetch/direct.go; the pages of a browser with one
// take the general path): every scenario but those that need the HTTP
// cache must still agree with its engine.
func TestDirectPathRecordings(t *testing.T) {
	t.Parallel() // replays share no state but the loopback network
	if testing.Short() {
		t.Skip("replays the whole corpus")
	}
	sessions := conformance.SessionsWith(nil, func(_ string, b *fetch.Browser) { b.NoHTTPCache = true })
	needsHTTPCache := regexp.MustCompile(`httpcache|http-cache|lna-cached`)
	for _, engine := range []string{"chromium", "firefox", "webkit"} {
		t.Run(engine, func(t *testing.T) {
			replayWith(t, engine, sessions, func(id string) bool { return needsHTTPCache.MatchString(id) })
		})
	}
}

// replayWith replays the recording of engine through sessions and checks
// every scenario but the ones skip leaves out (nil: none).
func replayWith(t *testing.T, engine string, sessions conformance.NewSession, skip func(id string) bool) {
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
	for _, res := range rep.Results {
		if skip != nil && skip(res.ID) {
			continue
		}
		why, skipped := notSimulated[engine][res.ID]
		switch {
		case skipped && len(res.Differences) == 0:
			t.Errorf("%s agrees with %s now; remove it from notSimulated (%s)", res.ID, engine, why)
		case skipped:
			t.Logf("%s: not simulated: %s", res.ID, why)
		default:
			for _, d := range res.Differences {
				t.Error(d)
			}
		}
	}
	t.Log("\n" + rep.Summary())
}

// TestFirefoxLNABlockingOff replays a recording of the lna-* scenarios in
// Firefox ESR 153 with network.lna.blocking set to false
// (testdata/firefox-lna-blocking-false.json, recorded with
// "go run ./conformance/cmd/record -engine firefox -run '^lna-'
// -firefox-pref network.lna.blocking=false -dump FILE"): Firefox then
// sends every local network request as WebKitGTK does, which the Firefox
// profile with LocalNetwork.Off must show.
func TestFirefoxLNABlockingOff(t *testing.T) {
	scenarios, err := corpus.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := conformance.ReadRecording("testdata/firefox-lna-blocking-false.json")
	if err != nil {
		t.Fatal(err)
	}
	profile := fetch.Firefox
	profile.LocalNetwork.Off = true
	recorded := map[string]bool{}
	for _, s := range rec.Scenarios {
		recorded[s.ID] = true
	}
	rep, err := conformance.Replay(t.Context(), scenarios, rec, conformance.ProfileSessions(nil, profile), conformance.ReplayOptions{
		Filter: func(s *conformance.Scenario) bool { return recorded[s.ID] },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) == 0 || len(rep.Results) != len(rec.Scenarios) {
		t.Fatalf("replayed %d scenarios of the %d recorded", len(rep.Results), len(rec.Scenarios))
	}
	for _, d := range rep.Differences() {
		t.Error(d)
	}
	// The recording must show blocking off: the default profile disagrees.
	rep, err = conformance.Replay(t.Context(), scenarios, rec, conformance.TransportSessions(nil), conformance.ReplayOptions{
		Filter: func(s *conformance.Scenario) bool { return recorded[s.ID] },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Differences()) == 0 {
		t.Error("the Firefox profile with blocking on agrees with the recording made with blocking off")
	}
}
