"""Fail when the built documentation would load anything from the network.

Scans every HTML page of the built site for scripts, stylesheets, images, fonts and
frames whose address is remote (http:, https: or protocol-relative). Links a reader may
click (<a href>) are allowed. Run by `make docs` after Sphinx.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.remote: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in LOADING and value and value.strip().lower().startswith(("http:", "https:", "//")):
                if tag == "link" and dict(attrs).get("rel") in ("canonical",):
                    continue
                self.remote.append(f"<{tag} {name}={value!r}>")


def main(site: str) -> int:
    pages = sorted(Path(site).rglob("*.html"))
    if not pages:
        print(f"check_offline: no HTML pages under {site}", file=sys.stderr)
        return 1
    bad = []
    for page in pages:
        scan = _Scan()
        scan.feed(page.read_text(encoding="utf-8"))
        bad += [f"{page}: {r}" for r in scan.remote]
    if bad:
        print("check_offline: the site would load remote resources:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    print(f"check_offline: {len(pages)} pages, no remote resources")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html"))
