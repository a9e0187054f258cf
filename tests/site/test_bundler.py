"""The bundler that turns a demo module and its imports into the one ES module a widget
ships (trainlab/widgets/bundle.py): what it inlines, in which order, and what it refuses.

The bundled _esm is checked as the browser will load it (one module, no relative imports);
every demo's own bundle is checked in test_widget_contract.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.node_bridge import call_js
from trainlab.widgets import BundleError, QuadraticGD, bundle


def test_bundled_compute_equals_the_source_modules(tmp_path):
    file = tmp_path / "quadratic.mjs"
    file.write_text(QuadraticGD()._esm)
    state = {"kappa": 50.0, "lr_fraction": 0.7}
    bundled, source = call_js([(str(file), "computeQuadratic", [state]),
                               ("quadratic_gd.js", "computeQuadratic", [state])])
    assert bundled == source


def _write(dir: Path, files: dict[str, str]):
    for name, text in files.items():
        (dir / name).write_text(text)


def test_bundler_inlines_shared_modules_once_in_dependency_order(tmp_path):
    _write(tmp_path, {
        "a.js": 'export const A = 1;\nexport function twice(x) { return 2 * x; }\n',
        "b.js": 'import { A } from "./a.js";\nexport const B = A + 1;\nconst hidden = 5;\n'
                'export { hidden as shown };\n',
        "main.js": 'import { twice, A as one } from "./a.js";\nimport * as b from "./b.js";\n'
                   'export const result = [twice(one), b.B, b.shown];\nexport default {};\n',
    })
    out = bundle(tmp_path / "main.js")
    assert out.index("const __mod_a") < out.index("const __mod_b") < out.index("// ---- main.js")
    assert out.count("const __mod_a =") == 1
    (tmp_path / "bundled.mjs").write_text(out)
    (info,) = call_js([(str(tmp_path / "bundled.mjs"), "result", [])])
    assert info == [2, 2, 5]


def test_bundler_inlines_json_modules_as_constants(tmp_path):
    _write(tmp_path, {
        "data.json": '{"adam": {"color": "#6940fa"}}',
        "a.js": 'import DATA from "./data.json" with { type: "json" };\n'
                'export const color = DATA.adam.color;\n',
        "main.js": 'import { color } from "./a.js";\nexport const result = color;\nexport default {};\n',
    })
    out = bundle(tmp_path / "main.js")
    assert "data.json" not in out.split("\n", 1)[1] and 'const DATA = {"adam"' in out
    (tmp_path / "bundled.mjs").write_text(out)
    (info,) = call_js([(str(tmp_path / "bundled.mjs"), "result", [])])
    assert info == "#6940fa"


@pytest.mark.parametrize("files, message", [
    ({"main.js": 'import x from "./a.js";\n', "a.js": ""}, "unsupported import form"),
    ({"main.js": 'import { x } from "lodash";\n'}, "only relative imports of .js files"),
    ({"main.js": 'import { x } from "./missing.js";\n'}, "module not found"),
    ({"main.js": 'import { x } from "./a.js";\n', "a.js": "export default 3;\n"},
     "only allowed in the entry"),
    ({"main.js": 'import { x } from "./a.js";\n', "a.js": 'import { y } from "./main.js";\n'},
     "import cycle: main.js -> a.js -> main.js"),
    ({"main.js": 'import { x } from "./a.js";\n', "a.js": "  export const x = 1;\n"},
     "unsupported export form"),
    ({"main.js": 'import D from "./d.json" with { type: "json" };\n', "d.json": "{oops}"},
     "d.json is not valid JSON"),
    ({"main.js": 'import D from "./d.json" with { type: "json" };\n'}, "JSON module not found"),
])
def test_bundler_rejects_what_it_cannot_bundle_with_a_clear_error(tmp_path, files, message):
    _write(tmp_path, files)
    with pytest.raises(BundleError, match=re.escape(message)):
        bundle(tmp_path / "main.js")
