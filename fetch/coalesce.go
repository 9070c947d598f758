package fetch

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// flight is one preflight in progress that other requests wait for.
type flight struct {
	done chan struct{}
	err  *Error
}

// flights tracks the preflights in progress of a Transport with
// CoalescePreflights set.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

// flightKey identifies preflights that are interchangeable: same request
// origin, URL, credentials mode, method, CORS-unsafe header names, cache
// mode bypass and the cache mode whose header fields the preflight carries,
// so the same request goes out and the same result is stored.
func (f *fetchState) flightKey(u *url.URL, unsafeNames []string) string {
	var b strings.Builder
	b.WriteString(f.serializedOrigin())
	b.WriteByte(0)
	b.WriteString(u.String())
	b.WriteByte(0)
	b.WriteString(f.method)
	b.WriteByte(0)
	b.WriteString(strings.Join(unsafeNames, ","))
	b.WriteByte(0)
	b.WriteString(strconv.FormatBool(f.include()))
	b.WriteString(strconv.FormatBool(f.bypassesCache()))
	if f.bypassesCache() || f.p.Preflight.CacheHeaders.Has(f.opts.Cache) {
		// The preflight carries the cache mode's own header fields.
		b.WriteString(f.opts.Cache.String())
	}
	b.WriteString(f.preflightOrigin())
	return b.String()
}

// coalescedPreflight runs the preflight for the request to u, or waits for
// an identical one already in flight and shares its result. A shared
// preflight that failed only because its own request's context ended is not
// shared: the waiting request sends its own.
func (f *fetchState) coalescedPreflight(u *url.URL, unsafeNames []string, send func() *Error) (err *Error, shared bool) {
	fl := &f.t.flights
	key := f.flightKey(u, unsafeNames)
	fl.mu.Lock()
	if fl.m == nil {
		fl.m = make(map[string]*flight)
	}
	if w, ok := fl.m[key]; ok {
		fl.mu.Unlock()
		select {
		case <-w.done:
		case <-f.ctx.Done():
			e := f.fail(ReasonNetwork, "")
			e.Preflight, e.Err = true, f.ctx.Err()
			return e, true
		}
		if w.err != nil && w.err.Reason == ReasonNetwork &&
			(errors.Is(w.err.Err, context.Canceled) || errors.Is(w.err.Err, context.DeadlineExceeded)) {
			return send(), false
		}
		if w.err != nil {
			e := f.fail(w.err.Reason, w.err.Value)
			e.Preflight, e.Err = true, w.err.Err
			return e, true
		}
		return nil, true
	}
	w := &flight{done: make(chan struct{})}
	fl.m[key] = w
	fl.mu.Unlock()
	w.err = send()
	fl.mu.Lock()
	delete(fl.m, key)
	fl.mu.Unlock()
	close(w.done)
	return w.err, false
}
