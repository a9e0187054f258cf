"""A tiny bundler: one ES module (a demo) plus the local modules it imports, as one module.

An anywidget's ``_esm`` is loaded as a single module with no base URL (in the static page it is
a string in the embedded widget state), so ``import ... from "./optim.js"`` cannot be resolved
there. The JS sources stay real files (linted and tested on their own); this inlines each local
dependency once, in dependency order, as an IIFE that returns its exports:

    const __mod_optim = (() => { ...optim.js without `export` keywords...; return { run, sgd }; })();
    const { run } = __mod_optim;              // was: import { run } from "./optim.js";

It accepts only the module syntax the project's JS uses, and raises BundleError naming the file
and line for anything else, rather than emitting a module that fails in the reader's browser:
- ``import { a, b as c } from "./x.js";`` and ``import * as ns from "./x.js";`` (relative .js)
- ``import NAME from "./x.json" with { type: "json" };`` (relative .json: inlined as a constant)
- ``export function|async function|function*|class|const|let|var NAME`` at the start of a line
- ``export { a, b as c };``  and, in the entry module only, ``export default ...``
"""
from __future__ import annotations

import json
import re
from pathlib import Path

JS_DIR = Path(__file__).resolve().parent.parent / "js"


class BundleError(ValueError):
    """The JS uses module syntax this bundler does not support, or a module is missing."""


_IMPORT = re.compile(
    r"^import\s+(?:\{(?P<names>[^}]*)\}|\*\s+as\s+(?P<ns>[A-Za-z_$][\w$]*))\s+from\s+"
    r"(?P<q>[\"'])(?P<spec>[^\"']+)(?P=q)\s*;?[ \t]*$",
    re.MULTILINE,
)
_JSON_IMPORT = re.compile(
    r"^import\s+(?P<name>[A-Za-z_$][\w$]*)\s+from\s+(?P<q>[\"'])(?P<spec>\.{1,2}/[^\"']+\.json)(?P=q)"
    r"\s+with\s*\{\s*type\s*:\s*[\"']json[\"']\s*\}\s*;?[ \t]*$",
    re.MULTILINE,
)
_ANY_IMPORT = re.compile(r"^\s*import[\s{*\"']", re.MULTILINE)
_EXPORT_DECL = re.compile(
    r"^export\s+(?P<kw>async\s+function\*?|function\*?|class|const|let|var)\s+(?P<name>[A-Za-z_$][\w$]*)",
    re.MULTILINE,
)
_EXPORT_LIST = re.compile(r"^export\s*\{(?P<names>[^}]*)\}\s*;?[ \t]*$", re.MULTILINE)
_EXPORT_DEFAULT = re.compile(r"^export\s+default\b", re.MULTILINE)
_ANY_EXPORT = re.compile(r"^\s*export\b", re.MULTILINE)
_IDENT = re.compile(r"^[A-Za-z_$][\w$]*$")


def _line(source: str, pos: int) -> int:
    return source.count("\n", 0, pos) + 1


def _pairs(names: str, where: str) -> list[tuple[str, str]]:
    """'a, b as c' -> [('a', 'a'), ('b', 'c')]: (name before `as`, name after it)."""
    out = []
    for part in (p.strip() for p in names.split(",")):
        if not part:
            continue
        bits = part.split()
        if len(bits) == 1:
            out.append((bits[0], bits[0]))
        elif len(bits) == 3 and bits[1] == "as":
            out.append((bits[0], bits[2]))
        else:
            raise BundleError(f"{where}: cannot parse import/export name {part!r}")
        for name in out[-1]:
            if not _IDENT.match(name):
                raise BundleError(f"{where}: {name!r} is not a plain identifier")
    return out


