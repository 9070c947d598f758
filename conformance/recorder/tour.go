package recorder

import (
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
)

// The tour runs the paged scenarios (conformance.Scenario.Paged) after the
// batch, one page load at a time, driven by the server: the batch page asks
// where to go next (nextPath) and navigates the tab there; each page of the
// tour is the runner page on its origin with the load in its query
// (?scenario=<id>&load=<n>), asks for the load's calls (loadPath), makes
// them and posts their outcomes (loadedPath), whose answer is the URL of the
// next load, or "" at the end. The server hands out one load at a time and
// refuses a page that asks for any other, so the loads of one scenario
// never interleave with another's, and a load that does not arrive, or
// whose outcomes do not, within the step timeout ends the run.

// tourLoad is one page load of the tour.
type tourLoad struct {
	id    string // the scenario
	index int    // the load's index in its scenario
	count int    // the scenario's loads
	page  string // the origin's name
	url   string // the runner page of the load
	calls []pageCall
	delay time.Duration // the calls' delays, added to the step timeout
}

// tour hands out the loads of the paged scenarios in order.
type tour struct {
	origins     conformance.Origins
	loads       []tourLoad
	stepTimeout time.Duration
	fail        func(error)

	mu       sync.Mutex
	started  bool
	next     int             // index in loads of the load expected next
	running  bool            // the page of loads[next] has its calls
	warmed   map[string]bool // origins whose page warmed up (A: the batch page)
	awaiting map[string]bool // warm-up targets the running page has yet to report
	outcomes map[string][]conformance.Outcome
	gen      int // counts armed watchdogs; a watchdog fires only if still current
	timer    *time.Timer
}

// newTour returns the tour of the paged scenarios among scenarios on a
// server with origins o.
func newTour(o conformance.Origins, scenarios []conformance.Scenario, stepTimeout time.Duration, fail func(error)) *tour {
	t := &tour{
		origins:     o,
		stepTimeout: stepTimeout,
		fail:        fail,
		warmed:      map[string]bool{"A": true},
		outcomes:    map[string][]conformance.Outcome{},
	}
	for _, s := range scenarios {
		if !s.Paged() {
			continue
		}
		loads := s.Loads()
		for i, l := range loads {
			tl := tourLoad{id: s.ID, index: i, count: len(loads), page: l.Page}
			tl.url = fmt.Sprintf("%s%s?scenario=%s&load=%d", o[l.Page], pagePath, url.QueryEscape(s.ID), i)
			for _, c := range s.Calls[l.Start:l.End] {
				tl.calls = append(tl.calls, resolvePageCall(o, s.ID, c))
				tl.delay += time.Duration(c.DelayMS) * time.Millisecond
			}
			t.loads = append(t.loads, tl)
		}
	}
	return t
}

// awaitStart arms the watchdog for the first page, which has posted the
// outcomes of the whole batch and must now ask where to go next: for the
// paged scenarios, or, when the tour is empty, to end the run. It does
// nothing when the tour has started.
func (t *tour) awaitStart() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.started {
		return
	}
	if len(t.loads) == 0 {
		t.arm(t.stepTimeout, fmt.Errorf("recorder: the first page did not ask where to go next within %s of posting the batch's last outcomes", t.stepTimeout))
		return
	}
	t.arm(t.stepTimeout, fmt.Errorf("recorder: the first page did not ask for the paged scenarios within %s of posting the batch's last outcomes", t.stepTimeout))
}

// start begins the tour and returns the URL of its first load, or "" when
// it has none.
func (t *tour) start() (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.started {
		return "", t.failed(fmt.Errorf("recorder: the batch page asked twice where to go next"))
	}
	t.started = true
	return t.goNext(), nil
}

// goNext returns the URL of loads[next] and arms the navigation watchdog,
// or returns "" when the tour is over. t.mu is held.
func (t *tour) goNext() string {
	if t.next >= len(t.loads) {
		t.disarm()
		return ""
	}
	l := t.loads[t.next]
	t.arm(t.stepTimeout, fmt.Errorf("recorder: scenario %s, page load %d of %d: the tab did not load %s within %s of being sent there",
		l.id, l.index+1, l.count, l.url, t.stepTimeout))
	return l.url
}

