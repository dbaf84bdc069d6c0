"""Pseudo-translation (``l10n pseudo``): fake translations that show layout problems.

This module owns the pseudo-translation of one msgid. The result is still readable by
someone who knows the source, yet different in every way a real translation can be:

* every Latin letter that has an accented form gets a fixed one (``a`` to ``á``,
  ``c`` to ``ç``, ``n`` to ``ñ`` ...), so hard-coded or untranslated text stands out and
  fonts must carry accents;
* the text is about 35 % longer (30 to 40 % from ten characters up): vowels are repeated,
  spread evenly over the text (other letters when there are no vowels, a ``·`` filler
  when there are no letters), so words and lines grow as in German or Finnish;
* it is bracketed ``⟦…⟧`` (the brackets count in the growth), so truncated or
  concatenated strings are visible;
* placeholders stay exactly as they are and where they are; only the text between them
  changes, and is re-escaped, so the translation is always valid.

The output depends only on the msgid: running the command twice writes nothing.
"""

from __future__ import annotations

from . import placeholders as ph

OPEN, CLOSE = "\u27e6", "\u27e7"
GROWTH = 0.35
FILLER = "\u00b7"
_ACCENTED = str.maketrans(
    "abcdefghijklnoprstuwyzABCDEGHIJKLNORSTUWYZ",
    "áƀçđéƒĝĥíĵķļñóþŕšţúŵýžÁƁÇĐÉĜĤÍĴĶĻÑÓŔŠŢÚŴÝŽ",
)
_VOWELS = frozenset("aeiouyAEIOUY")


def _extra(length: int) -> int:
    """Characters to add to a text of *length* characters, the two brackets included."""
    return max(0, int(GROWTH * length + 0.5) - len(OPEN + CLOSE))


def _repeats(text: str, extra: int) -> dict[int, int]:
    """How many times to repeat each chosen character so that *extra* are added in all."""
    chosen = [i for i, char in enumerate(text) if char in _VOWELS] or [
        i for i, char in enumerate(text) if char.isalpha()
    ]
    if not chosen or not extra:
        return {}
    spread = len(chosen)
    return {index: (j + 1) * extra // spread - j * extra // spread for j, index in enumerate(chosen)}


def _transform(text: str, start: int, repeats: dict[int, int]) -> str:
    """Accent *text* (which starts at *start* in the whole unit's text) and grow it."""
    out: list[str] = []
    for offset, char in enumerate(text):
        accented = char.translate(_ACCENTED)
        lower = accented.lower()
        repeated = lower if len(lower) == 1 else accented  # "İ".lower() is two characters
        out.append(accented + repeated * repeats.get(start + offset, 0))
    return "".join(out)


def pseudo_translate(msgid: str) -> str:
    """The pseudo-translation of *msgid*: accented, ~35 % longer, ``⟦bracketed⟧``, with
    every placeholder kept in place. White space around the msgid stays outside."""
    stripped = msgid.lstrip()
    lead, core = msgid[: len(msgid) - len(stripped)], stripped.rstrip()
    trail = stripped[len(core) :]
    # PLACEHOLDER has four groups: split() gives text, 4 groups, text, 4 groups, ..., text.
    pieces = ph.PLACEHOLDER.split(core)
    step = ph.PLACEHOLDER.groups + 1
    texts = [ph.unescape_literal(piece) for piece in pieces[::step]]
    tokens = [match.group(0) for match in ph.PLACEHOLDER.finditer(core)]
    whole = "".join(texts)
    extra = _extra(len(whole))
    repeats = _repeats(whole, extra)
    filler = "" if repeats else FILLER * extra
    out: list[str] = [lead, OPEN]
    start = 0
    for index, text in enumerate(texts):
        out.append(ph.escape_literal(_transform(text, start, repeats)))
        start += len(text)
        if index < len(tokens):
            out.append(tokens[index])
    out.extend((filler, CLOSE, trail))
    return "".join(out)
