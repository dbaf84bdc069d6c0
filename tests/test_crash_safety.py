"""A crash never damages a catalogue: kill extract while it writes, then check every file.

Extract is started on a project of many articles whose templates all changed, and
killed with SIGKILL after a random delay, several times over. Every catalogue must
still parse and hold every translation it held before, and a second run must agree.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from .conftest import REPO

COPIES = 12


def make_project(root: Path) -> Path:
    for index in range(COPIES):
        for path in (REPO / "articles").rglob("*.html"):
            slug = path.relative_to(REPO / "articles")
            target = root / "articles" / f"copy{index}" / slug
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            for po in (REPO / "locales").glob(f"*/LC_MESSAGES/{slug.with_suffix('.po')}"):
                code = po.relative_to(REPO / "locales").parts[0]
                dest = root / "locales" / code / "LC_MESSAGES" / f"copy{index}" / slug.with_suffix(".po")
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(po, dest)
    shutil.copytree(REPO / "articles" / "media", root / "articles" / "media", dirs_exist_ok=True)
    (root / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return root


def translations(root: Path) -> dict[str, dict[str, str]]:
    found = {}
    for path in sorted((root / "locales").rglob("*.po")):
        po = polib.pofile(str(path))  # raises if the file is damaged
        found[path.relative_to(root).as_posix()] = {e.msgid: e.msgstr for e in po if e.msgstr}
    return found


def touch_every_article(root: Path, round_number: int) -> None:
    for path in (root / "articles").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        correction = f"<p>Correction number {round_number}.</p></body>"
        path.write_text(text.replace("</body>", correction, 1), encoding="utf-8")


@pytest.mark.slow
def test_killing_extract_midway_never_damages_or_loses_a_translation(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    before = translations(root)
    assert sum(len(v) for v in before.values()) > 1000
    rng = random.Random(20151103)
    for round_number in range(6):
        touch_every_article(root, round_number)
        process = subprocess.Popen(
            [sys.executable, "-m", "l10n", "extract", "--jobs", "2"],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = translations(root)
        for path, table in before.items():
            for msgid, msgstr in table.items():
                # The unit may have moved to an obsolete entry, never away.
                assert now[path].get(msgid) == msgstr, (path, msgid)
    # A killed run's workers must not keep the lock: this run would wait forever.
    finished = subprocess.run(
        [sys.executable, "-m", "l10n", "extract", "--jobs", "2"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr
    assert translations(root).keys() == before.keys()
    # Temporary files of killed runs are cleared by the next run, under the lock.
    assert list((root / "locales").rglob("*.tmp")) == []
