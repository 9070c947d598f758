//go:build unix

package main

import (
	"encoding/json"
	"strconv"
	"strings"
)

// controlScript is the controlling page's script, served at
// http://hostchars.test/hc/go. With PARSE, it first computes new URL() of
// every candidate and posts host, origin or the exception. Then it sends
// the tab to candidate I's page, http://target.example{C}.attacker.test/,
// coming back at once with the exception when location.href throws; with
// I < 0 (nothing to load) it comes back past the last candidate, which ends
// the pass.
const controlScript = `
const chars = CHARS, i = INDEX, parse = PARSE;
function describe(e) { return String(e && e.name) + ": " + String(e && e.message); }
async function main() {
  if (parse) {
    const out = chars.map(c => {
      try {
        const u = new URL("https://target.example" + c + ".attacker.test/");
        return {host: u.host, origin: u.origin, error: ""};
      } catch (e) {
        return {host: "", origin: "", error: describe(e)};
      }
    });
    await fetch("/hc/parsed", {method: "POST", body: JSON.stringify(out)});
  }
  if (i < 0) {
    location.replace("/hc/go?i=" + chars.length);
    return;
  }
  try {
    location.href = "http://target.example" + chars[i] + ".attacker.test/hc/probe?i=" + i;
  } catch (e) {
    location.replace("/hc/go?i=" + (i + 1) + "&prev=" + i + "&nav_error=" + encodeURIComponent(describe(e)));
  }
}
main();
`

// probeScript is the script of candidate I's page: it fetch()es
// http://target.example/hc/api in cors mode and sends the tab back to the
// controlling page with the fetch's result and its own origin.
const probeScript = `
const i = INDEX;
const back = "http://hostchars.test/hc/go?i=" + (i + 1) + "&prev=" + i;
fetch("http://target.example/hc/api?i=" + i, {mode: "cors", cache: "no-store"})
  .then(r => "status " + r.status, e => "error " + String(e && e.name) + ": " + String(e && e.message))
  .then(res => {
    location.href = back + "&fetch=" + encodeURIComponent(res) +
      "&origin=" + encodeURIComponent(self.origin);
  });
`

// controlHTML returns the controlling page for candidate i (see
// controlScript).
func controlHTML(chars []string, i int, parse bool) string {
	// json.Marshal escapes <, > and & in strings, so no candidate can end
	// the script element.
	list, _ := json.Marshal(chars)
	js := strings.NewReplacer("CHARS", string(list), "INDEX", strconv.Itoa(i), "PARSE", strconv.FormatBool(parse)).Replace(controlScript)
	return "<!doctype html><meta charset=\"utf-8\"><title>hostchars</title><script>" + js + "</script>"
}

// probeHTML returns the page of candidate i (see probeScript).
func probeHTML(i int) string {
	js := strings.Replace(probeScript, "INDEX", strconv.Itoa(i), 1)
	return "<!doctype html><meta charset=\"utf-8\"><title>hostchars probe</title><script>" + js + "</script>"
}
