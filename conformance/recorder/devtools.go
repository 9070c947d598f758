//go:build unix

package recorder

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// devTools speaks the Chrome DevTools Protocol over the pipe that Chromium
// opens with --remote-debugging-pipe: the browser reads commands from its
// file descriptor 3 and writes answers and events to its descriptor 4, each
// message a JSON object followed by a NUL byte. The recorder needs it only to
// grant permissions and to load the first page after that, and to pass on
// console messages.
type devTools struct {
	w       *os.File // the browser's fd 3
	r       *os.File // the browser's fd 4
	console io.Writer

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan devToolsAnswer
	readErr error
}

// devToolsAnswer is the answer to one command.
type devToolsAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// devToolsPipes returns the two pipes of --remote-debugging-pipe: the ends
// the browser gets as its fds 3 and 4 (ExtraFiles, in that order), and the
// devTools on our ends. The caller closes the browser's ends once it started
// (or failed to).
func devToolsPipes(console io.Writer) (child []*os.File, d *devTools, err error) {
	cmdR, cmdW, err := os.Pipe() // commands: we write, the browser reads
	if err != nil {
		return nil, nil, err
	}
	evR, evW, err := os.Pipe() // answers and events: the browser writes, we read
	if err != nil {
		cmdR.Close()
		cmdW.Close()
		return nil, nil, err
	}
	d = &devTools{w: cmdW, r: evR, console: console, waiting: map[int]chan devToolsAnswer{}}
	go d.read()
	return []*os.File{cmdR, evW}, d, nil
}

// read dispatches the browser's messages until the pipe closes: answers to
// the command waiting for them, console messages to the console writer.
func (d *devTools) read() {
	br := bufio.NewReaderSize(d.r, 1<<16)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			d.mu.Lock()
			d.readErr = err
			for id, ch := range d.waiting {
				close(ch)
				delete(d.waiting, id)
			}
			d.mu.Unlock()
			return
		}
		msg = bytes.TrimSuffix(msg, []byte{0})
		var m struct {
			ID     int             `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
			devToolsAnswer
		}
		if json.Unmarshal(msg, &m) != nil {
			continue
		}
		if m.ID != 0 {
			d.mu.Lock()
			ch := d.waiting[m.ID]
			delete(d.waiting, m.ID)
			d.mu.Unlock()
			if ch != nil {
				ch <- m.devToolsAnswer
			}
			continue
		}
		d.event(m.Method, m.Params)
	}
}

// event passes a console message on.
func (d *devTools) event(method string, params json.RawMessage) {
	if d.console == nil || method != "Log.entryAdded" {
		return
	}
	var p struct {
		Entry struct {
			Source string `json:"source"`
			Level  string `json:"level"`
			Text   string `json:"text"`
			URL    string `json:"url"`
		} `json:"entry"`
	}
	if json.Unmarshal(params, &p) != nil {
		return
	}
	e := p.Entry
	fmt.Fprintf(d.console, "%s %s: %s\n", e.Level, e.Source, e.Text)
}

// call sends a command (to the browser, or to the attached target of
// session when it is not empty) and waits for its answer.
func (d *devTools) call(ctx context.Context, session, method string, params any) (json.RawMessage, error) {
	d.mu.Lock()
	if d.readErr != nil {
		err := d.readErr
		d.mu.Unlock()
		return nil, fmt.Errorf("devtools %s: pipe closed: %w", method, err)
	}
	d.nextID++
	id := d.nextID
	ch := make(chan devToolsAnswer, 1)
	d.waiting[id] = ch
	d.mu.Unlock()
	m := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		m["sessionId"] = session
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if _, err := d.w.Write(append(b, 0)); err != nil {
		return nil, fmt.Errorf("devtools %s: %w", method, err)
	}
	select {
	case a, ok := <-ch:
		switch {
		case !ok:
			return nil, fmt.Errorf("devtools %s: the browser closed the pipe", method)
		case a.Error != nil:
			return nil, fmt.Errorf("devtools %s: %s (%d)", method, a.Error.Message, a.Error.Code)
		}
		return a.Result, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("devtools %s: %w", method, ctx.Err())
	}
}

// navigate attaches to the browser's first page and loads url there; with
// a console writer it also enables the page's Log domain first, so that
// console messages (a blocked request's among them) come as events.
func (d *devTools) navigate(ctx context.Context, url string) error {
	res, err := d.call(ctx, "", "Target.getTargets", map[string]any{})
	if err != nil {
		return err
	}
	var targets struct {
		TargetInfos []struct {
			TargetID string `json:"targetId"`
			Type     string `json:"type"`
		} `json:"targetInfos"`
	}
	if err := json.Unmarshal(res, &targets); err != nil {
		return err
	}
	target := ""
	for _, t := range targets.TargetInfos {
		if t.Type == "page" {
			target = t.TargetID
			break
		}
	}
	if target == "" {
		return errors.New("devtools: the browser has no page")
	}
	res, err = d.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target, "flatten": true})
	if err != nil {
		return err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := json.Unmarshal(res, &attached); err != nil {
		return err
	}
	if d.console != nil {
		if _, err := d.call(ctx, attached.SessionID, "Log.enable", map[string]any{}); err != nil {
			return err
		}
	}
	_, err = d.call(ctx, attached.SessionID, "Page.navigate", map[string]any{"url": url})
	return err
}

// Close closes our ends of the pipes; the reader stops once the browser's
// ends are closed too (the browser exited).
func (d *devTools) Close() error {
	return errors.Join(d.w.Close(), d.r.Close())
}
