package fetch_test

import (
	"testing"

	"github.com/corsfetch/corsfetch/conformance"
)

// TestChromiumRecording replays the Chromium recording
// (conformance/testdata/chromium.json) through a Transport with the Chrome
// profile: every scenario must agree with what Chromium did.
func TestChromiumRecording(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the whole corpus")
	}
	conformance.ReplayTest(t, "chromium", conformance.TransportClients(nil))
}
