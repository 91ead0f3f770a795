"""Renders HTML pages in headless Chromium through the DevTools protocol (over a pipe: no port,
no extra package) and reports what the tests in tests/html_browser.rs assert on.

    html_browser.py --chromium /usr/bin/chromium --axe tests/js/node_modules/axe-core/axe.min.js \
        --fonts fonts --out DIR PAGE.html [PAGE.html ...]

For every page, at desktop (1280 px) and phone (390 px, mobile emulation) width: a full-page
screenshot (DIR/STEM-desktop.png, DIR/STEM-phone.png), the box of every table cell with its grid
position computed from the DOM's rowSpan/colSpan (the HTML table algorithm), the document's and
every table wrapper's scroll widths, the axe-core violations of the WCAG 2.0/2.1 A and AA rules
(at both widths: some rules, such as scrollable regions being focusable, apply only where a table
scrolls); the page printed to PDF (DIR/STEM.pdf, CSS page size); every URL the page
requested. The measuring script and axe are injected here, never shipped in the HTML.

--fonts DIR makes the repository's fonts visible to this Chromium only (a private fontconfig file
that adds DIR to the system's), so screenshots show CJK text on a machine without CJK fonts.

Prints one JSON object on stdout: {"pages": {STEM: {...}}}.
"""

import argparse
import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

MEASURE = r"""
(() => {
  const tables = [];
  for (const t of document.querySelectorAll('table')) {
    const taken = [];
    const cells = [];
    Array.from(t.rows).forEach((tr, r) => {
      let c = 0;
      taken[r] = taken[r] || [];
      for (const cell of tr.cells) {
        while (taken[r][c]) c++;
        const rs = Math.max(1, cell.rowSpan), cs = Math.max(1, cell.colSpan);
        for (let i = 0; i < rs; i++) {
          taken[r + i] = taken[r + i] || [];
          for (let j = 0; j < cs; j++) taken[r + i][c + j] = true;
        }
        const b = cell.getBoundingClientRect();
        cells.push({row: r, col: c, rows: rs, cols: cs, tag: cell.tagName.toLowerCase(),
                    text: cell.textContent, left: b.left, right: b.right, top: b.top,
                    bottom: b.bottom});
        c += cs;
      }
    });
    tables.push({id: t.id, caption: t.caption ? t.caption.textContent : null, cells});
  }
  const scrolls = Array.from(document.querySelectorAll('.nb-scroll')).map(d => ({
    scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, tabIndex: d.tabIndex,
    overflowX: getComputedStyle(d).overflowX}));
  return {tables, scrolls, docWidth: document.documentElement.scrollWidth,
          viewport: window.innerWidth};
})()
"""

AXE_RUN = """
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                   resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, tags: v.tags, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))})))
"""


class Browser:
    """A Chromium driven over --remote-debugging-pipe (fd 3: commands in, fd 4: events out)."""

    def __init__(self, chromium, profile, env):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds():
            # In the child: Chromium reads fd 3 and writes fd 4. Duplicate first, so that
            # neither dup2 overwrites the other's source; dup2 makes 3 and 4 inheritable while
            # every other descriptor Python opened is close-on-exec.
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--mute-audio", "--hide-scrollbars",
             f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            close_fds=False, preexec_fn=fds, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self.events = []

    def _read_message(self):
        while b"\0" not in self._buf:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read_message()
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session):
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                del self.events[i]
                return m
        while True:
            m = self._read_message()
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def evaluate(self, session, expression, await_promise=False):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": await_promise}, session)
        if "exceptionDetails" in r:
            raise RuntimeError(f"script failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def fontconfig(fonts_dir, work):
    """A fontconfig file adding fonts_dir to the system's configuration."""
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{pathlib.Path(fonts_dir).resolve()}</dir>\n"
        f"  <cachedir>{work / 'fontcache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return conf


def screenshot(b, session, path, width, height, mobile):
    b.send("Emulation.setDeviceMetricsOverride",
           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
           session)
    metrics = b.send("Page.getLayoutMetrics", {}, session)
    size = metrics["cssContentSize"]
    full = max(height, int(size["height"] + 0.999))
    shot = b.send("Page.captureScreenshot",
                  {"format": "png", "captureBeyondViewport": True,
                   "clip": {"x": 0, "y": 0, "width": width, "height": full, "scale": 1}},
                  session)
    path.write_bytes(base64.b64decode(shot["data"]))


def run_page(b, page, out, axe_source):
    stem = page.stem
    url = page.resolve().as_uri()
    target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Network"):
        b.send(f"{domain}.enable", {}, session)
    result = {}
    views = [("desktop", 1280, 900, False), ("phone", 390, 844, True)]
    for name, width, height, mobile in views:
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
               session)
        b.send("Page.navigate", {"url": url}, session)
        b.wait_event("Page.loadEventFired", session)
        b.evaluate(session, "document.fonts.ready.then(() => true)", await_promise=True)
        view = b.evaluate(session, MEASURE)
        # axe before the screenshot: a full-page capture resizes the viewport for a moment
        b.evaluate(session, axe_source)
        view["axe"] = b.evaluate(session, AXE_RUN, await_promise=True)
        screenshot(b, session, out / f"{stem}-{name}.png", width, height, mobile)
        view["screenshot"] = str(out / f"{stem}-{name}.png")
        result[name] = view
    b.send("Emulation.clearDeviceMetricsOverride", {}, session)
    pdf = b.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                 session)
    (out / f"{stem}.pdf").write_bytes(base64.b64decode(pdf["data"]))
    result["pdf"] = str(out / f"{stem}.pdf")
    result["requests"] = sorted({
        m["params"]["request"]["url"] for m in b.events
        if m.get("method") == "Network.requestWillBeSent" and m.get("sessionId") == session})
    b.events = [m for m in b.events if m.get("sessionId") != session]
    b.send("Target.closeTarget", {"targetId": target})
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chromium", required=True)
    ap.add_argument("--axe", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fonts")
    ap.add_argument("pages", nargs="+")
    a = ap.parse_args()
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    axe_source = pathlib.Path(a.axe).read_text(encoding="utf-8")
    work = pathlib.Path(tempfile.mkdtemp(prefix="nianbao-chromium-"))
    env = dict(os.environ)
    if a.fonts:
        env["FONTCONFIG_FILE"] = str(fontconfig(a.fonts, work))
    b = Browser(a.chromium, work / "profile", env)
    try:
        pages = {pathlib.Path(p).stem: run_page(b, pathlib.Path(p), out, axe_source)
                 for p in a.pages}
    finally:
        b.close()
        shutil.rmtree(work, ignore_errors=True)
    json.dump({"pages": pages}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
