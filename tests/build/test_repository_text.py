"""Every tracked file states its rules itself: no numbered source documents, and no pointer to
design notes or folders that live outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A numbered source document, the design notes' file name, or a path that leaves the checkout
# for a folder of shared notes. The brackets keep this file from matching itself.
OUTSIDE_REFERENCES = re.compile(
    r"[s]eed ?0\d|[d]esign\.md|\.\./[s]hared|/work/[s]hared", re.IGNORECASE
)


def _tracked_texts() -> dict[str, str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    texts = {}
    for name in filter(None, listed.split("\0")):
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the work tree, not yet committed
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary: images, archives
    return texts


def test_no_tracked_file_cites_a_seed_number_or_a_file_outside_the_repository():
    hits = [
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}"
        for name, text in _tracked_texts().items()
        for match in OUTSIDE_REFERENCES.finditer(text)
    ]
    assert hits == []


def test_the_pattern_finds_each_kind_of_reference():
    # Spelled in pieces so that this file itself holds no reference.
    samples = ["(Seed " + "004)", "seed" + "001", "see DESIGN" + ".md", "..", "/work/"]
    samples[3:] = [".." + "/shared/x", "/work/" + "shared/tools"]
    assert all(OUTSIDE_REFERENCES.search(sample) for sample in samples)
    assert not OUTSIDE_REFERENCES.search("random seed 42, a shared table, docs/design.txt")
