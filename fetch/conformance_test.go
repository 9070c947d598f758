package fetch_test

import (
	"testing"

	"github.com/corsfetch/corsfetch/conformance"
)

// notSimulated lists, per engine, the scenarios of its recording that show
// browser behaviour outside what a Transport simulates, with the reason.
// Each must still disagree when replayed, so that the list never hides a
// scenario the Transport could pass.
var notSimulated = map[string]map[string]string{
	"chromium": {},
	"firefox":  {},
	"webkit":   {},
}

// TestChromiumRecording replays the Chromium recording
// (conformance/testdata/chromium.json) through Transports with the Chrome
// profile: every scenario must agree with what Chromium did, except the
// ones in notSimulated, which must disagree.
func TestChromiumRecording(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the whole corpus")
	}
	replay(t, "chromium")
}

// TestFirefoxRecording replays the Firefox recording under the Firefox
// profile.
func TestFirefoxRecording(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the whole corpus")
	}
	replay(t, "firefox")
}

// TestWebKitRecording replays the WebKit recording under the Safari
// profile.
func TestWebKitRecording(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the whole corpus")
	}
	replay(t, "webkit")
}

func replay(t *testing.T, engine string) {
	scenarios, err := conformance.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := conformance.StoredRecording(engine)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := conformance.Replay(t.Context(), scenarios, rec, conformance.TransportClients(nil), conformance.ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range rep.Results {
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
