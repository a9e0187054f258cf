"""The claims page links each claim to its section by the section's title ({ref} without text),
so every registered section label must sit on a heading: a label on a paragraph breaks the build."""
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
REGISTRIES = sorted((ROOT / "book" / "claims").glob("*.yml"))


@pytest.mark.parametrize("registry", REGISTRIES, ids=lambda p: p.stem)
def test_every_claim_section_label_is_on_a_heading(registry):
    lines = (ROOT / "book" / f"{registry.stem}.md").read_text(encoding="utf-8").splitlines()
    bad = []
    for claim in yaml.safe_load(registry.read_text(encoding="utf-8")):
        target = f"({claim['section']})="
        after = lines[lines.index(target) + 1:] if target in lines else []
        first = next((line for line in after if line.strip()), "")
        if not first.startswith("#"):
            bad.append(f"{claim['id']}: ({claim['section']})= is followed by {first[:50]!r}")
    assert not bad, "put each claim's label right above a heading:\n" + "\n".join(bad)
