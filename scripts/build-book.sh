#!/usr/bin/env bash
# Builds the site. Pages execute with jupyter-cache, which keys on each page's own source, and
# Sphinx re-reads only pages whose file changed, so inputs a page reads from elsewhere would
# leave stale figures, demo code and claims in _build. Two of them are hashed here:
# - trainlab (experiments, widgets, their JS and CSS, the palette's JSON): every page runs it,
#   so when it changes every page is executed again;
# - what the claims page reads besides trainlab (the registry book/claims/, the claim tests and
#   their pytest set-up, the section labels in the pages): when it changes, the claims page is
#   marked changed (its mtime), and being `execution_mode: force` it runs the claim tests again.
# The in-browser notebooks (site_assets/lite/build.py) keep a key of their own inputs.
set -euo pipefail
cd "$(dirname "$0")/.."

sources_key() {  # sha256 over the named files' paths and contents
  sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
trainlab_key=$(find trainlab -type f \( -name '*.py' -o -name '*.js' -o -name '*.css' \
                 -o -name '*.json' \) -not -path '*/node_modules/*' -print0 | sources_key)
claims_key=$(find book/claims tests/claims tests/conftest.py pyproject.toml book -maxdepth 1 \
               -type f \( -name '*.yml' -o -name '*.py' -o -name '*.md' -o -name '*.toml' \) \
               -print0 | sources_key)
trainlab_file=_build/.trainlab-sources.sha256
claims_file=_build/.claims-sources.sha256

flags=()
if [ -d _build ] && [ "$(cat "$trainlab_file" 2>/dev/null)" != "$trainlab_key" ]; then
  echo "trainlab changed since the last build: re-executing every page"
  rm -rf _build/.jupyter_cache
  flags+=(--all)
elif [ -d _build ] && [ "$(cat "$claims_file" 2>/dev/null)" != "$claims_key" ]; then
  echo "the claims registry, the claim tests or a page's labels changed: rebuilding the claims page"
  touch book/claims.md
fi
.venv/bin/jupyter-book build . --warningiserror --keep-going --quiet "${flags[@]}"
mkdir -p _build && echo "$trainlab_key" > "$trainlab_file" && echo "$claims_key" > "$claims_file"
# The assignments' in-browser notebooks (skipped when nothing it depends on changed).
.venv/bin/python site_assets/lite/build.py _build/html/lite