class _Module:
    def __init__(self, path: Path):
        self.path = path
        try:
            self.source = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BundleError(f"module not found: {path}") from None
        self.imports = []  # (match, resolved path)
        for m in _IMPORT.finditer(self.source):
            spec = m["spec"]
            where = f"{path.name}:{_line(self.source, m.start())}"
            if not (spec.startswith("./") or spec.startswith("../")) or not spec.endswith(".js"):
                raise BundleError(f"{where}: only relative imports of .js files can be bundled, "
                                  f"not {spec!r}")
            self.imports.append((m, (path.parent / spec).resolve()))
        self.json_imports = []  # (match, resolved path)
        for m in _JSON_IMPORT.finditer(self.source):
            self.json_imports.append((m, (path.parent / m["spec"]).resolve()))
        matched = {m.start() for m, _ in self.imports + self.json_imports}
        for m in _ANY_IMPORT.finditer(self.source):
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            if start not in matched:
                raise BundleError(f"{path.name}:{_line(self.source, start)}: unsupported import "
                                  "form; use `import { a, b } from \"./x.js\";` on one statement")

    def body(self, entry: bool, module_vars: dict[Path, str]) -> tuple[str, list[tuple[str, str]]]:
        """Source with imports rewritten (and, unless entry, exports stripped); its exports."""
        src, exports = self.source, []
        where = self.path.name
        if not entry and _EXPORT_DEFAULT.search(src):
            m = _EXPORT_DEFAULT.search(src)
            raise BundleError(f"{where}:{_line(src, m.start())}: `export default` is only allowed "
                              "in the entry (demo) module; use named exports in shared modules")
        handled = set()
        for m in _EXPORT_DECL.finditer(src):
            exports.append((m["name"], m["name"]))
            handled.add(m.start())
        for m in _EXPORT_LIST.finditer(src):
            # `export { local as exported }`: the reverse order of an import's `a as b`.
            exports.extend((exported, local) for local, exported in
                           _pairs(m["names"], f"{where}:{_line(src, m.start())}"))
            handled.add(m.start())
        for m in _EXPORT_DEFAULT.finditer(src):
            handled.add(m.start())
        for m in _ANY_EXPORT.finditer(src):
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            if start not in handled:
                raise BundleError(f"{where}:{_line(src, start)}: unsupported export form (an "
                                  "indented export, or `export` of something unnamed)")
        # Rewrite imports (from the end, so earlier offsets stay valid).
        for m, dep in sorted(self.imports + self.json_imports, key=lambda x: -x[0].start()):
            if dep.suffix == ".json":
                src = src[:m.start()] + f"const {m['name']} = {_json_text(dep, where)};" + src[m.end():]
                continue
            var = module_vars[dep]
            if m["ns"]:
                repl = f"const {m['ns']} = {var};"
            else:
                pairs = _pairs(m["names"], f"{where}:{_line(src, m.start())}")
                repl = "const { " + ", ".join(a if a == b else f"{a}: {b}" for a, b in pairs) + \
                       f" }} = {var};"
            src = src[:m.start()] + repl + src[m.end():]
        if not entry:
            src = _EXPORT_LIST.sub("", src)
            src = _EXPORT_DECL.sub(lambda m: m.group(0)[len("export"):].lstrip(), src)
        return src, exports


def _json_text(path: Path, where: str) -> str:
    """A JSON file as one line of JS (checked to parse, so a typo fails here, not in a page)."""
    try:
        return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False,
                          separators=(",", ":"))
    except FileNotFoundError:
        raise BundleError(f"{where}: JSON module not found: {path}") from None
    except json.JSONDecodeError as error:
        raise BundleError(f"{where}: {path.name} is not valid JSON: {error}") from None


def bundle(entry: str | Path) -> str:
    """The entry module (a path, or a file name in trainlab/js/) with its local imports inlined."""
    entry = Path(entry)
    if not entry.is_absolute():
        entry = JS_DIR / entry
    entry = entry.resolve()
    order: list[Path] = []
    modules: dict[Path, _Module] = {}

    def visit(path: Path, stack: tuple[Path, ...]):
        if path in stack:
            cycle = " -> ".join(p.name for p in (*stack[stack.index(path):], path))
            raise BundleError(f"import cycle: {cycle}")
        if path in modules:
            return
        mod = modules[path] = _Module(path)
        for _, dep in mod.imports:
            visit(dep, (*stack, path))
        order.append(path)

    visit(entry, ())
    names = {}
    for p in order:
        base = "__mod_" + re.sub(r"\W", "_", p.stem)
        var, n = base, 1
        while var in names.values():
            n += 1
            var = f"{base}{n}"
        names[p] = var

    root = JS_DIR if entry.is_relative_to(JS_DIR) else entry.parent
    rel = lambda p: p.relative_to(root) if p.is_relative_to(root) else p  # noqa: E731
    parts = [f"// Bundled by trainlab/widgets/bundle.py from {rel(entry)} and its imports. "
             "Edit the sources in trainlab/js/, not this text."]
    for p in order[:-1]:
        src, exports = modules[p].body(entry=False, module_vars=names)
        ret = ", ".join(name if name == local else f"{name}: {local}" for name, local in exports)
        parts.append(f"// ---- {rel(p)}\nconst {names[p]} = (() => {{\n{src.rstrip()}\n"
                     f"return {{ {ret} }};\n}})();")
    src, _ = modules[entry].body(entry=True, module_vars=names)
    parts.append(f"// ---- {rel(entry)}\n{src}")
    return "\n\n".join(parts)
