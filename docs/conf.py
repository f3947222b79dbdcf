"""Sphinx configuration for the thaad documentation site (`make docs`).

Built offline: Furo bundles its assets, MyST-NB executes every code cell at build time
(a broken example fails the build), and `-W` turns every warning into an error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import thaad

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))

project = "thaad"
author = "the thaad developers"
copyright = "2026, the thaad developers (MIT licence)"
release = thaad.__version__
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]

# No MathJax: it would load from a CDN. Formulas are written as code and Unicode instead.
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "figures/*.json", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Execute every code cell at every build; any exception fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 600
nb_execution_show_tb = True
nb_merge_streams = True
nb_output_stderr = "remove-warn"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}

html_theme = "furo"
html_title = f"thaad {release}"
html_static_path: list[str] = []
html_theme_options = {"navigation_with_keys": True}
html_last_updated_fmt = None
html_show_sourcelink = False

# Everything below is offline: no intersphinx inventories, no remote images.
os.environ.setdefault("MPLBACKEND", "Agg")
# The executed pages import docs/docrun.py (the kernel inherits this environment).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "docs"), os.environ.get("PYTHONPATH")]))


# --- Math without MathJax (which loads from a CDN): show the LaTeX source as code. ----------
def _math_inline(self, node):
    self.body.append(self.starttag(node, "code", "", CLASS="math"))
    self.body.append(self.encode(node.astext()))
    self.body.append("</code>")
    raise _SkipNode


def _math_block(self, node):
    self.body.append(self.starttag(node, "pre", "", CLASS="math"))
    self.body.append(self.encode(node.astext()))
    self.body.append("</pre>\n")
    raise _SkipNode


from docutils.nodes import SkipNode as _SkipNode  # noqa: E402

html_math_renderer = "thaad_plain"


def setup(app):
    app.add_html_math_renderer("thaad_plain", (_math_inline, None), (_math_block, None))
nb_render_markdown_format = "myst"
