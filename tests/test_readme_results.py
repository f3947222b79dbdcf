"""The README's result paragraphs are generated from report.json: README and report agree."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("make_readme_results", ROOT / "docs" / "make_readme_results.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_readme_results_block_is_the_rendered_report_summary():
    m = _script()
    summary = json.loads(m.SUMMARY.read_text(encoding="utf-8"))
    readme = m.README.read_text(encoding="utf-8")
    assert m.readme_block(readme) == m.render(summary), "README results block is stale: run docs/make_readme_results.py"
    for q in summary["questions"].values():
        assert q["short_answer"] in readme


def test_summary_is_extracted_from_a_real_report(small_report):
    m = _script()
    report = json.loads((small_report / "report.json").read_text(encoding="utf-8"))
    summary = m.extract(report)
    block = m.render(summary)
    assert set(summary["questions"]) == set(report["questions"])
    for q in report["questions"].values():
        assert q["short_answer"] in block
    # replacing the block keeps everything outside the markers
    text = "intro\n" + m.BEGIN + "\nold\n" + m.END + "\noutro\n"
    new = m.replace_block(text, block)
    assert new.startswith("intro\n") and new.endswith("\noutro\n") and m.readme_block(new) == block
