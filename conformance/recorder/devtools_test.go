//go:build unix

package recorder

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/conformance"
	"github.com/google/go-cmp/cmp"
)

// fakeChromiumEnv, when set in the environment of the test binary, makes it
// play a Chromium started with --remote-debugging-pipe (see
// fakeDevToolsBrowser) instead of running the tests; its value is a
// directory for what the fake saw.
const fakeChromiumEnv = "CORSFETCH_FAKE_CHROMIUM_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(fakeChromiumEnv); dir != "" {
		fakeDevToolsBrowser(dir)
		return
	}
	os.Exit(m.Run())
}

// fakeDevToolsBrowser writes its arguments to dir/args, then answers the
// DevTools commands that arrive on fd 3 on fd 4, appending each to
// dir/commands as "method params [sessionId]". Browser.grantPermissions
// fails when an origin ends in ":9"; Log.enable is followed by a console
// message. It runs until it is killed.
func fakeDevToolsBrowser(dir string) {
	os.WriteFile(filepath.Join(dir, "args"), []byte(strings.Join(os.Args[1:], "\n")+"\n"), 0o600)
	in, out := os.NewFile(3, "commands"), os.NewFile(4, "answers")
	br := bufio.NewReader(in)
	log, _ := os.OpenFile(filepath.Join(dir, "commands"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			time.Sleep(time.Hour) // the recorder closed the pipe; wait to be killed
			return
		}
		var m struct {
			ID        int             `json:"id"`
			Method    string          `json:"method"`
			Params    json.RawMessage `json:"params"`
			SessionID string          `json:"sessionId"`
		}
		json.Unmarshal(bytes.TrimSuffix(msg, []byte{0}), &m)
		fmt.Fprintf(log, "%s %s %s\n", m.Method, m.Params, m.SessionID)
		answer := map[string]any{"id": m.ID, "result": map[string]any{}}
		switch m.Method {
		case "Target.getTargets":
			answer["result"] = map[string]any{"targetInfos": []map[string]string{{"targetId": "W", "type": "browser"}, {"targetId": "T1", "type": "page"}}}
		case "Target.attachToTarget":
			answer["result"] = map[string]any{"sessionId": "S1"}
		case "Browser.grantPermissions":
			if strings.Contains(string(m.Params), `:9"`) {
				answer = map[string]any{"id": m.ID, "error": map[string]any{"code": -32602, "message": "Unknown permission type"}}
			}
		}
		b, _ := json.Marshal(answer)
		out.Write(append(b, 0))
		if m.Method == "Log.enable" {
			out.Write([]byte(`{"method":"Log.entryAdded","params":{"entry":{"source":"javascript","level":"error","text":"Access to fetch at 'http://127.0.0.2:2/r' has been blocked"}},"sessionId":"S1"}` + "\x00"))
		}
	}
}

// fakeDevToolsChromium returns a launcher whose binary is the test binary
// playing Chromium, and the directory where it notes what it saw.
func fakeDevToolsChromium(t *testing.T) (ChromiumLauncher, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "chromium")
	writeScript(t, script, "#!/bin/sh\n"+fakeChromiumEnv+"='"+dir+"' exec '"+exe+"' \"$@\"\n")
	return ChromiumLauncher{Binary: script}, dir
}

