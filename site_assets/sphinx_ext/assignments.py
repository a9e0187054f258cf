"""Sphinx extension: the ``assignment`` directive, the launcher a chapter puts in its
"Assignment" section.

    ```{assignment} ps4
    ```

renders, from what `exercises/ps4/` holds (the student release, `make exercises`):

- "Download the notebook": the released `ps4.ipynb`, plus a download link for every other file
  released beside it (a data file the notebook reads);
- "Open in the browser": the site's own JupyterLite (`lite/open.html?assignment=ps4`, built by
  site_assets/lite/build.py), which opens the notebook with Python running in the browser and
  tells a student whose saved copy predates the current release; with a note that it needs the
  site served over http (`make serve`);
- or, when the notebook imports a module the browser's Python does not have (torch), a plain
  "needs a local install" note pointing at the landing page's instructions instead.

Nothing is written by hand per assignment: a new `exercises/psN/` only needs the directive.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from browser_python import missing_in_browser

LITE_LAUNCHER = "lite/open.html"
RUN_LOCALLY_LABEL = "sec-run-locally"  # the landing page's "run the notebooks yourself" section


class AssignmentDirective(SphinxDirective):
    """``{assignment} psN``: download and open-in-the-browser links for exercises/psN/."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        folder = Path(self.env.srcdir) / "exercises" / name
        notebook = folder / f"{name}.ipynb"
        if not notebook.is_file():
            raise self.error(
                f"assignment {name!r}: {notebook.relative_to(self.env.srcdir)} does not exist. "
                "The argument is a folder of exercises/ (e.g. ps4); run `make exercises` to "
                "release it from solutions/.")
        others = sorted(p for p in folder.iterdir()
                        if p.is_file() and p != notebook and not p.name.startswith("."))
        self.env.note_dependency(str(notebook))

        box = nodes.container(classes=["trainlab-assignment"])
        buttons = nodes.paragraph(classes=["trainlab-assignment-actions"])
        buttons += self.download(notebook, "Download the notebook",
                                 ["sd-btn", "sd-btn-primary", "sd-shadow-sm"])
        missing = missing_in_browser(notebook)
        if not missing:
            buttons += nodes.Text(" ")
            buttons += nodes.reference(
                "", "Open in the browser", refuri=self.launcher_uri(name),
                classes=["sd-btn", "sd-btn-outline-primary", "sd-shadow-sm",
                         "trainlab-open-in-browser"])
        box += buttons

        if others:
            files = nodes.paragraph(classes=["trainlab-assignment-files"])
            files += nodes.Text("Released with it (keep it in the notebook's folder): ")
            for i, path in enumerate(others):
                if i:
                    files += nodes.Text(", ")
                files += self.download(path, path.name, [])
            files += nodes.Text(".")
            box += files

        note = nodes.paragraph(classes=["trainlab-assignment-note"])
        if missing:
            note += nodes.Text(
                f"This assignment needs {', '.join(missing)}, which does not run in the "
                "browser: run it on your computer (")
        else:
            note += nodes.Text(
                "In the browser, Python runs inside the page (JupyterLite with numpy and "
                "matplotlib): nothing to install, and your work stays in this browser between "
                "visits. To hand it in, use File → Download to save it as .ipynb. The browser "
                "version needs the site served over http, not opened as a file: run ")
            note += nodes.literal("", "make serve")
            note += nodes.Text(" and open the address it prints. To work locally instead, see ")
        ref = addnodes.pending_xref("", refdomain="std", reftype="ref",
                                    reftarget=RUN_LOCALLY_LABEL, refexplicit=True,
                                    refwarn=True, refdoc=self.env.docname)
        ref += nodes.inline("", "running the notebooks on your computer")
        note += ref
        note += nodes.Text(")." if missing else ".")
        box += note
        return [box]

    def download(self, path: Path, text: str, classes: list[str]) -> nodes.Node:
        """A Sphinx download link (the file is copied under _downloads/ and tracked)."""
        target = "/" + path.relative_to(self.env.srcdir).as_posix()
        ref = addnodes.download_reference("", "", reftarget=target, refdoc=self.env.docname,
                                          refexplicit=True, classes=classes)
        ref += nodes.inline("", text)
        return ref

    def launcher_uri(self, name: str) -> str:
        here = self.env.app.builder.get_target_uri(self.env.docname)
        return relative_uri(here, LITE_LAUNCHER) + f"?assignment={name}"


def setup(app):
    app.add_directive("assignment", AssignmentDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
