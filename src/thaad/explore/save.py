""""Save as scenario": the page's state as a scenario TOML file that ``thaad assess`` runs.

The file is the base scenario with the page's changes merged in (see
:mod:`thaad.explore.state`), written with ``tomli-w`` and read back through the scenario
schema before it is handed out, so a downloaded file always passes ``thaad assess --check``.
"""

from __future__ import annotations

import datetime as _dt

import tomli_w

from thaad import scenario as scenario_mod
from thaad.scenario import Scenario

HEADER = """\
# thaad assessment scenario saved by `thaad explore` ({when}).
# Base: {base}. Changed on the map: {changes}.
# Check it with   thaad assess --check THIS_FILE
# and run it with thaad assess THIS_FILE --out my_report

"""


def _changes(base: Scenario, sc: Scenario) -> str:
    out = []
    if sc.site != base.site:
        out.append("site")
    for k in ("boresight_deg", "min_elevation_deg", "modes"):
        if getattr(sc.radar, k) != getattr(base.radar, k):
            out.append(f"radar.{k}")
    if sc.rcs != base.rcs:
        out.append("rcs")
    if sc.shields != base.shields:
        out.append("shields (typed sectors first)")
    if sc.threats != base.threats:
        out.append("threat launch areas")
    return ", ".join(out) or "nothing"


def scenario_toml(base: Scenario, sc: Scenario, base_name: str) -> str:
    """TOML text for ``sc`` (validated again after writing); raises ScenarioError if it would not load."""
    data = sc.model_dump(mode="json", exclude_none=True)
    when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = HEADER.format(when=when, base=base_name, changes=_changes(base, sc)) + tomli_w.dumps(data)
    scenario_mod.parse_text(text, "<saved by thaad explore>")
    return text
