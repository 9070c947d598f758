//go:build linux

package main

import (
	"io"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStatFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stat       string
		ppid, pgrp int
		wantErr    bool
	}{
		{stat: "123 (chromium) S 100 123 123 0 -1 4194560", ppid: 100, pgrp: 123},
		{stat: "7 (a (b) c) R 1 7 7", ppid: 1, pgrp: 7},
		{stat: "7 (x) S", wantErr: true},
		{stat: "7 x S 1 7", wantErr: true},
	}
	for _, tt := range tests {
		ppid, pgrp, err := statFields([]byte(tt.stat))
		if (err != nil) != tt.wantErr || ppid != tt.ppid || pgrp != tt.pgrp {
			t.Errorf("statFields(%q) = %d, %d, %v; want %d, %d, error %v", tt.stat, ppid, pgrp, err, tt.ppid, tt.pgrp, tt.wantErr)
		}
	}
}

func TestStatusKB(t *testing.T) {
	t.Parallel()
	status := "Name:\tcompare\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t5\n"
	if v, ok := statusKB([]byte(status), "VmRSS"); !ok || v != 10240<<10 {
		t.Errorf("VmRSS = %d, %v; want %d", v, ok, 10240<<10)
	}
	if v, ok := statusKB([]byte(status), "VmHWM"); !ok || v != 20480<<10 {
		t.Errorf("VmHWM = %d, %v; want %d", v, ok, 20480<<10)
	}
	if _, ok := statusKB([]byte(status), "Threads"); ok {
		t.Error("Threads has no kB unit but was read")
	}
	if _, ok := statusKB([]byte(status), "VmSwap"); ok {
		t.Error("VmSwap is absent but was read")
	}
}

func TestMedian(t *testing.T) {
	t.Parallel()
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median(3, 1, 2) = %v; want 2", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median(4, 1, 2, 3) = %v; want 2.5", m)
	}
}

// TestSelfPeak checks that memory touched during a sampled run shows in the
// peak above the baseline. It does not run in parallel: it measures the
// whole process.
func TestSelfPeak(t *testing.T) {
	m, err := openSelfMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	// Pages an earlier test (or an earlier -count run of this one) freed
	// would otherwise stay in the baseline and be reused by the allocation
	// below without raising the RSS.
	debug.FreeOSMemory()
	base, _, _, err := m.read()
	if err != nil {
		t.Fatal(err)
	}
	p := startSelfPeak(m, time.Millisecond)
	const size = 64 << 20
	b := make([]byte, size)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	time.Sleep(10 * time.Millisecond)
	runtime.KeepAlive(b)
	rss, heap, n := p.stop()
	if n < 2 {
		t.Errorf("%d samples; want at least 2", n)
	}
	if rss-base < size/2 {
		t.Errorf("peak RSS %d above a baseline of %d after touching %d bytes; want at least half of them", rss-base, base, size)
	}
	if heap < size {
		t.Errorf("peak heap %d after allocating %d bytes", heap, size)
	}
}

// TestGroupPeak starts a process group and checks that its members are
// found and their memory sampled.
func TestGroupPeak(t *testing.T) {
	t.Parallel()
	cmd := startGroup(t, "sleep", "10")
	groups, err := childGroups()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(groups, cmd.Process.Pid) {
		t.Fatalf("childGroups() = %v; want it to contain %d", groups, cmd.Process.Pid)
	}
	g := startGroupPeak([]int{cmd.Process.Pid}, time.Millisecond)
	time.Sleep(30 * time.Millisecond)
	rss, pss, procs, n := g.stop()
	if procs != 1 || rss <= 0 || pss <= 0 || n < 2 {
		t.Errorf("group of one sleep: rss %d, pss %d, %d processes, %d samples; want positive sizes, 1 process, 2 samples or more", rss, pss, procs, n)
	}
}

// startGroup starts a command in a process group of its own, killed when
// the test ends.
func startGroup(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	return cmd
}

func TestMissingBrowser(t *testing.T) {
	t.Parallel()
	err := run(t.Context(), io.Discard, config{runs: 1, binary: "/nonexistent/chromium", parallel: 1, period: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("run with a missing browser: %v; want an error saying how to install Chromium", err)
	}
}
