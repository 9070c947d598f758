//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"time"
)

// ticker calls measure every period until stop, and once more on stop, so
// that the last moment of a run is sampled too.
type ticker struct {
	stopc chan struct{}
	done  chan struct{}
}

func startTicker(period time.Duration, measure func()) *ticker {
	t := &ticker{stopc: make(chan struct{}), done: make(chan struct{})}
	measure()
	go func() {
		defer close(t.done)
		tk := time.NewTicker(period)
		defer tk.Stop()
		for {
			select {
			case <-tk.C:
				measure()
			case <-t.stopc:
				measure()
				return
			}
		}
	}()
	return t
}

func (t *ticker) stop() {
	close(t.stopc)
	<-t.done
}

// statFields returns the parent pid and the process group id from the
// contents of /proc/<pid>/stat: "pid (comm) state ppid pgrp ...". The
// command name may contain spaces and parentheses, so the fields are
// counted from the last ')'.
func statFields(stat []byte) (ppid, pgrp int, err error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, 0, errors.New("no ')' in stat")
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 3 {
		return 0, 0, errors.New("short stat")
	}
	if ppid, err = strconv.Atoi(string(f[1])); err != nil {
		return 0, 0, err
	}
	if pgrp, err = strconv.Atoi(string(f[2])); err != nil {
		return 0, 0, err
	}
	return ppid, pgrp, nil
}

