"""l10n's regular expressions match alike on every Python it supports (3.11 and later).

CPython 3.11.0 to 3.11.4 match possessive quantifiers (``x*+``, ``x++``, ``x?+``) wrongly
when what they repeat can backtrack (CPython issues gh-106052 and gh-100061, fixed in
3.11.5), and Debian 12's python3 is 3.11.2. There, the style-sheet scanner found none of
the 28 URLs of one real page's ``<style>`` and took 5 s over it, and minutes over larger
ones: a build never ended. The same patterns written with atomic groups (``(?>x*)``,
which Python's documentation defines ``x*+`` to be) match correctly on those releases.

The second test runs the patterns on such an interpreter when one is installed
(``/usr/bin/python3.11`` on Debian 12, or ``$L10N_OLD_PYTHON``) and skips otherwise.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

import pytest

import l10n

from .conftest import CORPUS, REPO

_POSSESSIVE = {sre_constants.POSSESSIVE_REPEAT, sre_constants.POSSESSIVE_REPEAT_ONE}
_AT_RISK = _POSSESSIVE | {sre_constants.ATOMIC_GROUP}


def _patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern held at module level in l10n, by a name that says where."""
    for info in pkgutil.walk_packages(l10n.__path__, "l10n."):
        if info.name.endswith(".__main__"):
            continue  # it runs the command line
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            values = value.items() if isinstance(value, dict) else [(None, value)]
            for key, item in values:
                if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                    yield f"{info.name}.{name}" + ("" if key is None else f"[{key!r}]"), item


def _ops(pattern: re.Pattern[str]) -> set[Any]:
    """The opcodes of *pattern*'s parsed form, nested ones included."""
    found: set[Any] = set()

    def walk(items: Any) -> None:
        for op, argument in items:
            found.add(op)
            visit(argument)

    def visit(argument: Any) -> None:  # a SubPattern, or tuples and lists that may hold some
        if isinstance(argument, sre_parser.SubPattern):
            walk(argument)
        elif isinstance(argument, (tuple, list)):
            for part in argument:
                visit(part)

    walk(sre_parser.parse(pattern.pattern, pattern.flags))
    return found


def test_the_patterns_are_found() -> None:
    names = dict(_patterns())
    # the three that held possessive quantifiers until commit "regex: atomic groups"
    assert {"l10n.assets._CSS", "l10n.relocation._SRCSET_CANDIDATE", "l10n.po.reader._USUAL"} <= set(names)
    assert sre_constants.ATOMIC_GROUP in _ops(names["l10n.assets._CSS"])


def test_the_walk_sees_a_possessive_quantifier_wherever_it_is() -> None:
    for source in ["a*+", "(?>b(?:c|d++))", "(?=(?:e?+))", "(?!x{2,3}+)y", "(f)(?(1)g*+|h)"]:
        assert _ops(re.compile(source)) & _POSSESSIVE, source
    assert not _ops(re.compile("(?>a*)(?:b|c+)")) & _POSSESSIVE


def test_no_pattern_uses_a_possessive_quantifier() -> None:
    offenders = [name for name, pattern in _patterns() if _ops(pattern) & _POSSESSIVE]
    assert offenders == [], "write x*+ as (?>x*): Python 3.11.0-3.11.4 match possessive quantifiers wrongly"


# Run by both interpreters: each (pattern, text) gives the number of matches finditer
# finds and a digest of their spans and groups.
_PROBE = r"""
import hashlib, json, re, sys
spec = json.load(open(sys.argv[1], encoding="utf-8"))
texts = [(name, open(path, encoding="utf-8", errors="replace").read()) for name, path in spec["files"]]
texts += list(spec["texts"].items())
for name, source, flags in spec["patterns"]:
    pattern = re.compile(source, flags)
    for text_name, text in texts:
        digest, count = hashlib.sha256(), 0
        for match in pattern.finditer(text):
            count += 1
            digest.update(repr((match.span(), match.groups())).encode("utf-8", "backslashreplace"))
        print(name, text_name, count, digest.hexdigest()[:16], sep="\t", flush=True)
"""


def _old_python() -> str | None:
    """An interpreter from 3.11.0 to 3.11.4, if this machine has one."""
    for candidate in filter(None, [os.environ.get("L10N_OLD_PYTHON"), "/usr/bin/python3.11", "/usr/bin/python3"]):
        try:
            asked = [candidate, "-c", "import sys; print(*sys.version_info[:3])"]
            version = subprocess.run(asked, capture_output=True, text=True, timeout=30).stdout.split()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if len(version) == 3 and (int(version[0]), int(version[1])) == (3, 11) and int(version[2]) < 5:
            return candidate
    return None


def _fuzz(seed: int, count: int) -> dict[str, str]:
    """Short texts made of the pieces the at-risk patterns look for (quotes, escapes, PO
    keywords, comments, url(), @import, srcset separators), in random order."""
    pieces = [
        '"', "'", "\\", '\\"', "\\n", "\n", "#", "#~ ", "#| ", "#~| ", "#. ", "#: ", "#, ", "# ", "~", "|",
        "msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[0] ", "msgstr[1] ", '""', '"a"', '"a\\"b"',
        "url(", "URL(", ")", "(", "/*", "*/", "/", "@import ", "@", "u", "U", "x", "a b", ", ", ",", " ", "\t",
        "1x", "2w", "img.png", "-", "é", "\\.",
    ]  # fmt: skip
    rng = random.Random(seed)
    return {f"fuzz-{i}": "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for i in range(count)}


def _inputs() -> list[tuple[str, str]]:
    """Catalogues and pages of the repository, and the shared corpus's pages if present."""
    files = [
        *REPO.glob("locales/**/*.po"),
        *REPO.glob("locales/**/*.pot"),
        *(REPO / "tests").rglob("*.po"),
        *(REPO / "tests").rglob("*.pot"),
        *(REPO / "tests").rglob("*.html"),
        *REPO.glob("articles/**/*.html"),
    ]
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.html"))
    return [(str(path.relative_to(path.parents[1])), str(path)) for path in sorted(set(files))]


def _probe(python: str, spec: Path, timeout: float) -> list[str]:
    try:
        result = subprocess.run(
            [python, "-c", _PROBE, str(spec)], capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired as exc:
        done = (exc.stdout or b"").decode().splitlines() if isinstance(exc.stdout, bytes) else []
        pytest.fail(f"{python} took over {timeout:.0f} s; it stopped after: {done[-1:] or 'nothing'}")
    return result.stdout.splitlines()


def test_patterns_match_alike_on_an_older_python(tmp_path: Path) -> None:
    old = _old_python()
    if old is None:
        pytest.skip("no Python 3.11.0-3.11.4 on this machine (set L10N_OLD_PYTHON to one)")
    patterns = [(name, p.pattern, int(p.flags)) for name, p in _patterns() if _ops(p) & _AT_RISK]
    assert len(patterns) >= 3
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"patterns": patterns, "files": _inputs(), "texts": _fuzz(20261208, 3000)}))
    expected = _probe(sys.executable, spec, timeout=600)
    found = _probe(old, spec, timeout=600)
    assert len(expected) == len(found)
    pairs = zip(expected, found, strict=True)
    differences = [f"{want} | on {old}: {got.split(chr(9))[2:]}" for want, got in pairs if want != got]
    assert differences == [], f"{len(differences)} of {len(expected)} differ, first: {differences[:5]}"