// lockedBuffer is a bytes.Buffer safe for the DevTools reader to write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestChromiumOpenLNA(t *testing.T) {
	t.Parallel()
	c, dir := fakeDevToolsChromium(t)
	c.Args = []string{"--extra"}
	var console lockedBuffer
	setup := LNASetup{
		Config:  conformance.LNA{Spaces: map[string]string{"A": "public", "B": "local"}, Grant: []string{"local-network", "loopback-network", "local-network-access"}},
		Spaces:  []conformance.EndpointSpace{{Origin: "A", Endpoint: "127.0.0.1:1", Space: "public"}, {Origin: "B", Endpoint: "127.0.0.2:2", Space: "local"}},
		Pages:   []string{"http://127.0.0.1:1", "http://127.0.0.2:2"},
		Console: &console,
	}
	sess, applied, err := c.OpenLNA(t.Context(), "http://127.0.0.1:1/runner/page", setup)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	args := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "args"))), "\n")
	for _, flag := range append(chromiumFlags, "--ip-address-space-overrides=127.0.0.1:1=public,127.0.0.2:2=local", "--remote-debugging-pipe", "--extra") {
		if !contains(args, flag) {
			t.Errorf("flag %s not passed; args = %q", flag, args)
		}
	}
	if args[len(args)-1] != "about:blank" {
		t.Errorf("last argument = %q; want about:blank (the page is loaded after the grants)", args[len(args)-1])
	}
	commands := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "commands"))), "\n")
	want := []string{
		`Browser.grantPermissions {"origin":"http://127.0.0.1:1","permissions":["localNetwork","loopbackNetwork","localNetworkAccess"]} `,
		`Browser.grantPermissions {"origin":"http://127.0.0.2:2","permissions":["localNetwork","loopbackNetwork","localNetworkAccess"]} `,
		`Target.getTargets {} `,
		`Target.attachToTarget {"flatten":true,"targetId":"T1"} `,
		`Log.enable {} S1`,
		`Page.navigate {"url":"http://127.0.0.1:1/runner/page"} S1`,
	}
	if diff := cmp.Diff(want, commands); diff != "" {
		t.Errorf("DevTools commands (-want +got):\n%s", diff)
	}
	wantApplied := []string{
		"--ip-address-space-overrides=127.0.0.1:1=public,127.0.0.2:2=local",
		`DevTools Browser.grantPermissions {"origin":"http://127.0.0.1:1","permissions":["localNetwork","loopbackNetwork","localNetworkAccess"]}`,
		`DevTools Browser.grantPermissions {"origin":"http://127.0.0.2:2","permissions":["localNetwork","loopbackNetwork","localNetworkAccess"]}`,
	}
	if diff := cmp.Diff(wantApplied, applied); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}
	for range 200 {
		if console.String() != "" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got, want := console.String(), "error javascript: Access to fetch at 'http://127.0.0.2:2/r' has been blocked\n"; got != want {
		t.Errorf("console = %q; want %q", got, want)
	}
	if err := sess.Stop(); err != nil {
		t.Errorf("Stop() = %v", err)
	}
	<-sess.Exited()
}

func TestChromiumOpenLNANoGrant(t *testing.T) {
	t.Parallel()
	c, dir := fakeDevToolsChromium(t)
	sess, applied, err := c.OpenLNA(t.Context(), "http://127.0.0.1:1/runner/page", LNASetup{Pages: []string{"http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	args := waitFile(t, filepath.Join(dir, "args"))
	if strings.Contains(args, "--ip-address-space-overrides") {
		t.Errorf("overrides passed without spaces: %q", args)
	}
	commands := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "commands"))), "\n")
	if len(commands) != 3 || !strings.HasPrefix(commands[0], "Target.getTargets") || !strings.HasPrefix(commands[2], "Page.navigate") {
		t.Errorf("commands = %q; want the page loaded with no grant and no Log.enable", commands)
	}
	if len(applied) != 1 || !strings.Contains(applied[0], "no permission granted") {
		t.Errorf("applied = %q; want a note that nothing was granted", applied)
	}
}

func TestChromiumOpenLNAGrantFails(t *testing.T) {
	t.Parallel()
	c, _ := fakeDevToolsChromium(t)
	setup := LNASetup{Config: conformance.LNA{Grant: []string{"local-network"}}, Pages: []string{"http://127.0.0.1:9"}}
	sess, _, err := c.OpenLNA(t.Context(), "http://127.0.0.1:9/runner/page", setup)
	if err == nil || !strings.Contains(err.Error(), "Browser.grantPermissions: Unknown permission type") {
		t.Errorf("OpenLNA() = %v, %v; want the DevTools error", sess, err)
	}
}
