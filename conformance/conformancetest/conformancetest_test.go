package conformancetest_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/corsfetch/corsfetch/conformance/conformancetest"
)

// countingTB is a testing.TB that counts the errors reported to it instead
// of failing the test, and keeps the log.
type countingTB struct {
	testing.TB
	mu     sync.Mutex
	errors int
	log    strings.Builder
}

func (c *countingTB) Error(args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors++
}

func (c *countingTB) Log(args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(&c.log, args...)
}

// rejecting is a client whose every fetch() rejects.
type rejecting struct{}

func (rejecting) Fetch(context.Context, conformance.Call) conformance.Outcome {
	return conformance.Outcome{TypeError: true, Error: "rejected"}
}

// rejectingSession is a session whose every page is rejecting.
type rejectingSession struct{}

func (rejectingSession) Page(string) conformance.Client { return rejecting{} }

// TestReplay checks that Replay reports each difference of the report once
// and logs the summary, with a client that rejects every call.
func TestReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the whole corpus, delays included")
	}
	t.Parallel()
	tb := &countingTB{TB: t}
	var (
		mu      sync.Mutex
		engines = map[string]int{}
	)
	rep := conformancetest.Replay(tb, "chromium", conformance.NewSession(func(engine string) conformance.Session {
		mu.Lock()
		defer mu.Unlock()
		engines[engine]++
		return rejectingSession{}
	}))
	if n := len(rep.Differences()); n == 0 || tb.errors != n {
		t.Errorf("%d errors reported for %d differences; want one per difference, and some", tb.errors, n)
	}
	if !strings.Contains(tb.log.String(), "agree with chromium") {
		t.Errorf("log = %q; want the summary", tb.log.String())
	}
	if len(engines) != 1 || engines["chromium"] != len(rep.Results) || len(rep.Results) < 200 {
		t.Errorf("sessions opened per engine: %v for %d scenarios; want one per scenario of the corpus, for chromium", engines, len(rep.Results))
	}
}
