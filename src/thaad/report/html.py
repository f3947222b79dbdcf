"""The report as one self-contained HTML page: inline CSS, figures as PNG data URIs.

No scripts, no external fonts, no links that load anything: the Content-Security-Policy
in the page forbids every network request (``default-src 'none'``), so the page renders
the same offline as online.
"""

from __future__ import annotations

import html
from typing import Any

from thaad.report.model import Section, Source, Table

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CSS = """
:root { --ink:#1b1f24; --muted:#5b6570; --line:#d9dee3; --accent:#1f6fb2; --warn:#b9770e; --bad:#a93226; --ok:#1e8449; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.55 Georgia, 'DejaVu Serif', 'Times New Roman', serif; color:var(--ink); background:#fafbfc; }
header, main, footer { max-width: 1000px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 30px; line-height:1.2; margin: 0 0 6px; }
h2 { font-size: 23px; margin: 44px 0 4px; border-top: 3px solid var(--ink); padding-top: 12px; }
h3 { font: 600 15px/1.3 system-ui, 'DejaVu Sans', Arial, sans-serif; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 22px 0 6px; }
.lede { font-size: 18px; color: var(--muted); margin: 0 0 18px; }
.question { font-style: italic; color: var(--muted); margin: 0 0 10px; }
.answer { font-size: 18px; background: #fff; border-left: 5px solid var(--accent); padding: 12px 16px; margin: 12px 0; }
.status { display:inline-block; font: 600 12px system-ui, 'DejaVu Sans', sans-serif; padding: 2px 8px; border-radius: 10px; vertical-align: middle; margin-left: 8px; }
.status.answered { background:#d4efdf; color:var(--ok); } .status.partial { background:#fcf3cf; color:var(--warn); } .status.missing { background:#f5b7b1; color:var(--bad); }
.missing-box { border: 1px solid var(--bad); background: #fdedec; padding: 10px 14px; margin: 10px 0; }
nav ol { columns: 2; font: 14px system-ui, 'DejaVu Sans', sans-serif; padding-left: 20px; }
nav a, a { color: var(--accent); }
.findings { background:#fff; border:1px solid var(--line); padding: 8px 18px; margin: 16px 0; }
.findings li { margin: 6px 0; }
figure { margin: 16px 0; background:#fff; border:1px solid var(--line); padding: 10px; }
figure img { max-width: 100%; height: auto; display:block; margin: 0 auto; }
figcaption { font: 14px/1.4 system-ui, 'DejaVu Sans', sans-serif; color: var(--muted); margin-top: 6px; }
table { border-collapse: collapse; width: 100%; font: 14px/1.35 system-ui, 'DejaVu Sans', sans-serif; background:#fff; margin: 8px 0 4px; }
caption { text-align:left; font-weight:600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.band td.num { font-weight: 600; }
.note { font: 13px system-ui, 'DejaVu Sans', sans-serif; color: var(--muted); }
code, pre { font: 13px 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
pre { background:#f0f2f4; padding: 8px 10px; overflow-x: auto; }
ul.assumptions li { margin: 3px 0; }
footer { color: var(--muted); font: 13px system-ui, 'DejaVu Sans', sans-serif; padding: 30px 24px 40px; }
"""


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def fmt(v: Any) -> str:
    """Numbers for tables: thousands separators, sensible digits, '—' for none."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        if v != v:
            return "—"
        a = abs(v)
        if a >= 1000:
            return f"{v:,.0f}"
        if a >= 100:
            return f"{v:.0f}"
        if a >= 10:
            return f"{v:.1f}"
        if a >= 0.1 or a == 0:
            return f"{v:.2f}"
        return f"{v:.3g}"
    return str(v)


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def render_table(t: Table, cls: str = "") -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in t.columns)
    body = []
    for row in t.rows:
        cells = "".join(f'<td class="num">{esc(fmt(v))}</td>' if _is_num(v) or v is None else f"<td>{esc(fmt(v))}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    note = f'<p class="note">{esc(t.note)}</p>' if t.note else ""
    return (f'<table id="{esc(t.key)}" class="{cls}" data-rows="{len(t.rows)}"><caption>{esc(t.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}")


def render_band(band: dict) -> str:
    if not band:
        return ""
    rows = band.get("rows", [band])
    trs = []
    for b in rows:
        trs.append(f"<tr><td>{esc(b['label'])}</td>" + "".join(
            f'<td class="num">{esc(fmt(b.get(k)))}</td>' for k in ("low", "nominal", "high")) + f"<td>{esc(b.get('unit', ''))}</td></tr>")
    return ('<table class="band"><caption>Low / nominal / high (from the catalogue\'s estimate ranges)</caption>'
            '<thead><tr><th>quantity</th><th class="num">low</th><th class="num">nominal</th><th class="num">high</th><th>unit</th></tr></thead>'
            f"<tbody>{''.join(trs)}</tbody></table>"
            + (f'<p class="note">{esc(band["note"])}</p>' if band.get("note") else ""))


def render_section(s: Section, images: dict[str, str]) -> str:
    out = [f'<section id="{esc(s.key)}" data-status="{esc(s.status)}">',
           f'<h2>{esc(s.key.upper())}. {esc(s.title)}<span class="status {esc(s.status)}">{esc(s.status)}</span></h2>',
           f'<p class="question">{esc(s.question)}</p>']
    if s.short_answer:
        out.append(f'<p class="answer">{esc(s.short_answer)}</p>')
    if s.missing:
        items = "".join(f"<li>{esc(m)}</li>" for m in s.missing)
        out.append('<div class="missing-box"><strong>Not answered in this build.</strong> The report shows no numbers '
                   f"for what needs these parts of the model, which are not available yet:<ul>{items}</ul></div>")
    out.extend(f"<p>{esc(p)}</p>" for p in s.paragraphs)
    for f in s.figures:
        out.append(f'<figure id="fig-{esc(f.key)}"><img src="{images[f.key]}" alt="{esc(f.alt or f.caption)}">'
                   f"<figcaption>{esc(f.caption)}</figcaption></figure>")
    if s.band:
        out.append(render_band(s.band))
    for t in s.tables:
        out.append(render_table(t))
    if s.assumptions:
        out.append("<h3>Assumptions</h3><ul class=\"assumptions\">" + "".join(f"<li>{esc(a)}</li>" for a in s.assumptions) + "</ul>")
    if s.commands:
        out.append("<h3>Check it yourself</h3><pre>" + esc("\n".join(s.commands)) + "</pre>")
    out.append("</section>")
    return "\n".join(out)


def render_sources(sources: list[Source]) -> str:
    rows = "".join(
        f"<tr><td>{esc(s.parameter)}</td><td class=\"num\">{esc(s.value)}</td><td>{'estimate' if s.estimate else 'published'}</td>"
        f"<td>{esc(s.source)}{(' — ' + esc(s.note)) if s.note else ''}</td></tr>" for s in sources)
    return ('<table id="sources"><caption>Every catalogue value this report used</caption>'
            "<thead><tr><th>parameter</th><th class=\"num\">value (low–high)</th><th>kind</th><th>public source</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def render_page(*, title: str, lede: str, findings: list[tuple[str, str]], overview: list[str], sections: list[Section],
                images: dict[str, str], overview_figures, scenario_assumptions: list[str], sources: list[Source],
                method: list[str], files: list[tuple[str, str]], footer: str) -> str:
    nav = "".join(f'<li><a href="#{esc(s.key)}">{esc(s.key.upper())}. {esc(s.title)}</a></li>' for s in sections)
    nav += '<li><a href="#assumptions">Assumptions and sources</a></li><li><a href="#method">Method and limits</a></li><li><a href="#files">Files</a></li>'
    find = "".join(f'<li><a href="#{esc(k)}"><strong>{esc(k.upper())}</strong></a> {esc(text)}</li>' for k, text in findings)
    ov = "".join(f"<p>{esc(p)}</p>" for p in overview)
    for f in overview_figures:
        ov += (f'<figure id="fig-{esc(f.key)}"><img src="{images[f.key]}" alt="{esc(f.alt or f.caption)}">'
               f"<figcaption>{esc(f.caption)}</figcaption></figure>")
    body_sections = "\n".join(render_section(s, images) for s in sections)
    assum = "".join(f"<li>{esc(a)}</li>" for a in scenario_assumptions)
    meth = "".join(f"<p>{esc(p)}</p>" for p in method)
    fl = "".join(f"<li><code>{esc(n)}</code> — {esc(d)}</li>" for n, d in files)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{esc(title)}</h1>
<p class="lede">{esc(lede)}</p>
<div class="findings"><h3>Short answers</h3><ul>{find}</ul></div>
<nav><ol>{nav}</ol></nav>
</header>
<main>
<section id="overview"><h2>The set-up</h2>{ov}</section>
{body_sections}
<section id="assumptions"><h2>Assumptions and sources</h2>
<h3>Scenario assumptions</h3><ul class="assumptions">{assum}</ul>
<h3>Catalogue values and their public sources</h3>
{render_sources(sources)}
</section>
<section id="method"><h2>Method and limits</h2>{meth}</section>
<section id="files"><h2>Files in this report</h2><ul>{fl}</ul></section>
</main>
<footer>{esc(footer)}</footer>
</body>
</html>
"""
