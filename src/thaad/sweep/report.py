"""The sweep report: one self-contained HTML page (inline CSS, PNG data URIs, no network).

For every headline number: a tornado chart (one-at-a-time cases) and a table of the
sensitivity indices (Sobol S1/ST with bootstrap intervals, or Spearman rank correlations).
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
from pathlib import Path

from thaad import __version__
from thaad.sweep import sensitivity as S

CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.note{color:#555;font-size:.85em}
img{max-width:100%}"""


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _fmt(x) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if isinstance(x, float):
        return f"{x:,.0f}" if abs(x) >= 1e4 else f"{x:.4g}"
    return html.escape(str(x))


def tornado_figure(title: str, unit: str, y0, bars):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 0.45 * max(len(bars), 2) + 1.2))
    for k, b in enumerate(reversed(bars)):
        for y, colour, x in ((b.y_low, "#2171b5", b.x_low), (b.y_high, "#d94801", b.x_high)):
            if y is None or y0 is None:
                continue
            ax.barh(k, y - y0, left=y0, color=colour, alpha=0.8, height=0.6)
            ax.annotate(_fmt(x), (y, k), fontsize=7, va="center", ha="left" if y >= y0 else "right",
                        xytext=(3 if y >= y0 else -3, 0), textcoords="offset points")
    ax.set_yticks(range(len(bars)), [b.label for b in reversed(bars)], fontsize=8)
    if y0 is not None:
        ax.axvline(y0, color="#333", lw=1)
    ax.set_xlabel(f"{title} ({unit}); blue: parameter at low, orange: at high", fontsize=8)
    ax.tick_params(labelsize=8)
    return fig


def write_report(sweep, table, path: Path) -> Path:
    import matplotlib.pyplot as plt

    t = table.to_pydict()
    params = sweep.parameters
    d = sweep.spec.design
    parts = [f"<h1>{html.escape(sweep.spec.title)}</h1>",
             f"<p class=note>Base scenario: {html.escape(sweep.spec.base)} · {len(set(t['case']))} cases · "
             f"design: {'one-at-a-time' if d.one_at_a_time else ''}"
             f"{' + ' if d.one_at_a_time and d.space_filling != 'none' else ''}"
             f"{'' if d.space_filling == 'none' else d.space_filling} (samples {d.samples}, seed {d.seed}) · thaad {__version__}</p>",
             "<h2>Parameters</h2><table><tr><th>parameter</th><th>field</th><th>baseline</th><th>range</th></tr>"]
    for p, b in zip(params, sweep.baselines):
        rng = ", ".join(map(_fmt, p.values)) if p.values is not None else f"{_fmt(p.low)} – {_fmt(p.high)} ({p.scale})"
        parts.append(f"<tr><td>{html.escape(p.name)}</td><td>{html.escape(p.field)}</td><td>{_fmt(b)}</td><td>{rng}</td></tr>")
    parts.append("</table>")
    for o in sweep.outputs:
        parts.append(f"<h2 id='{html.escape(o.name)}'>{html.escape(o.name)} ({html.escape(o.unit)})</h2>")
        if d.one_at_a_time:
            y0, bars = S.tornado(t, params, o.name)
            fig = tornado_figure(o.name, o.unit, y0, bars)
            parts.append(f"<p>Baseline: <b>{_fmt(y0)}</b> {html.escape(o.unit)}. Each bar: the output with one parameter "
                         f"at its low (blue) or high (orange) end, the others at baseline.</p><img alt='tornado chart for "
                         f"{html.escape(o.name)}' src='{_png(fig)}'>")
            plt.close(fig)
            parts.append("<table><tr><th>parameter</th><th>at low</th><th>at high</th><th>swing</th></tr>"
                         + "".join(f"<tr><td>{html.escape(b.label)}</td><td>{_fmt(b.y_low)}</td><td>{_fmt(b.y_high)}</td>"
                                   f"<td>{_fmt(b.swing)}</td></tr>" for b in bars) + "</table>")
        ind = None
        if d.space_filling == "sobol":
            ind = S.sobol(t, params, o.name, d.samples, seed=d.seed)
        elif d.space_filling == "lhs":
            ind = S.spearman(t, params, o.name)
        if ind is not None:
            parts.append(_indices_table(ind, params))
    page = ("<!doctype html><html lang=en><head><meta charset=utf-8><title>" + html.escape(sweep.spec.title)
            + f"</title><style>{CSS}</style></head><body>" + "\n".join(parts)
            + "<p class=note>Written by <code>thaad sweep</code>; the numbers are in results.parquet / results.csv.</p>"
            + "</body></html>")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _indices_table(ind: S.Indices, params) -> str:
    if ind.method == "sobol":
        head = "<tr><th>parameter</th><th>first-order S1</th><th>90 % interval</th><th>total ST</th><th>90 % interval</th></tr>"
        rows = []
        for k, p in enumerate(params):
            fci = "—" if not ind.first_ci else f"{ind.first_ci[k][0]:.2f} – {ind.first_ci[k][1]:.2f}"
            tci = "—" if not ind.total_ci else f"{ind.total_ci[k][0]:.2f} – {ind.total_ci[k][1]:.2f}"
            tot = "—" if ind.total is None else _fmt(ind.total[k])
            rows.append(f"<tr><td>{html.escape(p.name)}</td><td>{_fmt(ind.first[k])}</td><td>{fci}</td><td>{tot}</td><td>{tci}</td></tr>")
    else:
        head = "<tr><th>parameter</th><th>Spearman rank correlation</th></tr>"
        rows = [f"<tr><td>{html.escape(p.name)}</td><td>{_fmt(ind.first[k])}</td></tr>" for k, p in enumerate(params)]
    return f"<p class=note>Sensitivity indices: {html.escape(ind.note)}</p><table>{head}{''.join(rows)}</table>"
