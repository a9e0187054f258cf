"""Build the site's JupyterLite: the student notebooks of exercises/, opened and run in the
browser (Python compiled to WebAssembly by Pyodide), served by the site itself at `lite/`.

    python site_assets/lite/build.py OUTPUT_DIR     # make book runs it into _build/html/lite

1. Fetch, once, into a cache outside git (TRAINLAB_LITE_CACHE, default ~/.cache/trainlab/lite):
   Pyodide's core and official lockfile from the npm package `pyodide` (tarball checked against
   the registry's sha512 pinned in pyodide.json), the package files (numpy, matplotlib, ...)
   from the PyPI wheel that carries them, and the kernel's extra pure-Python wheels from PyPI
   (pip checks their pinned sha256).
2. Verify every package file against the sha256 the official lockfile gives it, and fail naming
   the file if one differs or is missing. Only the verified files are served, with a copy of
   the lockfile that lists just them (an import of anything else fails at once, offline).
3. Stage the release: each assignment that runs in the browser (its imports are all available;
   see the `assignment` directive) with the files released beside it; the notebook's metadata
   records its release (a content hash) and `releases.json` lists the current ones, so the
   launcher (open.html) can tell a student whose saved copy predates the release.
4. `jupyter lite build` from a fresh temporary folder every time (a reused build database has
   been seen to drop the local Pyodide URL and send the kernel to a CDN), then add the launcher.

The build is skipped when OUTPUT_DIR was built from the same inputs (.build-key).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PINS = HERE / "pyodide.json"
EXERCISES = REPO / "exercises"
LAUNCHER = ["open.html", "open.js"]
# Browser storage is per origin: a name of our own keeps this book's saved notebooks apart
# from another JupyterLite served from the same host (localhost:8000 is a popular address).
STORAGE_NAME = "trainlab-notebooks"
APPS = ["notebooks", "tree"]  # the Notebook interface and its file browser; no lab, no consoles

sys.path.insert(0, str(HERE.parent / "sphinx_ext"))
from browser_python import missing_in_browser  # noqa: E402  (one rule for page and build)


class LiteBuildError(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"site_assets/lite/build.py: {message}")


def pins() -> dict:
    return json.loads(PINS.read_text())


def cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "trainlab" / "lite"
    path = Path(os.environ.get("TRAINLAB_LITE_CACHE", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(cmd: list[str], what: str, **kwargs) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode:
        raise LiteBuildError(f"{what} failed (`{' '.join(cmd)}`):\n{proc.stdout[-2000:]}"
                             f"\n{proc.stderr[-2000:]}")


# ---- 1. fetch ---------------------------------------------------------------------------------

def fetch_core(pin: dict, cache: Path) -> Path:
    """The npm tarball of Pyodide's core, checked against the registry's pinned sha512."""
    tarball = cache / f"{pin['npm_package']}-{pin['version']}.tgz"
    if not tarball.exists():
        print(f"lite: fetching {pin['npm_package']}@{pin['version']} from npm", flush=True)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            run(["npm", "pack", f"{pin['npm_package']}@{pin['version']}", "--silent",
                 "--pack-destination", tmp], "npm pack")
            (Path(tmp) / tarball.name).replace(tarball)
    algorithm, _, expected = pin["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if actual != expected:
        raise LiteBuildError(
            f"{tarball} does not match the npm registry's {pin['integrity']} pinned in "
            f"{PINS.relative_to(REPO)}: delete it to fetch it again; if it still differs, "
            "the registry copy changed and must not be served.")
    return tarball


def pip_download(requirement: str, digest: str, cache: Path) -> Path:
    """One wheel from PyPI, checked by pip against its pinned sha256."""
    name = requirement.split("==")[0].replace("-", "_")
    found = [p for p in cache.glob(f"{name}-*.whl") if sha256(p.read_bytes()) == digest]
    if found:
        return found[0]
    print(f"lite: fetching {requirement} from PyPI", flush=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        reqs = Path(tmp) / "requirements.txt"
        reqs.write_text(f"{requirement} --hash=sha256:{digest}\n")
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes",
             "--only-binary=:all:", "--disable-pip-version-check", "-q", "-d", tmp,
             "-r", str(reqs)], f"pip download {requirement}")
        wheel = next(Path(tmp).glob("*.whl"))
        return wheel.replace(cache / wheel.name)


# ---- 2. verify --------------------------------------------------------------------------------

def read_core(tarball: Path, names: list[str]) -> dict[str, bytes]:
    with tarfile.open(tarball) as tar:
        found = {}
        for name in names:
            try:
                found[name] = tar.extractfile(f"package/{name}").read()
            except KeyError:
                raise LiteBuildError(f"{tarball.name} has no package/{name}") from None
    return found


def closure(lock: dict, roots: list[str]) -> list[str]:
    """The packages `roots` need, following the lockfile's `depends`."""
    packages, todo, seen = lock["packages"], list(roots), []
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()  # lockfile keys are normalised names
        if name in seen:
            continue
        if name not in packages:
            raise LiteBuildError(f"package {name!r} (pyodide.json) is not in Pyodide "
                                 f"{lock['info']['version']}'s lockfile")
        seen.append(name)
        todo.extend(packages[name]["depends"])
    return sorted(seen)


