"""Screenshot of the assessment report for the README (needs Debian's `chromium`).

    thaad assess --out report          # or: make demo
    python docs/make_report_screenshot.py [report/index.html] [docs/figures/report_screenshot.png]

Chromium runs headless with its network features off, a fresh profile and every host
resolving to nothing, exactly as in tests/test_report_browser.py.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    page = Path(argv[0] if argv else ROOT / "report" / "index.html").resolve()
    out = Path(argv[1] if len(argv) > 1 else ROOT / "docs" / "figures" / "report_screenshot.png").resolve()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    if not page.is_file():
        print(f"{page} not found: run `thaad assess --out report` first", file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="thaad-chromium-")
    try:
        r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
                            "--proxy-server=socks5://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                            "--hide-scrollbars", "--window-size=1100,1500", f"--screenshot={out}", page.as_uri()],
                           capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if r.returncode != 0 or not out.is_file():
        print(r.stderr[-2000:], file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
