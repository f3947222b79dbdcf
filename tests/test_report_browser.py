"""Headless Chromium opens the report from disk: figures decode, tables render, no request leaves.

Chromium (Debian package `chromium`) runs with its network features off, a fresh profile,
every host name resolving to nothing and a dead proxy, so nothing can leave the machine;
the net log then shows whether the *page* tried any request (a page request carries the
file page's opaque origin "null" as initiator; Chromium's own background calls do not).
A control page with two remote resources checks that the detector sees requests.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.path.exists("/usr/bin/chromium"):
    CHROMIUM = "/usr/bin/chromium"

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)")

PROBE = """<script>window.addEventListener('load', function () {
  var out = [];
  for (var i = 0; i < document.images.length; i++) {
    var im = document.images[i];
    out.push((im.complete ? 1 : 0) + ':' + im.naturalWidth + 'x' + im.naturalHeight + ':' + Math.round(im.getBoundingClientRect().width));
  }
  var t = document.querySelectorAll('table');
  var rows = [];
  for (var j = 0; j < t.length; j++) { rows.push(t[j].rows.length + ':' + Math.round(t[j].getBoundingClientRect().height)); }
  var p = document.createElement('pre'); p.id = 'thaad-probe';
  p.textContent = JSON.stringify({images: out, tables: rows});
  document.body.appendChild(p);
});</script>"""


def chromium(url: str, *args: str, netlog: Path | None = None, timeout: int = 90) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="thaad-chromium-")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
           "--disable-extensions", "--disable-default-apps", "--hide-scrollbars",
           "--proxy-server=socks5://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
           "--virtual-time-budget=5000", "--window-size=1100,1800"]
    if netlog is not None:
        cmd += [f"--log-net-log={netlog}", "--net-log-capture-mode=Everything"]
    try:
        return subprocess.run(cmd + list(args) + [url], capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for (initiator: the file page's opaque origin)."""
    log = json.loads(netlog.read_text())
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for e in log["events"]:
        p = e.get("params") or {}
        if types.get(e["type"]) == "URL_REQUEST_START_JOB" and p.get("url"):
            init = str(p.get("initiator"))
            if init == "null" or init.startswith("file:"):
                urls.append(p["url"])
    return urls


@needs_chromium
def test_detector_sees_a_leaky_page(tmp_path):
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.example.com/a.css"></head>'
                     '<body><img src="http://192.0.2.7/x.png"><p>x</p></body></html>')
    net = tmp_path / "net.json"
    r = chromium(leaky.as_uri(), "--dump-dom", netlog=net)
    assert r.returncode == 0, r.stderr[-2000:]
    reqs = page_requests(net)
    assert any("fonts.example.com" in u for u in reqs) and any("192.0.2.7" in u for u in reqs), reqs


@needs_chromium
def test_report_renders_offline_with_no_request(small_report, tmp_path):
    html = (small_report / "index.html").read_text()
    n_img = html.count("<img ")
    n_tables = html.count("<table ")
    assert n_img >= 2 and n_tables >= 3
    # 1. the report itself, as shipped: no request from the page
    net = tmp_path / "net.json"
    r = chromium((small_report / "index.html").as_uri(), "--dump-dom", netlog=net)
    assert r.returncode == 0, r.stderr[-2000:]
    assert page_requests(net) == []
    assert r.stdout.count("<img ") == n_img and "<table" in r.stdout
    # 2. a copy with a probe script (the shipped page forbids scripts): images decoded, laid out
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("style-src 'unsafe-inline'", "style-src 'unsafe-inline'; script-src 'unsafe-inline'")
                     .replace("</body>", PROBE + "</body>"))
    r = chromium(probe.as_uri(), "--dump-dom")
    m = re.search(r'<pre id="thaad-probe">(.*?)</pre>', r.stdout, re.S)
    assert m, r.stdout[-2000:]
    data = json.loads(m.group(1).replace("&quot;", '"'))
    assert len(data["images"]) == n_img
    for im in data["images"]:
        complete, size, shown = im.split(":")
        w, h = (int(v) for v in size.split("x"))
        assert complete == "1" and w > 100 and h > 100 and int(shown) > 100, data["images"]
    assert len(data["tables"]) == n_tables
    for t in data["tables"]:
        rows, height = (int(v) for v in t.split(":"))
        assert rows >= 2 and height > 20, data["tables"]
    # 3. a screenshot for people to look at
    shot = tmp_path / "report_screenshot.png"
    r = chromium((small_report / "index.html").as_uri(), f"--screenshot={shot}")
    assert r.returncode == 0 and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep = os.environ.get("THAAD_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
