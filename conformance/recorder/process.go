//go:build unix

package recorder

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// groupProcess is a process that runs in a process group of its own, so
// that stopping it also reaches every process it forks.
type groupProcess struct {
	cmd *exec.Cmd
	// grace, when positive, makes stop send SIGTERM first and wait this long
	// for the process to exit before SIGKILL (for a process that cleans up
	// after itself, such as an X server removing its lock file).
	grace   time.Duration
	exited  chan struct{}
	waitErr error
}

// start starts p in a new process group; whatever it prints goes to out
// unless its command already has somewhere to write.
func (p *groupProcess) start(out io.Writer) error {
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if p.cmd.Stdout == nil {
		p.cmd.Stdout = out
	}
	if p.cmd.Stderr == nil {
		p.cmd.Stderr = out
	}
	// Children that outlive the main process keep the output pipe open;
	// do not let them hold up Wait.
	p.cmd.WaitDelay = 2 * time.Second
	p.exited = make(chan struct{})
	if err := p.cmd.Start(); err != nil {
		return err
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	return nil
}

// stop kills p's process group and waits for p.
func (p *groupProcess) stop() error {
	// The group id is the pid of the process we started.
	pgid := p.cmd.Process.Pid
	if p.grace > 0 {
		if err := syscall.Kill(-pgid, syscall.SIGTERM); err == nil {
			select {
			case <-p.exited:
			case <-time.After(p.grace):
			}
		}
	}
	err := syscall.Kill(-pgid, syscall.SIGKILL)
	<-p.exited
	if err != nil && err != syscall.ESRCH {
		return err
	}
	return nil
}

// processSession is a browser started by Open: the browser's process group,
// the process groups of any helpers it needs (an X server), and the profile
// directory.
type processSession struct {
	dir     string
	browser *groupProcess
	helpers []*groupProcess // started before the browser, stopped after it
	closers []io.Closer     // closed after the processes stopped (pipes to the browser)

	mu     sync.Mutex
	output bytes.Buffer // what the processes printed, for diagnostics

	once    sync.Once
	stopErr error
}

func newProcessSession(dir string) *processSession {
	return &processSession{dir: dir}
}

// Write collects the output of the session's processes.
func (s *processSession) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.output.Write(p)
}

// startHelper starts a helper process of the session.
func (s *processSession) startHelper(p *groupProcess) error {
	if err := p.start(s); err != nil {
		return err
	}
	s.helpers = append(s.helpers, p)
	return nil
}

// startBrowser starts the browser process of the session.
func (s *processSession) startBrowser(p *groupProcess) error {
	if err := p.start(s); err != nil {
		return err
	}
	s.browser = p
	return nil
}

func (s *processSession) Exited() <-chan struct{} { return s.browser.exited }

// Stop kills the browser's process group, then the helpers', waits for them
// and removes the profile directory.
func (s *processSession) Stop() error {
	s.once.Do(func() {
		procs := s.helpers
		if s.browser != nil {
			procs = append([]*groupProcess{s.browser}, procs...)
		}
		for _, p := range procs {
			if err := p.stop(); err != nil && s.stopErr == nil {
				s.stopErr = err
			}
		}
		for _, c := range s.closers {
			c.Close()
		}
		if rerr := os.RemoveAll(s.dir); rerr != nil && s.stopErr == nil {
			s.stopErr = rerr
		}
	})
	return s.stopErr
}

// outputString returns what the session's processes printed so far.
func (s *processSession) outputString() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.output.String()
}

// versionLine returns the first line of a browser's --version output that
// starts with one of prefixes, trimmed.
func versionLine(out []byte, prefixes ...string) (string, error) {
	for _, line := range strings.Split(string(out), "\n") {
		for _, p := range prefixes {
			if strings.HasPrefix(line, p) {
				return strings.TrimSpace(line), nil
			}
		}
	}
	return "", fmt.Errorf("no version line in %q", out)
}
