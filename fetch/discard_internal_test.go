package fetch

import (
	"io"
	"sync"
	"testing"
	"time"
)

// stuckBody is a body whose Read blocks until it is closed, as a net/http
// body of a server that stopped sending does; it counts its Close calls.
type stuckBody struct {
	mu     sync.Mutex
	closes int
	closed chan struct{}
}

func (b *stuckBody) Read([]byte) (int, error) {
	<-b.closed
	return 0, io.ErrUnexpectedEOF
}

func (b *stuckBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closes++
	if b.closes == 1 {
		close(b.closed)
	}
	return nil
}

// TestDiscardClosesOnce checks that discard gives up on a body that stops
// after drainTimeout and closes it exactly once on both of its paths: a
// second Close of an HTTP/2 response body would hand its unread bytes back
// to the connection's flow-control window a second time.
func TestDiscardClosesOnce(t *testing.T) {
	for _, closeUnblocks := range []bool{true, false} {
		b := &stuckBody{closed: make(chan struct{})}
		start := time.Now()
		discard(b, closeUnblocks)
		if d := time.Since(start); d < drainTimeout || d > 50*drainTimeout {
			t.Errorf("closeUnblocks=%v: discard returned after %v; want about %v", closeUnblocks, d, drainTimeout)
		}
		time.Sleep(10 * time.Millisecond) // a late second Close would land here
		b.mu.Lock()
		if b.closes != 1 {
			t.Errorf("closeUnblocks=%v: body closed %d times; want once", closeUnblocks, b.closes)
		}
		b.mu.Unlock()
	}
}