def verified_packages(lock: dict, names: list[str], carrier: Path, folder: str) -> dict[str, bytes]:
    """Each package's file from the carrier wheel, only if its sha256 is the lockfile's."""
    files = {}
    with zipfile.ZipFile(carrier) as wheel:
        members = set(wheel.namelist())
        for name in names:
            entry = lock["packages"][name]
            member = folder + entry["file_name"]
            if member not in members:
                raise LiteBuildError(f"{entry['file_name']} (package {name}) is not in "
                                     f"{carrier.name}; choose another carrier in pyodide.json")
            data = wheel.read(member)
            if sha256(data) != entry["sha256"]:
                raise LiteBuildError(
                    f"{entry['file_name']} from {carrier.name} has sha256 {sha256(data)}, but "
                    f"Pyodide's official pyodide-lock.json says {entry['sha256']}. Refusing to "
                    "serve it.")
            files[entry["file_name"]] = data
    return files


def served_lockfile(lock: dict, names: list[str]) -> bytes:
    """The official lockfile listing only the packages served (same entries, same hashes)."""
    trimmed = {**lock, "packages": {n: lock["packages"][n] for n in names}}
    return json.dumps(trimmed, indent=1, sort_keys=True).encode()


def pyodide_files(cache: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(files for static/pyodide/, kernel wheels for pypi/), all verified."""
    pin = pins()
    core = read_core(fetch_core(pin["core"], cache), pin["core"]["files"])
    lock = json.loads(core["pyodide-lock.json"])
    carrier_pin = pin["packages_carrier"]
    carrier = pip_download(f"{carrier_pin['pypi_package']}=={carrier_pin['version']}",
                           carrier_pin["sha256"], cache)
    names = closure(lock, pin["packages"])
    static = {**core, **verified_packages(lock, names, carrier, carrier_pin["folder"])}
    static["pyodide-lock.json"] = served_lockfile(lock, names)
    wheels = {}
    for requirement, digest in pin["kernel_wheels"].items():
        if not requirement.startswith("_"):
            wheel = pip_download(requirement, digest, cache)
            wheels[wheel.name] = wheel.read_bytes()
    return static, wheels


# ---- 3. stage the release ---------------------------------------------------------------------

def release_id(notebook: Path) -> str:
    return sha256(notebook.read_bytes())[:16]


def browser_assignments(exercises: Path) -> list[Path]:
    return sorted(p.parent for p in exercises.glob("*/*.ipynb")
                  if p.stem == p.parent.name and not missing_in_browser(p))


def stage_contents(contents: Path, exercises: Path) -> dict:
    """Copy each browser assignment into `contents`, its release recorded in the notebook."""
    releases = {}
    for folder in browser_assignments(exercises):
        name = folder.name
        notebook = folder / f"{name}.ipynb"
        release = release_id(notebook)
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            dest = contents / name / path.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        nb["metadata"]["trainlab"] = {"assignment": name, "release": release}
        (contents / name / notebook.name).write_text(
            json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        releases[name] = {"path": f"{name}/{notebook.name}", "release": release,
                          "files": sorted(p.name for p in folder.iterdir() if p.is_file())}
    if not releases:
        raise LiteBuildError(f"no notebook in {exercises} runs in the browser; run make exercises")
    return releases


def lite_config(output: Path, contents: Path) -> dict:
    prefix_extensions = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    return {
        "LiteBuildConfig": {
            "apps": APPS,
            "contents": [str(contents)],
            "output_dir": str(output),
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
            # The venv holds other lab extensions (widgets, nbgrader's) that expect a server;
            # take only the Pyodide kernel's.
            "ignore_sys_prefix": ["federated_extensions"],
        },
        "FederatedExtensionAddon": {
            "extra_labextensions_path": [str(prefix_extensions / "@jupyterlite")],
        },
    }


def site_config() -> dict:
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Training Neural Networks: notebooks",
            "appUrl": "./tree",  # the lab app is not built
            # window.jupyterapp: lets the browser tests drive the notebook as a student would.
            "exposeAppInBrowser": True,
            "contentsStorageName": STORAGE_NAME,
            # Notebook 7.3's "Last Checkpoint" indicator throws every 2 s on a notebook that
            # has no checkpoint yet (an unsaved release); the title bar does without it.
            "disabledExtensions": ["@jupyter-notebook/notebook-extension:checkpoints"],
            "litePluginSettings": {
                "@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True},
            },
        },
    }


def build_key(exercises: Path = EXERCISES) -> str:
    """A hash of everything the build reads: the pins, this script and the rule that decides
    which assignments run in the browser, the launcher, the release, the JupyterLite versions
    (the Pyodide files are checked against the pins' hashes)."""
    digest = hashlib.sha256()
    rule = Path(sys.modules[missing_in_browser.__module__].__file__)
    for path in [PINS, Path(__file__), rule, *(HERE / n for n in LAUNCHER)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in sorted(p for p in exercises.rglob("*") if p.is_file()):
        digest.update(path.relative_to(exercises).as_posix().encode() + b"\0" + path.read_bytes())
    for dist in ("jupyterlite-core", "jupyterlite-pyodide-kernel"):
        digest.update(f"{dist}=={_version(dist)}".encode())
    return digest.hexdigest()


def _version(dist: str) -> str:
    import importlib.metadata
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        raise LiteBuildError(f"{dist} is not installed: run make venv (requirements.txt)") from None


def build(output: Path, exercises: Path = EXERCISES) -> dict:
    """Build the lite site for the notebooks of `exercises` into `output`; return releases."""
    output = output.resolve()
    key = build_key(exercises)
    if (output / ".build-key").is_file() and (output / ".build-key").read_text() == key:
        return json.loads((output / "releases.json").read_text())
    static, wheels = pyodide_files(cache_dir())
    with tempfile.TemporaryDirectory(prefix="trainlab-lite-") as tmp:
        lite_dir, contents, staged = Path(tmp) / "lite", Path(tmp) / "contents", Path(tmp) / "out"
        for name, data in static.items():
            (lite_dir / "static" / "pyodide").mkdir(parents=True, exist_ok=True)
            (lite_dir / "static" / "pyodide" / name).write_bytes(data)
        for name, data in wheels.items():
            (lite_dir / "pypi").mkdir(parents=True, exist_ok=True)
            (lite_dir / "pypi" / name).write_bytes(data)
        releases = stage_contents(contents, exercises)
        (lite_dir / "jupyter_lite_config.json").write_text(
            json.dumps(lite_config(staged, contents), indent=1))
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(site_config(), indent=1))
        jupyter_lite = Path(sys.executable).parent / "jupyter-lite"
        run([str(jupyter_lite), "build", "--lite-dir", str(lite_dir)], "jupyter lite build",
            cwd=lite_dir)
        check_offline_config(staged)
        for name in LAUNCHER:
            shutil.copy2(HERE / name, staged / name)
        (staged / "releases.json").write_text(json.dumps(releases, indent=1) + "\n")
        (staged / ".build-key").write_text(key)
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), output)
    return releases


def check_offline_config(out: Path) -> None:
    """The kernel must load the Pyodide served beside it, never a CDN's, and the notebooks
    must be indexed (the index needs jupyter_server in the build's environment)."""
    if not (out / "api" / "contents" / "all.json").is_file():
        raise LiteBuildError("jupyter lite build wrote no api/contents/all.json, so the app "
                             "would show no notebooks: is jupyter_server installed (make venv)?")
    config = json.loads((out / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config.get("litePluginSettings", {}).get(
        "@jupyterlite/pyodide-kernel-extension:kernel", {})
    url = kernel.get("pyodideUrl", "")
    if not url.startswith("./") or not (out / url).is_file() or not kernel.get("disablePyPIFallback"):
        raise LiteBuildError(f"the built jupyter-lite.json does not point the kernel at the local "
                             f"Pyodide (pyodideUrl={url!r}); the kernel would use a CDN")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python site_assets/lite/build.py OUTPUT_DIR   (e.g. _build/html/lite)")
    target = Path(sys.argv[1])
    result = build(target)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"lite: {target} ({size / 1e6:.1f} MB), notebooks: {', '.join(sorted(result))}")