// load returns the calls of the load of scenario id with the given index,
// asked for by a page at origin page, and the warm-up targets the page
// visits first when it is the first page at that origin.
func (t *tour) load(page, id string, index int) (warm []warmTarget, calls []pageCall, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.expect(page, id, index, false); err != nil {
		return nil, nil, err
	}
	l := t.loads[t.next]
	t.running = true
	t.awaiting = map[string]bool{}
	if !t.warmed[page] {
		t.warmed[page] = true
		warm = warmTargets(t.origins, page)
		for _, w := range warm {
			t.awaiting[w.Name] = true
		}
	}
	t.arm(t.stepTimeout+l.delay, fmt.Errorf("recorder: scenario %s, page load %d of %d (page %s): no outcomes within %s",
		l.id, l.index+1, l.count, l.page, t.stepTimeout+l.delay))
	return warm, l.calls, nil
}

// warmedUp notes that the running page reported its warm-up of target.
func (t *tour) warmedUp(target string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.awaiting, target)
}

// loaded takes the outcomes of the running load and returns the URL of the
// next load ("" at the end of the tour) and, when the load was its
// scenario's last, the outcomes of the whole scenario.
func (t *tour) loaded(page, id string, index int, outs []conformance.Outcome) (next string, done []conformance.Outcome, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.expect(page, id, index, true); err != nil {
		return "", nil, err
	}
	l := t.loads[t.next]
	if len(outs) != len(l.calls) {
		return "", nil, t.failed(fmt.Errorf("recorder: scenario %s, page load %d of %d: page reported %d outcomes for %d calls", id, index+1, l.count, len(outs), len(l.calls)))
	}
	if len(t.awaiting) > 0 {
		return "", nil, t.failed(fmt.Errorf("recorder: scenario %s, page load %d of %d: the page at %s reported no warm-up for %s", id, index+1, l.count, page, sortedKeys(t.awaiting)))
	}
	t.outcomes[id] = append(t.outcomes[id], outs...)
	if index == l.count-1 {
		done = t.outcomes[id]
	}
	t.running = false
	t.next++
	return t.goNext(), done, nil
}

// expect checks that the page at origin page, asking about load index of
// scenario id, is the one the tour waits for: before its calls (running
// false) or with their outcomes (running true). Any other request fails
// the run. t.mu is held.
func (t *tour) expect(page, id string, index int, running bool) error {
	what := "asked for the calls of"
	if running {
		what = "posted the outcomes of"
	}
	if !t.started || t.next >= len(t.loads) {
		return t.failed(fmt.Errorf("recorder: a page at %s %s scenario %s, page load %d, outside the tour", page, what, id, index+1))
	}
	l := t.loads[t.next]
	if l.id != id || l.index != index || l.page != page || t.running != running {
		return t.failed(fmt.Errorf("recorder: page loads out of order: a page at %s %s scenario %s, page load %d, while the tour is at scenario %s, page load %d of %d at %s",
			page, what, id, index+1, l.id, l.index+1, l.count, l.page))
	}
	return nil
}

// failed ends the run with err and returns it.
func (t *tour) failed(err error) error {
	t.disarm()
	t.fail(err)
	return err
}

// arm (re)starts the watchdog: unless disarmed or re-armed within d, it
// ends the run with err. t.mu is held.
func (t *tour) arm(d time.Duration, err error) {
	t.disarm()
	gen := t.gen
	t.timer = time.AfterFunc(d, func() {
		t.mu.Lock()
		current := t.gen == gen
		t.mu.Unlock()
		if current {
			t.fail(err)
		}
	})
}

// disarm stops the watchdog. t.mu is held.
func (t *tour) disarm() {
	t.gen++
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
}

// stop stops the watchdog for good.
func (t *tour) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.disarm()
}

// parseLoad reads the scenario and load index of a tour request's query.
func parseLoad(q url.Values) (id string, index int, err error) {
	id = q.Get("scenario")
	index, err = strconv.Atoi(q.Get("load"))
	if id == "" || err != nil || index < 0 {
		return "", 0, fmt.Errorf("recorder: want ?scenario=<id>&load=<n>, got %q", q.Encode())
	}
	return id, index, nil
}
