#!/usr/bin/env bash
# Builds the site. Pages execute with jupyter-cache, which keys on each page's own source, so a
# change to trainlab (an experiment, a demo's JS) would otherwise leave stale figures, stale demo
# code and unchecked claims in _build. When trainlab's files change, rebuild everything.
set -euo pipefail
cd "$(dirname "$0")/.."
key_file=_build/.trainlab-sources.sha256
key=$(find trainlab -type f \( -name '*.py' -o -name '*.js' -o -name '*.css' \) -print0 \
      | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
flags=()
if [ -d _build ] && [ "$(cat "$key_file" 2>/dev/null)" != "$key" ]; then
  echo "trainlab changed since the last build: re-executing every page"
  rm -rf _build/.jupyter_cache
  flags+=(--all)
fi
.venv/bin/jupyter-book build . --warningiserror --keep-going --quiet "${flags[@]}"
mkdir -p _build && echo "$key" > "$key_file"
# The assignments' in-browser notebooks (skipped when nothing it depends on changed).
.venv/bin/python site_assets/lite/build.py _build/html/lite