// statusKB returns the value in bytes of a "Name:  1234 kB" line of
// /proc/<pid>/status, e.g. field "VmRSS".
func statusKB(status []byte, field string) (int64, bool) {
	for line := range bytes.Lines(status) {
		rest, ok := bytes.CutPrefix(line, []byte(field+":"))
		if !ok {
			continue
		}
		num, ok := bytes.CutSuffix(bytes.TrimSpace(rest), []byte(" kB"))
		if !ok {
			return 0, false
		}
		kb, err := strconv.ParseInt(string(bytes.TrimSpace(num)), 10, 64)
		if err != nil {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}

// processes calls f with the pid, parent pid and process group of every
// process in /proc. A process that ends while it is being read is skipped.
func processes(f func(pid, ppid, pgrp int)) error {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return err
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		ppid, pgrp, err := statFields(stat)
		if err != nil {
			continue
		}
		f(pid, ppid, pgrp)
	}
	return nil
}

// childGroups returns the process groups led by children of this process:
// the browser the recorder started in a group of its own (the command
// starts nothing else while a browser runs).
func childGroups() ([]int, error) {
	self := os.Getpid()
	var groups []int
	err := processes(func(pid, ppid, pgrp int) {
		if ppid == self && pgrp == pid {
			groups = append(groups, pid)
		}
	})
	if err == nil && len(groups) == 0 {
		err = errors.New("no child process leads a process group: cannot find the browser's processes")
	}
	return groups, err
}

// groupMembers returns the processes of the process groups groups.
func groupMembers(groups []int) ([]int, error) {
	var pids []int
	err := processes(func(pid, _, pgrp int) {
		if slices.Contains(groups, pgrp) {
			pids = append(pids, pid)
		}
	})
	return pids, err
}

// processMemory returns the VmRSS of process pid and, with pss, its Pss
// (/proc/<pid>/smaps_rollup: each shared page divided among the processes
// that map it, which costs the kernel a walk of every mapping: about 2.5 ms
// for one of Chromium's processes). ok is false when the process is gone.
func processMemory(pid int, pss bool) (rss, pssv int64, ok bool) {
	dir := "/proc/" + strconv.Itoa(pid)
	status, err := os.ReadFile(dir + "/status")
	if err != nil {
		return 0, 0, false
	}
	if rss, ok = statusKB(status, "VmRSS"); !ok {
		return 0, 0, false
	}
	if pss {
		rollup, err := os.ReadFile(dir + "/smaps_rollup")
		if err != nil {
			return 0, 0, false
		}
		if pssv, ok = statusKB(rollup, "Pss"); !ok {
			return 0, 0, false
		}
	}
	return rss, pssv, true
}

// Sampling a process group: the summed VmRSS of its processes every tick;
// the list of processes is refreshed from /proc every rescanTicks ticks
// (reading every process's stat costs about 1 ms); the summed Pss every
// pssTicks ticks, as it costs a core about 20 ms for a browser.
const (
	rescanTicks = 5
	pssTicks    = 25
)

// groupPeak samples the memory of process groups until stopped.
type groupPeak struct {
	mu      sync.Mutex
	rss     int64 // largest summed VmRSS
	pss     int64 // largest summed Pss
	procs   int   // most processes seen at once
	samples int
	t       *ticker
}

func startGroupPeak(groups []int, period time.Duration) *groupPeak {
	g := &groupPeak{}
	var members []int
	tick := 0
	g.t = startTicker(period, func() {
		if tick%rescanTicks == 0 {
			if m, err := groupMembers(groups); err == nil {
				members = m
			}
		}
		withPSS := tick%pssTicks == 0
		tick++
		var rss, pss int64
		n := 0
		for _, pid := range members {
			r, p, ok := processMemory(pid, withPSS)
			if ok {
				rss, pss, n = rss+r, pss+p, n+1
			}
		}
		g.mu.Lock()
		g.rss, g.procs, g.samples = max(g.rss, rss), max(g.procs, n), g.samples+1
		if withPSS {
			g.pss = max(g.pss, pss)
		}
		g.mu.Unlock()
	})
	return g
}

// stop returns the peaks: summed VmRSS, summed Pss, processes at once.
func (g *groupPeak) stop() (rss, pss int64, procs, samples int) {
	g.t.stop()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rss, g.pss, g.procs, g.samples
}

// selfMemory reads this process's resident set size and the Go heap, with
// buffers allocated once, so that sampling adds nothing to what it measures.
type selfMemory struct {
	status  *os.File
	buf     []byte
	samples []metrics.Sample
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func openSelfMemory() (*selfMemory, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return nil, err
	}
	return &selfMemory{status: f, buf: make([]byte, 16<<10), samples: []metrics.Sample{{Name: heapObjects}}}, nil
}

func (m *selfMemory) close() error { return m.status.Close() }

// read returns VmRSS and VmHWM (the peak RSS since the last resetPeak) from
// /proc/self/status, and the bytes of live and not yet swept heap objects.
func (m *selfMemory) read() (rss, hwm, heap int64, err error) {
	// procfs regenerates the file for every read from offset 0.
	n, err := m.status.ReadAt(m.buf, 0)
	if n == 0 && err != nil {
		return 0, 0, 0, err
	}
	var ok1, ok2 bool
	rss, ok1 = statusKB(m.buf[:n], "VmRSS")
	hwm, ok2 = statusKB(m.buf[:n], "VmHWM")
	if !ok1 || !ok2 {
		return 0, 0, 0, fmt.Errorf("no VmRSS or VmHWM in /proc/self/status")
	}
	metrics.Read(m.samples)
	if m.samples[0].Value.Kind() == metrics.KindUint64 {
		heap = int64(m.samples[0].Value.Uint64())
	}
	return rss, hwm, heap, nil
}

// resetPeak resets VmHWM to the current RSS (proc(5), clear_refs "5"); it
// reports whether the kernel allowed it.
func resetPeak() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// selfPeak samples this process's memory until stopped.
type selfPeak struct {
	m              *selfMemory
	mu             sync.Mutex
	rss, heap, hwm int64
	n              int
	hwmValid       bool
	t              *ticker
}

func startSelfPeak(m *selfMemory, period time.Duration) *selfPeak {
	s := &selfPeak{m: m, hwmValid: resetPeak()}
	s.t = startTicker(period, func() {
		rss, hwm, heap, err := m.read()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.rss, s.hwm, s.heap = max(s.rss, rss), max(s.hwm, hwm), max(s.heap, heap)
		s.n++
		s.mu.Unlock()
	})
	return s
}

// stop returns the peak RSS (VmHWM when it could be reset, which also
// catches peaks between samples; else the largest sample) and the largest
// sampled Go heap.
func (s *selfPeak) stop() (rss, heap int64, samples int) {
	s.t.stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	rss = s.rss
	if s.hwmValid {
		rss = max(rss, s.hwm)
	}
	return rss, s.heap, s.n
}
