"""Lay out a :class:`polib.POFile` byte for byte as GNU gettext's ``msgcat`` writes it.

This module owns the PO *text layout*: comment order, flag normalisation, reference
packing, string escaping and line wrapping. It promises that for a catalogue it writes,
``msgcat FILE`` (default page width 79) prints exactly the same bytes, so files the tool
writes never churn when a translator or a build step passes them through gettext.

The reference is GNU gettext 0.21 linked with libunistring 1.0 (Debian 12), whose line
breaking implements Unicode 14. The parts of gettext reproduced here:

* ``write-po.c``: message order (active messages, then obsolete ones; an obsolete message
  whose first msgstr is empty is dropped), comment order, ``#,`` flag normalisation (fuzzy
  first, then the format flags in gettext's language order, ``range:``, ``no-wrap``;
  unknown flags dropped; ``fuzzy`` dropped while the msgstr is empty), ``#:`` packing,
  and ``wrap()``: escapes, the ``msgid ""`` first line when a string has an inner newline
  or does not fit, breaks after ``\\n``, no break inside a valid c-format, objc-format,
  python-format or python-brace-format directive (other languages' directives are not
  parsed, see below).
* libunistring ``ulc_width_linebreaks``: UAX #14 line breaking with the rules libunistring
  1.0 applies - mandatory breaks (LB4-LB6), spaces and ZW (LB7, LB8), ZWJ (LB8a),
  combining marks (LB9, LB10), the pair table for LB11-LB31 (including the East Asian
  width split of LB30 and the Extended_Pictographic rule of LB30b), Hebrew plus hyphen
  (LB21a) and regional-indicator pairs (LB30a). As in libunistring, complex-context
  scripts (SA: Thai, Lao, Khmer, Myanmar, ...) get no dictionary breaks and behave like
  letters, ambiguous characters (AI) behave like letters, CB like ideographs. Column
  widths follow ``uc_width``: East Asian wide and fullwidth characters take 2 columns,
  combining marks, format characters (ZWNJ, ZWJ, bidi controls) and Hangul medial and
  final jamo 0, other control characters are ignored.

Line-break classes come from :mod:`unicodedata` (general category, East Asian width,
Hangul structure) plus an exception table. With Python's Unicode 14 database (Python
3.11) this matches libunistring 1.0 for every code point, and the widths match too; both
were checked exhaustively against the library. On a Python with a newer Unicode
database, characters assigned after Unicode 14 are classified by the same rules, where
libunistring treats them as unassigned.

Known limits, where ``msgcat`` would print something else:

* the layout assumes the catalogue is written as UTF-8 (ASCII and single-byte charsets lay
  out the same; legacy CJK encodings such as EUC-JP or Big5 make gettext count ambiguous
  characters as wide);
* format directives of the other languages (``java-printf-format``, ``elisp-format``,
  ``javascript-format``, ...) are not parsed, so where gettext's parser for them marks a
  valid directive that contains a break opportunity (``%+d``, ``% d``) and the line ends
  just there, gettext keeps the directive whole and this module may split it;
* a translator comment that reads like a Solaris reference (``File: x, line: 3``) is read
  back by gettext as a reference;
* later gettext/libunistring releases (libunistring 1.2 implements Unicode 15.1 rules)
  break differently around quotation marks, hyphens and Brahmic scripts;
* for a catalogue with no message besides the header, msgcat prints nothing at all
  (unless given ``--force-po``), while :func:`dumps` still returns the header;
* gettext 0.21 does not know the isolates around a file name with spaces: it splits the
  name at its spaces, so it prints the reference back unchanged only while no other word
  of that entry's references repeats a piece of it (a second line of the same file does)
  and the line does not wrap inside it. gettext 0.22 and later read it whole.

Input gettext cannot hold raises :class:`~l10n.errors.CatalogError`, with a message
naming the entry: a NUL or an EOT (U+0004) in a string (NUL ends a C string; gettext
refuses EOT, the msgctxt separator of compiled catalogues), a NUL in a comment, a lone
surrogate anywhere (UTF-8 has none), a reference whose file name holds a tab, a line
break or an isolate (U+2068, U+2069), or ends in a backslash, and an entry other than
the header with an empty msgid and no msgctxt (gettext: "duplicate message definition").
The rest is written as gettext writes it, checked character by character against gettext
0.21 in tests/test_po_layout.py:

* strings: ``\\a \\b \\f \\n \\r \\t \\v`` escaped, every other C0 and C1 control, DEL, U+2028,
  U+2029 and the noncharacters written raw (msgfmt -c only warns about the escapes);
* a file name with spaces is enclosed in U+2068 ... U+2069, as gettext 0.22 and later
  write it; the isolates do not count in the line width;
* a comment line ending in a backslash gets a space after it: gettext's lexer joins a
  line ending in a backslash to the next one, comments too (gettext keeps that space,
  polib and our reader strip it; msgcat prints the line back unchanged);
* a comment is also split into lines at CR, VT, FF, U+001C-U+001E, U+0085, U+2028 and
  U+2029: gettext ends a comment line at LF only, but polib and our reader at each of
  these, which would leave them a line that is no PO syntax.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

import polib

from .errors import CatalogError

__all__ = ["PAGE_WIDTH", "dumps"]

#: The page width msgcat uses when no ``--width`` is given.
PAGE_WIDTH = 79

# Stands in for C's INT_MAX, the line width gettext uses for ``no-wrap`` messages.
_NO_WRAP_WIDTH = 2**31 - 1


# ---------------------------------------------------------------------------------------
# Line-break classes (UAX #14), numbered as libunistring 1.0 numbers them, so that the
# first 33 index the pair table below. AI, SA, XX and CB never appear: libunistring
# resolves them (to AL, AL, AL and ID) before applying any rule, and so does the
# classifier. CP2/OP2 are CP/OP with East Asian width F, W or H (LB30 treats them apart);
# ID2 is an unassigned Extended_Pictographic code point (LB30b lets EM follow it).
# ---------------------------------------------------------------------------------------

_CLASS_NAMES = (
    "WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP", "CP2", "EX", "IN", "NS", "OP", "OP2", "QU", "IS", "NU",
    "PO", "PR", "SY", "AL", "H2", "H3", "ID", "ID2", "JL", "JV", "JT", "HL", "RI", "ZWJ", "EB", "EM",
    "BK", "CR", "LF", "CM", "ZW", "SP",
)  # fmt: skip
_CLASS = {name: index for index, name in enumerate(_CLASS_NAMES)}
(_WJ, _GL, _B2, _BA, _BB, _HY, _CL, _CP, _CP2, _EX, _IN, _NS, _OP, _OP2, _QU, _IS, _NU, _PO, _PR, _SY, _AL,
 _H2, _H3, _ID, _ID2, _JL, _JV, _JT, _HL, _RI, _ZWJ, _EB, _EM, _BK, _CR, _LF, _CM, _ZW, _SP) = range(39)  # fmt: skip
# Not a class: the state "Hebrew letter followed by HY or BA", for LB21a.
_HL_BA = 39

# The pair table of UAX #14 (LB11-LB31) as libunistring 1.0 applies it: row = class
# before the opportunity (ignoring spaces), column = class after it. D: break; I: break
# only if spaces intervene; P: no break, even across spaces.
_PAIR_ROWS = (
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # WJ
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # GL
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # B2
    "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # BA
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # BB
    "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",  # HY
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD",  # CL
    "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",  # CP
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD",  # CP2
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # EX
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # IN
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # NS
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP2
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII",  # QU
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",  # IS
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # NU
    "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",  # PO
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII",  # PR
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",  # SY
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # AL
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",  # H2
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",  # H3
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",  # ID
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",  # ID2
    "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",  # JL
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",  # JV
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",  # JT
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # HL
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # RI
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII",  # ZWJ
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",  # EB
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",  # EM
)

# Code points whose class the general rules in _rule_class get wrong: mostly punctuation
# and symbols (whose class UAX #14 assigns one by one) and emoji (ID or AL regardless of
# East Asian width). Hexadecimal code points and ranges, grouped by class.
_EXCEPTIONS = """
BA: 9 7C AD 58A 5BE 964-965 E5A-E5B F0B F34 F7F F85 FBE-FBF FD2 104A-104B
    1361 1400 16EB-16ED 1735-1736 17D4-17D5 17D8 17DA 1804-1805 1B5A-1B5B
    1B5D-1B60 1B7D-1B7E 1C3B-1C3F 1C7E-1C7F 2010 2012-2013 2027 2056
    2058-205B 205D-205E 2CFA-2CFC 2CFF 2D70 2E0E-2E15 2E17 2E19 2E2A-2E2D
    2E30-2E31 2E33-2E34 2E3C-2E3E 2E40-2E41 2E43-2E4A 2E4C 2E4E-2E4F 2E5D
    A4FE-A4FF A60D A60F A6F3-A6F7 A8CE-A8CF A92E-A92F A9C7-A9C9 AA5D-AA5F
    AAF0-AAF1 ABEB 10100-10102 1039F 103D0 10857 1091F 10A50-10A57
    10AF0-10AF5 10B39-10B3F 10EAD 11047-11048 110BE-110C1 11140-11143
    111C5-111C6 111C8 111DD-111DF 11238-11239 1123B-1123C 112A9
    1144B-1144E 1145A-1145B 115C2-115C3 115C9-115D7 11641-11642
    1173C-1173E 11944-11946 11A41-11A44 11A9A-11A9C 11AA1-11AA2
    11C41-11C45 11FFF 12470-12474 16A6E-16A6F 16AF5 16B37-16B39 16B44
    16E97-16E98 1BC9F 1DA87-1DA8A
AL: 600-605 6DD 70F 890-891 8E2 2061-2064 23E9-23EC 25FD-25FE 2648-2653
    2693 26A1 26AA-26AB 26CE 2705 2728 274C 274E 2753-2755 2757 2795-2797
    27B0 27BF 2B1B-2B1C 2B50 2B55 110BD 110CD 18B00-18CD5 1AFF0-1AFF3
    1AFF5-1AFFB 1AFFD-1AFFE 1F110-1F16C 1F170-1F1AC 1F39C-1F39D
    1F3B5-1F3B6 1F3BC 1F4A0 1F4A2 1F4A4 1F4AF 1F4B1-1F4B2 1F500-1F506
    1F517-1F524 1F532-1F549 1F5D4-1F5DB 1F5F4-1F5F9 1F650-1F675
    1F67C-1F67F 1F700-1F773 1F780-1F7D4 1F800-1F80B 1F810-1F847
    1F850-1F859 1F860-1F887 1F890-1F8AD 1F900-1F90B 1FA00-1FA53 1FB93
    1FBCB-1FBEF 1FBFA-1FBFF
EB: 261D 26F9 270A-270D 1F385 1F3C2-1F3C4 1F3C7 1F3CA-1F3CC 1F442-1F443
    1F446-1F450 1F466-1F478 1F47C 1F481-1F483 1F485-1F487 1F48F 1F491
    1F4AA 1F574-1F575 1F57A 1F590 1F595-1F596 1F645-1F647 1F64B-1F64F
    1F6A3 1F6B4-1F6B6 1F6C0 1F6CC 1F90C 1F90F 1F918-1F91F 1F926
    1F930-1F939 1F93C-1F93E 1F977 1F9B5-1F9B6 1F9B8-1F9B9 1F9BB
    1F9CD-1F9CF 1F9D1-1F9DD 1FAC3-1FAC5 1FAF0-1FAF6
EX: 21 3F 5C6 61B 61D-61F 6D4 7F9 F0D-F11 F14 1802-1803 1808-1809
    1944-1945 2762-2763 2CF9 2CFE 2E2E 2E53-2E54 A60E A876-A877 FE15-FE16
    FE56-FE57 FF01 FF1F 115C4-115C5 11C71
BB: B4 2C8 2CC 2DF C77 C84 F01-F04 F06-F07 F09-F0A FD0-FD1 FD3 1806 1FFD
    A874-A875 A8FC 11175 111DB 115C1 11660-1166C 119E2 11A3F 11A45
    11A9E-11AA0 11C70
PO: 25 A2 B0 609-60B 66A 9F2-9F3 9F9 D79 2030-2037 20A7 20B6 20BB 20BE
    20C0 2103 2109 A838 FDFC FE6A FF05 FFE0 11FDD-11FE0 1ECAC 1ECB0
ID: 23F1-23F2 2600-2603 2618 261A-261C 261E-261F 2639-263B 2668 26BF-26C3
    26C6-26C8 26CD 26CF-26D1 26D3 26D8-26D9 26DC 26DF-26E1 26F1 26F4
    26F7-26F8 26FE-2704 2708-2709 2764 303F FFFC
NS: 17D6 203C-203D 2047-2049 3005 301C 303B-303C 309B-309E 30A0 30FB-30FE
    A015 FE54-FE55 FF1A-FF1B FF65 FF70 FF9E-FF9F 16FE0-16FE3 1B150-1B152
    1B164-1B167 1F679-1F67B
CL: 3001-3002 FE11-FE12 FE50 FE52 FF0C FF0E FF61 FF64 1325B-1325D 13282
    13287 13289 1337A-1337B 13438 145CF
GL: A0 34F 35C-362 F08 F0C F12 FD9-FDA 180E 2007 2011 202F 13430-13436
    16FE4
IS: 2C 2E 3A-3B 37E 589 60C-60D 7F8 2044 FE10 FE13-FE14
OP: A1 BF 2E18 13258-1325A 13286 13288 13379 13437 145CE 1E95E-1E95F
QU: 22 27 275B-2760 2E00-2E01 2E06-2E08 2E0B 1F676-1F678
PR: 2B 5C B1 20C1-20CF 2116 2212-2213
IN: 2024-2026 22EF FE19 10AF6
B2: 2014 2E3A-2E3B
BK: B-C 85
CM: 1A7F 3035
CP: 29 5D
WJ: 2060 FEFF
CR: D
HY: 2D
LF: A
NU: 66B-66C
SP: 20
SY: 2F
ZW: 200B
ZWJ: 200D
"""


def _parse_exceptions(text: str) -> dict[int, int]:
    table: dict[int, int] = {}
    current = _AL
    for block in text.strip().split("\n"):
        name, sep, items = block.partition(":")
        if sep:
            current = _CLASS[name.strip()]
        else:
            items = block
        for item in items.split():
            first, _, last = item.partition("-")
            for code in range(int(first, 16), int(last or first, 16) + 1):
                table[code] = current
    return table


_EXCEPTION_CLASS = _parse_exceptions(_EXCEPTIONS)

# Scripts of class SA (complex context): libunistring does no dictionary breaking, so
# their letters and marks behave as AL (no break inside a run of them).
_SA_BLOCKS = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x1950, 0x19DF),
    (0x1A20, 0x1AAF), (0xA9E0, 0xA9FF), (0xAA60, 0xAADF), (0x11700, 0x1174F),
)  # fmt: skip
# Unassigned code points that UAX #14 already classes as ideographs.
_IDEOGRAPHIC_RESERVED = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD))
# Unassigned code points uc_width counts as 2 columns (whole CJK blocks and planes).
_WIDE_RESERVED = (
    (0x2E80, 0x303E), (0x3040, 0xA4CF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F), (0xFF00, 0xFF60), (0x1F200, 0x1F2FF), (0x20000, 0x3FFFF),
)  # fmt: skip
# Combining marks that uc_width nevertheless counts as one column.
_SPACING_MARKS = frozenset({0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F})


def _within(code: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(first <= code <= last for first, last in ranges)


def _rule_class(code: int) -> int:
    """The line-break class the general rules give; _EXCEPTION_CLASS corrects them."""
    if 0xAC00 <= code <= 0xD7A3:
        # Hangul syllables: LV (H2) when there is no final consonant, else LVT (H3).
        return _H2 if (code - 0xAC00) % 28 == 0 else _H3
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return _JL
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return _JV
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return _JT
    if 0x1F1E6 <= code <= 0x1F1FF:
        return _RI
    if 0x1F3FB <= code <= 0x1F3FF:
        return _EM
    char = chr(code)
    category = unicodedata.category(char)
    if category == "Cn":
        # Decided before East Asian width, which CPython reports as "F" for unassigned
        # code points.
        if 0x1F000 <= code <= 0x1FFFD:
            return _ID2
        return _ID if _within(code, _IDEOGRAPHIC_RESERVED) else _AL
    east_asian = unicodedata.east_asian_width(char)
    wide = east_asian in ("W", "F")
    if category in ("Cc", "Cf"):
        return _CM
    if category == "Zs":
        return _BA
    if category in ("Zl", "Zp"):
        return _BK
    if category == "Nd":
        return _ID if wide else _NU
    if category[0] in "LM" and _within(code, _SA_BLOCKS):
        return _AL
    if category[0] == "M":
        return _CM
    if category == "Ps":
        return _OP2 if wide or east_asian == "H" else _OP
    if category == "Pe":
        return _CL
    if category in ("Pi", "Pf"):
        return _QU
    if category == "Sc":
        return _PR
    if category == "Lo" and (0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F):
        return _HL
    if category == "So" and 0x1F000 <= code <= 0x1FAFF:
        return _ID
    if (
        category[0] == "L"
        and (0x3040 <= code <= 0x31FF or 0xFF65 <= code <= 0xFF9F)
        and "SMALL" in unicodedata.name(char, "")
    ):
        # Small kana are conditional Japanese starters (CJ), which libunistring treats
        # as non-starters: no break before them.
        return _NS
    if wide or (east_asian == "H" and category == "Lo"):
        return _ID
    return _AL


@lru_cache(maxsize=1 << 16)
def _break_class(code: int) -> int:
    exception = _EXCEPTION_CLASS.get(code)
    return exception if exception is not None else _rule_class(code)


@lru_cache(maxsize=1 << 16)
def _column_width(code: int) -> int:
    """Columns the character takes, as libunistring's uc_width; -1 for control characters."""
    if code == 0:
        return 0
    if code < 0x20 or 0x7F <= code < 0xA0:
        return -1
    char = chr(code)
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf"):
        return 1 if code in _SPACING_MARKS else 0
    if category == "Cn":
        return 2 if _within(code, _WIDE_RESERVED) else 1
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
        # Medial vowels and final consonants join the preceding leading consonant.
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


# ---------------------------------------------------------------------------------------
# Line breaking: libunistring's possible line breaks and the width-driven choice among
# them. Break values are those of <unilbrk.h>.
# ---------------------------------------------------------------------------------------

_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY, _CR_BEFORE_LF = 0, 1, 2, 3, 5


# The pair table as numbers: _PAIR[before][after] is 0 (P), 1 (I) or 2 (D).
_PAIR = tuple(tuple("PID".index(rule) for rule in row) for row in _PAIR_ROWS)


def _possible_breaks(text: Sequence[str]) -> list[int]:
    """Break opportunity before each character (u8_possible_linebreaks_v2)."""
    result: list[int] = []
    prev_class = _BK  # class of the previous character (for LB8a and LB21a)
    last_class = _BK  # class of the last character that is not a space, CM or ZWJ
    seen_space = False
    ri_count = 0
    for char in text:
        cls = _break_class(ord(char))
        if cls == _SP:
            brk = _PROHIBITED  # LB7
            seen_space = True
        elif cls < _BK and cls != _ZWJ:
            # A class of the pair table.
            if last_class == _BK:
                brk = _PROHIBITED  # LB4-LB6: not at the start of a line
            elif last_class == _ZW:
                brk = _POSSIBLE  # LB8
            elif prev_class == _ZWJ:
                brk = _PROHIBITED  # LB8a
            elif last_class == _RI and cls == _RI:
                # LB30a: break between regional indicators only after an even count.
                brk = _POSSIBLE if seen_space or ri_count % 2 == 0 else _PROHIBITED
            elif prev_class == _HL_BA:
                brk = _PROHIBITED  # LB21a
            else:
                pair = _PAIR[last_class][cls]
                brk = _POSSIBLE if pair == 2 or (pair == 1 and seen_space) else _PROHIBITED
            last_class = cls
            seen_space = False
        elif cls in (_CM, _ZWJ):
            if last_class == _BK:
                # At the start of a line (LB4-LB6), a mark stands alone as AL (LB10).
                brk = _PROHIBITED
                last_class = _AL
                seen_space = False
            elif last_class == _ZW or seen_space:
                # LB8, LB18: break after ZW or spaces; the mark then acts as AL (LB10).
                brk = _POSSIBLE
                last_class = _AL
                seen_space = False
            else:
                brk = _PROHIBITED  # LB9: X CM* behaves as X.
        elif cls == _ZW:
            brk = _PROHIBITED  # LB7
            last_class = _ZW
            seen_space = False
        else:
            # BK, CR, LF (LB4-LB6): a mandatory break after the line break character.
            brk = _MANDATORY
            if prev_class == _CR and cls == _LF:
                result[-1] = _CR_BEFORE_LF
            last_class = _BK
            seen_space = False
        prev_class = _HL_BA if prev_class == _HL and cls in (_HY, _BA) else cls
        ri_count = ri_count + 1 if cls == _RI else 0
        result.append(brk)
    return result


def _chosen_breaks(
    possible: Sequence[int], overrides: Sequence[int], widths: Sequence[int], width: int, start_column: int
) -> list[bool]:
    """Where ulc_width_linebreaks puts line breaks: before each character, yes or no.

    ``possible`` comes from _possible_breaks, ``overrides`` replace it where defined, and
    ``widths`` are the characters' columns. A line is broken at the last opportunity before
    the text passes ``width`` columns; a piece wider than a line stays whole and overflows.
    """
    chosen = [False] * len(possible)
    last_opportunity = -1
    last_column = start_column
    piece_width = 0
    for index, brk in enumerate(possible):
        override = overrides[index]
        if override != _UNDEFINED:
            brk = override
        if brk in (_POSSIBLE, _MANDATORY, _CR_BEFORE_LF) and (
            last_opportunity >= 0 and last_column + piece_width > width
        ):
            chosen[last_opportunity] = True
            last_column = 0
        if brk in (_MANDATORY, _CR_BEFORE_LF):
            last_opportunity = -1
            last_column = 0
            piece_width = 0
        else:
            if brk == _POSSIBLE:
                last_opportunity = index
                last_column += piece_width
                piece_width = 0
            columns = widths[index]
            if columns >= 0:
                piece_width += columns
    if last_opportunity >= 0 and last_column + piece_width > width:
        chosen[last_opportunity] = True
    return chosen


# ---------------------------------------------------------------------------------------
# The same choice, computed lazily. A line break only depends on the break opportunities
# near the end of each line, while the functions above classify every character in
# Python, which made them the bulk of dumps(). Unless the text has a class whose rule
# counts or remembers further back (BK, CR, LF, RI, HL), whether a break is possible
# before a character follows from the characters just before it, so only a few
# characters a line are looked at.
# ---------------------------------------------------------------------------------------

# Classes whose rules need the whole state machine of _possible_breaks: mandatory breaks
# (LB4-LB6), Hebrew letter + hyphen (LB21a), regional-indicator pairs (LB30a).
_STATEFUL_CLASSES = frozenset({_BK, _CR, _LF, _RI, _HL})
_MARKS = (_CM, _ZWJ)
# Break class and column width by character, filled as characters are met (a dict lookup
# by the character is much cheaper than ord() and an lru_cache call). Widths are at
# least 0: _chosen_breaks ignores the -1 of control characters.
_CHAR_CLASS = {chr(code): _break_class(code) for code in range(0x20, 0x7F)}
_CHAR_WIDTH = dict.fromkeys(_CHAR_CLASS, 1)
# Characters other than printable ASCII: those the fast path must look up.
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")


def _class_of(char: str) -> int:
    cls = _CHAR_CLASS.get(char)
    if cls is None:
        cls = _CHAR_CLASS[char] = _break_class(ord(char))
    return cls


def _width_of(char: str) -> int:
    width = _CHAR_WIDTH.get(char)
    if width is None:
        width = _CHAR_WIDTH[char] = max(_column_width(ord(char)), 0)
    return width


class _Portion:
    """Escaped text laid out between quotes, and the lines ulc_width_linebreaks gives it."""

    def __init__(self, text: str, prohibited: set[int]) -> None:
        self.text = text
        # Indices before which a break is prohibited whatever the text (escape sequences,
        # format directives).
        self.prohibited = prohibited
        # Whether the lazy search applies, and the running column sums it needs (None
        # when every character takes one column, so that sums are just lengths).
        self.lazy = True
        self.columns: list[int] | None = None
        self._possible: list[int] | None = None
        if text.isascii() and text.isprintable():
            return
        one_column = True
        for char in set(_NOT_PRINTABLE_ASCII.findall(text)):
            if _class_of(char) in _STATEFUL_CLASSES:
                self.lazy = False
                return
            if _width_of(char) != 1:
                one_column = False
        if not one_column:
            self.columns = list(accumulate((_CHAR_WIDTH[char] for char in text), initial=0))

    def breaks(self, width: int, start_column: int) -> list[int]:
        """Indices of the characters that start a new line, as _chosen_breaks puts them."""
        if not self.lazy:
            return self._exact_breaks(width, start_column)
        text = self.text
        columns = self.columns
        breaks: list[int] = []
        start = 0
        column = start_column
        while True:
            # The first character that passes the width; the line then ends at the last
            # opportunity up to it, or, if the piece from the line start is too wide,
            # at the first one after it (_chosen_breaks, unrolled).
            if columns is None:
                overflow = start + max(width - column, 0)
            else:
                overflow = bisect_right(columns, width - column + columns[start], start + 1) - 1
            if overflow >= len(text):
                return breaks
            found = self._first_opportunity(range(overflow, start, -1))
            if found < 0:
                found = self._first_opportunity(range(overflow + 1, len(text)))
                if found < 0:
                    return breaks
            breaks.append(found)
            start = found
            column = 0

    def _first_opportunity(self, indices: range) -> int:
        """The first of ``indices`` before which a break is possible, or -1.

        That is a possible break of _possible_breaks that is not prohibited. Without the
        stateful classes, the state it depends on is the last character that is not a
        space (resolving marks, LB9-LB10) and whether spaces follow it.
        """
        text = self.text
        for index in indices:
            char = text[index]
            cls = _CHAR_CLASS[char]
            if cls in (_SP, _ZW) or index in self.prohibited:
                continue  # LB7
            before = index - 1
            while before >= 0 and text[before] == " ":
                before -= 1
            if before < 0:
                continue  # LB4-LB6: nothing but spaces before it.
            spaced = before < index - 1
            last = _CHAR_CLASS[text[before]]
            if last == _ZW or (cls in _MARKS and spaced):
                return index  # LB8; LB18 before a mark, which then stands alone (LB10).
            if cls in _MARKS or (last == _ZWJ and not spaced):
                continue  # LB9, LB8a
            if last in _MARKS:
                # X CM* is X (LB9); marks after a space, ZW or the start are AL (LB10).
                mark = before
                while mark >= 0 and _CHAR_CLASS[text[mark]] in _MARKS:
                    mark -= 1
                last = _CHAR_CLASS[text[mark]] if mark >= 0 else _AL
                if last in (_SP, _ZW):
                    last = _AL
            rule = _PAIR[last][cls]
            if rule == 2 or (rule == 1 and spaced):
                return index
        return -1

    def _exact_breaks(self, width: int, start_column: int) -> list[int]:
        text = self.text
        if self._possible is None:
            self._possible = _possible_breaks(text)
        overrides = [_PROHIBITED if index in self.prohibited else _UNDEFINED for index in range(len(text))]
        widths = [_column_width(ord(char)) for char in text]
        chosen = _chosen_breaks(self._possible, overrides, widths, width, start_column)
        return [index for index, brk in enumerate(chosen) if brk]


# ---------------------------------------------------------------------------------------
# Format directives. gettext forbids a break inside a valid directive (but not before
# it) for the first format language the message is flagged with. Directive extents are
# marked over the UTF-8 bytes as gettext's parsers mark them, quirks included.
# ---------------------------------------------------------------------------------------

_DIR_START, _DIR_END, _DIR_ERROR = 1, 2, 4
_DIGITS = b"0123456789"


def _skip_argument_number(data: bytes, index: int, marks: dict[int, int]) -> tuple[int, bool] | None:
    """Skip a ``N$`` argument position at *index*: (the index after it, whether there was
    one). None when N is 0, which gettext rejects: its ``$`` is then marked an error."""
    probe = index
    value = 0
    while _isdigit(data, probe):
        value = value * 10 + data[probe] - ord("0")
        probe += 1
    if probe == index or _at(data, probe) != ord("$"):
        return index, False
    if value == 0:
        marks[probe] = _DIR_ERROR
        return None
    return probe + 1, True


def _isdigit(data: bytes, index: int) -> bool:
    return index < len(data) and data[index] in _DIGITS


def _at(data: bytes, index: int) -> int:
    """The byte at ``index``, or 0 past the end (C strings end in NUL)."""
    return data[index] if index < len(data) else 0


def _c_directives(data: bytes, translated: bool, objc: bool = False) -> dict[int, int]:
    """Directive marks of gettext's c-format (or objc-format) parser (format-c-parse.h, 0.21)."""
    marks: dict[int, int] = {}
    index = 0
    numbered = False
    unnumbered = False
    while index < len(data):
        byte = data[index]
        index += 1
        if byte != ord("%"):
            continue
        marks[index - 1] = _DIR_START
        if _at(data, index) != ord("%"):
            skipped = _skip_argument_number(data, index, marks)
            if skipped is None:
                return marks
            index, number_here = skipped
            flags = b" +-#0'" + (b"I" if translated else b"")
            while _at(data, index) != 0 and _at(data, index) in flags:
                index += 1
            for part in ("width", "precision"):
                if part == "precision":
                    if _at(data, index) != ord("."):
                        break
                    index += 1
                if _at(data, index) == ord("*"):
                    index += 1
                    skipped = _skip_argument_number(data, index, marks)
                    if skipped is None:
                        return marks
                    index, star_numbered = skipped
                    if star_numbered:
                        if unnumbered:
                            marks[index - 1] = _DIR_ERROR
                            return marks
                        numbered = True
                    else:
                        if numbered:
                            marks[index - 1] = _DIR_ERROR
                            return marks
                        unnumbered = True
                else:
                    while _isdigit(data, index):
                        index += 1
            if _at(data, index) == ord("<"):
                end = _c_sysdep_end(data, index)
                if end < 0:
                    marks[-end] = _DIR_ERROR
                    return marks
                index = end
                conversion = ord("d")  # <PRId64> and friends take an integer argument.
            else:
                while _at(data, index) != 0 and _at(data, index) in b"hlLqjzZt":
                    index += 1
                conversion = _at(data, index)
                if conversion == 0:
                    marks[index - 1] = _DIR_ERROR
                    return marks
                if conversion not in (b"diouxXeEfFgGaAcCsSpnm%@" if objc else b"diouxXeEfFgGaAcCsSpnm%"):
                    marks[index] = _DIR_ERROR
                    return marks
            if conversion in b"%m":
                pass  # These take no argument, so they neither number nor count.
            elif number_here:
                if unnumbered:
                    marks[index] = _DIR_ERROR
                    return marks
                numbered = True
            else:
                if numbered:
                    marks[index] = _DIR_ERROR
                    return marks
                unnumbered = True
        marks[index] = _DIR_END
        index += 1
    return marks


def _c_sysdep_end(data: bytes, index: int) -> int:
    """Index of the last byte of an ``<PRI...>`` directive at ``index``, or -(error index)."""
    index += 1
    if data[index : index + 3] != b"PRI":
        return -index
    index += 3
    if _at(data, index) == 0 or _at(data, index) not in b"diouxX":
        return -index
    index += 1
    for word in (b"LEAST", b"FAST", b"MAX", b"PTR", b""):
        if data[index : index + len(word)] == word:
            index += len(word)
            if word in (b"MAX", b"PTR"):
                break
            for size in (b"8", b"16", b"32", b"64"):
                if data[index : index + len(size)] == size:
                    index += len(size)
                    break
            else:
                return -index
            break
    if _at(data, index) != ord(">"):
        return -index
    return index


def _python_directives(data: bytes) -> dict[int, int]:
    """Directive marks of gettext's python-format parser (format-python.c)."""
    marks: dict[int, int] = {}
    index = 0
    named = False
    unnamed = False
    while index < len(data):
        byte = data[index]
        index += 1
        if byte != ord("%"):
            continue
        marks[index - 1] = _DIR_START
        has_name = False
        if _at(data, index) == ord("("):
            depth = 0
            index += 1
            while index < len(data):
                if data[index] == ord("("):
                    depth += 1
                elif data[index] == ord(")"):
                    if depth == 0:
                        break
                    depth -= 1
                index += 1
            if index >= len(data):
                marks[index - 1] = _DIR_ERROR
                return marks
            index += 1
            has_name = True
        while _at(data, index) != 0 and _at(data, index) in b"-+ #0":
            index += 1
        for part in ("width", "precision"):
            if part == "precision":
                if _at(data, index) != ord("."):
                    break
                index += 1
            if _at(data, index) == ord("*"):
                index += 1
                if named:
                    marks[index - 1] = _DIR_ERROR
                    return marks
                unnamed = True
            else:
                while _isdigit(data, index):
                    index += 1
        if _at(data, index) != 0 and _at(data, index) in b"hlL":
            index += 1
        conversion = _at(data, index)
        if conversion == 0:
            marks[index - 1] = _DIR_ERROR
            return marks
        if conversion not in b"%csridouxXeEfgG":
            marks[index] = _DIR_ERROR
            return marks
        if has_name:
            if unnamed:
                marks[index] = _DIR_ERROR
                return marks
            named = True
        elif conversion != ord("%"):
            if named:
                marks[index] = _DIR_ERROR
                return marks
            unnamed = True
        marks[index] = _DIR_END
        index += 1
    return marks


def _python_brace_directives(data: bytes) -> dict[int, int]:
    """Directive marks of gettext's python-brace-format parser (format-python-brace.c).

    That parser records marks relative to the start of each directive instead of the
    start of the string, so they land near the beginning of the string; reproduced here.
    """
    marks: dict[int, int] = {}
    index = 0
    while index < len(data):
        if data[index] != ord("{"):
            index += 1
            continue
        end = _brace_directive(data, index, True, marks)
        if end < 0:
            return marks
        index = end
    return marks


_IDENTIFIER_START = frozenset(b"_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_IDENTIFIER_PART = _IDENTIFIER_START | frozenset(_DIGITS)


def _brace_field(data: bytes, index: int, numeric: bool) -> int:
    """End of the ASCII identifier (or, if ``numeric``, digit run) at ``index``, or -1."""
    if _at(data, index) in _IDENTIFIER_START:
        while _at(data, index) in _IDENTIFIER_PART:
            index += 1
        return index
    if numeric and _isdigit(data, index):
        while _isdigit(data, index):
            index += 1
        return index
    return -1


def _brace_directive(data: bytes, start: int, toplevel: bool, marks: dict[int, int]) -> int:
    """Parse the directive whose ``{`` is at ``start``; return the index after it, or -1."""

    def mark(index: int, value: int) -> None:
        marks[index - start] = marks.get(index - start, 0) | value

    index = start + 1
    if _at(data, index) == ord("{"):
        return index + 1
    name_start = index
    index = _brace_field(data, index, True)
    if index < 0:
        mark(name_start, _DIR_ERROR)
        return -1
    while True:
        byte = _at(data, index)
        if byte == ord("."):
            after = _brace_field(data, index + 1, False)
            if after < 0:
                mark(index + 1, _DIR_ERROR)
                return -1
            index = after
        elif byte == ord("["):
            after = _brace_field(data, index + 1, True)
            if after < 0:
                mark(index + 1, _DIR_ERROR)
                return -1
            if _at(data, after) != ord("]"):
                # gettext 0.21 marks this error one byte further on.
                mark(after + 1, _DIR_ERROR)
                return -1
            index = after + 1
        else:
            break
    if _at(data, index) == ord(":"):
        if not toplevel:
            mark(index, _DIR_ERROR)
            return -1
        index += 1
        if _at(data, index) == ord("{"):
            index = _brace_directive(data, index, False, marks)
            if index < 0:
                return -1
        else:
            if _at(data, index) == 0:
                mark(index, _DIR_ERROR)
                return -1
            if _at(data, index + 1) != 0 and _at(data, index + 1) in b"<>=^":
                index += 2
            elif _at(data, index) in b"<>=^":
                index += 1
            if _at(data, index) != 0 and _at(data, index) in b"+- ":
                index += 1
            if _at(data, index) == ord("#"):
                index += 1
            if _at(data, index) == ord("0"):
                index += 1
            while _isdigit(data, index):
                index += 1
            if _at(data, index) == ord("."):
                # gettext 0.21 takes the dot even when no digits follow.
                index += 1
                while _isdigit(data, index):
                    index += 1
            if _at(data, index) != 0 and _at(data, index) in b"bcdoxXneEfFgG%":
                index += 1
    if _at(data, index) != ord("}"):
        mark(index, _DIR_ERROR)
        return -1
    if toplevel:
        mark(name_start - 1, _DIR_START)
        mark(index, _DIR_END)
    return index + 1


def _no_break_inside(value: str, language: str, translated: bool) -> list[bool]:
    """For each character of ``value``: True if it is inside a valid directive, after its start."""
    data = value.encode("utf-8")
    if language in ("c", "objc"):
        marks = _c_directives(data, translated, objc=language == "objc")
    elif language == "python":
        marks = _python_directives(data)
    else:
        marks = _python_brace_directives(data)
    # As write-po.c: a START opens a directive up to the next END (valid) or ERROR.
    valid = [False] * len(data)
    index = 0
    while index < len(data):
        if marks.get(index, 0) & _DIR_START:
            close = index
            while close < len(data) and not marks.get(close, 0) & (_DIR_END | _DIR_ERROR):
                close += 1
            if close == len(data):
                break
            if not marks[close] & _DIR_ERROR:
                for inside in range(index, close + 1):
                    valid[inside] = True
            index = close + 1
        else:
            index += 1
    result: list[bool] = []
    offset = 0
    for char in value:
        result.append(valid[offset] and not marks.get(offset, 0) & _DIR_START)
        offset += len(char.encode("utf-8"))
    return result


# ---------------------------------------------------------------------------------------
# Flags, as gettext parses them (po_parse_comment_special) and prints them back.
# ---------------------------------------------------------------------------------------

# gettext 0.21's format languages, in the order it prints their flags.
_FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme", "lisp",
    "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde",
    "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip
_LANGUAGE_ORDER = {language: index for index, language in enumerate(_FORMAT_LANGUAGES)}
_PARSED_LANGUAGES = ("c", "objc", "python", "python-brace")
_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")


# Immutable, so that a parse can be shared by every message with the same flags.
@dataclass(frozen=True)
class _Flags:
    fuzzy: bool = False
    # (format language, "yes", "no", "possible" or "impossible"), in gettext's order.
    formats: tuple[tuple[str, str], ...] = ()
    range: tuple[int, int] | None = None
    wrap: bool = True


def _parse_flags(flags: Iterable[str]) -> _Flags:
    return _parsed_flags(", ".join(flags))


# Catalogues repeat a few flag combinations over and over.
@lru_cache(maxsize=256)
def _parsed_flags(text: str) -> _Flags:
    fuzzy = False
    formats: dict[str, str] = {}
    bounds: tuple[int, int] | None = None
    wrap = True
    tokens = [token for token in _FLAG_SEPARATORS.split(text) if token]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "fuzzy":
            fuzzy = True
        elif token.endswith("-format") and _format_flag(formats, token[: -len("-format")]):
            pass
        elif token == "range:":
            # The bounds are the next token; gettext consumes it even when it is malformed.
            if index < len(tokens):
                parsed = _parse_range(tokens[index])
                index += 1
                if parsed is not None:
                    bounds = parsed
        elif token == "wrap":
            wrap = True
        elif token == "no-wrap":
            wrap = False
        # Anything else (syntax-check flags, flags of other tools) is dropped, as gettext does.
    ordered = tuple(sorted(formats.items(), key=lambda item: _LANGUAGE_ORDER[item[0]]))
    return _Flags(fuzzy=fuzzy, formats=ordered, range=bounds, wrap=wrap)


def _format_flag(formats: dict[str, str], stem: str) -> bool:
    value = "yes"
    for prefix, meaning in (("no-", "no"), ("possible-", "possible"), ("impossible-", "impossible")):
        if stem.startswith(prefix):
            stem = stem[len(prefix) :]
            value = meaning
            break
    if stem not in _LANGUAGE_ORDER:
        return False
    formats[stem] = value
    return True


def _parse_range(token: str) -> tuple[int, int] | None:
    low, dots, high = token.partition("..")
    low_digits = _leading_digits(low)
    high_digits = _leading_digits(high)
    if not dots or not low_digits or low_digits != low or not high_digits:
        return None
    limit = 2**31 - 1
    low_value = min(int(low_digits), limit)
    high_value = min(int(high_digits), limit)
    return (low_value, high_value) if low_value <= high_value else None


def _leading_digits(text: str) -> str:
    end = 0
    while end < len(text) and text[end] in "0123456789":
        end += 1
    return text[:end]


def _flags_line(flags: _Flags, first_msgstr: str) -> str | None:
    words: list[str] = []
    # gettext drops "fuzzy" while there is no translation.
    if flags.fuzzy and first_msgstr:
        words.append("fuzzy")
    for language, value in flags.formats:
        if value in ("yes", "possible"):
            words.append(f"{language}-format")
        elif value == "no":
            words.append(f"no-{language}-format")
    if flags.range is not None:
        words.append(f"range: {flags.range[0]}..{flags.range[1]}")
    if not flags.wrap:
        words.append("no-wrap")
    return "#, " + ", ".join(words) if words else None


def _directive_language(flags: _Flags) -> str | None:
    for language, value in flags.formats:
        if value in ("yes", "possible"):
            return language
    return None


# ---------------------------------------------------------------------------------------
# Strings: escaping and write-po.c's wrap().
# ---------------------------------------------------------------------------------------

_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}
_ESCAPE_TABLE = str.maketrans({char: "\\" + letter for char, letter in {**_ESCAPES, "\\": "\\", '"': '"'}.items()})
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')


def _escaped(segment: str, no_break: Sequence[bool] | None) -> _Portion:
    """``segment`` as written between quotes, with the breaks its escapes and directives forbid.

    ``no_break`` marks the characters inside a format directive (None: there are none).
    """
    body = segment[:-1] if segment.endswith("\n") else segment
    prohibited: set[int] = set()
    if no_break is None or not any(no_break):
        # The common case: no directive to protect, so only escapes matter (searched
        # first: translate() is slow on non-ASCII text, and most strings need none).
        text = body
        if _NEEDS_ESCAPE.search(body):
            text = body.translate(_ESCAPE_TABLE)
            # No break between a backslash and the escaped character, which lands one
            # place further on for every escape before it.
            prohibited.update(match.start() + count + 1 for count, match in enumerate(_NEEDS_ESCAPE.finditer(body)))
    else:
        parts: list[str] = []
        length = 0
        # no_break also covers the final newline, whose breaks are settled below.
        for char, inside_directive in zip(body, no_break, strict=False):
            if inside_directive:
                prohibited.add(length)
            escape = _ESCAPE_TABLE.get(ord(char))
            if escape is not None:
                prohibited.add(length + 1)
                parts.append(escape)
                length += 2
            else:
                parts.append(char)
                length += 1
        text = "".join(parts)
    if len(body) < len(segment):
        # Never break inside a final "\n", nor just before it.
        prohibited.update((len(text), len(text) + 1))
        text += "\\n"
    return _Portion(text, prohibited)


# The caches below serve one article's template and catalogues, which repeat the same
# entries; articles rarely share any. Larger caches only held memory in each extract
# worker (peak 116 MB against 76 MB for a fresh extract of 2,000 articles).
_ONE_ARTICLE = 4096


# A template and each locale's catalogue repeat the same msgids: lay each out once.
@lru_cache(maxsize=_ONE_ARTICLE)
def _wrapped(prefix: str, keyword: str, value: str, wrap: bool, language: str | None) -> tuple[str, ...]:
    """The lines gettext writes for ``keyword "value"``."""
    lines: list[str] = []
    _wrap_into(lines, prefix, keyword, value, wrap=wrap, language=language)
    return tuple(lines)


def _wrap_into(
    lines: list[str],
    prefix: str,
    keyword: str,
    value: str,
    *,
    wrap: bool,
    language: str | None,
) -> None:
    if "\0" in value or "\x04" in value or (not value.isascii() and _SURROGATE.search(value)):
        # NUL ends a C string (gettext drops the rest); gettext refuses EOT, which separates
        # msgctxt from msgid in a compiled catalogue, anywhere in a string; UTF-8 has no
        # lone surrogates (JSON-LD's "\ud800" makes one).
        which = "a NUL" if "\0" in value else "an EOT (U+0004)" if "\x04" in value else "a lone surrogate"
        raise _Refused(f"its {keyword} contains {which} character, which a PO file cannot hold")
    if wrap and value.isascii() and value.isprintable():
        # Fast path for the common short string: printable ASCII is one column a
        # character and has no break before its first one, so when the escaped text fits
        # after the keyword, gettext writes one line (the general path agrees; it is
        # just slower).
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        if len(prefix) + len(keyword) + len(escaped) + 3 <= PAGE_WIDTH:
            lines.append(f'{prefix}{keyword} "{escaped}"')
            return
    no_break: list[bool] | None = None
    if value and language is not None and language in _PARSED_LANGUAGES:
        no_break = _no_break_inside(value, language, keyword.startswith("msgstr"))
    # Columns are counted from the opening quote of a continuation line; one column is
    # kept free for the closing quote.
    start_after_break = len(prefix) + 1
    width = (PAGE_WIDTH if wrap else _NO_WRAP_WIDTH) - 1 - start_after_break
    first_line = True
    position = 0
    while True:
        end = value.find("\n", position)
        end = len(value) if end < 0 else end + 1
        portion = _escaped(value[position:end], None if no_break is None else no_break[position:end])
        start_column = len(prefix) + (len(keyword) + 1 if first_line else 0) + 1 - start_after_break
        breaks = portion.breaks(width, start_column)
        if first_line and portion.text and (end < len(value) or start_column > width or breaks):
            # A string that spans lines starts with an empty one.
            lines.append(f'{prefix}{keyword} ""')
            first_line = False
            breaks = portion.breaks(width, len(prefix) + 1 - start_after_break)
        head = f'{prefix}{keyword} "' if first_line else f'{prefix}"'
        line_start = 0
        for brk in breaks:
            lines.append(f'{head}{portion.text[line_start:brk]}"')
            head = f'{prefix}"'
            line_start = brk
        lines.append(f'{head}{portion.text[line_start:]}"')
        first_line = False
        position = end
        if position >= len(value):
            return


# ---------------------------------------------------------------------------------------
# Messages.
# ---------------------------------------------------------------------------------------


@dataclass
class _Message:
    msgid: str
    msgstrs: list[str]
    msgctxt: str | None = None
    msgid_plural: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    # (word, width): what follows "#: " and the columns gettext counts for it.
    references: list[tuple[str, int]] = field(default_factory=list)
    flags: _Flags = field(default_factory=_Flags)
    previous: list[tuple[str, str]] = field(default_factory=list)
    obsolete: bool = False


class _Refused(Exception):
    """Part of an entry that a PO file cannot hold; _message_lines names the entry."""


# The line breaks of str.splitlines() other than "\n". gettext ends a comment line only at
# "\n", but polib (and so our reader) at each of these, so a comment is split at them too.
_OTHER_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What a comment needs more than splitting at "\n" for: those, NUL and lone surrogates.
_UNUSUAL_IN_COMMENT = re.compile("[\0\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _comment_lines(text: str) -> list[str]:
    if not text:
        return []
    if _UNUSUAL_IN_COMMENT.search(text) is not None:
        if "\0" in text or _SURROGATE.search(text):
            # gettext's reader ends the line at NUL: the rest would be lost; UTF-8 has no
            # lone surrogates.
            which = "a NUL" if "\0" in text else "a lone surrogate"
            raise _Refused(f'a comment contains {which} character ("{_shown(text)}")')
        text = _OTHER_LINE_BREAK.sub("\n", text)
    return text.split("\n")


# Characters no file name in a "#:" line can hold: gettext 0.22 isolates a name only for
# its spaces and tabs, ends a reference at a line break, and an isolate inside the name
# would end it early; polib and our reader also break lines at the other line breaks. A
# tab is refused as well: gettext 0.21 reads it as a separator, and it is never in an
# article's name.
_UNWRITABLE_NAME = re.compile("[\0\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\u2068\u2069\ud800-\udfff]")


def _references(occurrences: Iterable[tuple[str, str]]) -> list[tuple[str, int]]:
    """``file:line`` words as gettext prints them: no leading "./", no duplicates."""
    seen: dict[tuple[str, int], None] = {}  # An ordered set: pages can list hundreds of references.
    for occurrence in occurrences:
        seen[_reference_word(str(occurrence[0]), str(occurrence[1]))] = None
    return list(seen)


# A template and each locale's catalogue repeat the same references.
@lru_cache(maxsize=_ONE_ARTICLE)
def _reference_word(name: str, line: str) -> tuple[str, int]:
    """The reference's word and width, as gettext 0.22 (write-po.c) prints and measures it.

    A name with a space is enclosed in U+2068 and U+2069 (FIRST STRONG ISOLATE, POP
    DIRECTIONAL ISOLATE), which gettext does not count in the width: the UTF-8 bytes of
    the name and ":line", plus one for the space before it.
    """
    while name.startswith("./"):
        name = name[2:]
    # gettext stores the line as a number (printing "007" as 7) and drops an empty one.
    suffix = f":{int(line)}" if line.isascii() and line.isdigit() else (f":{line}" if line else "")
    if not name:
        raise _Refused(f'a reference without a file name ("{_shown(suffix)}")')
    if _UNWRITABLE_NAME.search(name) is not None or _UNWRITABLE_NAME.search(suffix) is not None:
        raise _Refused(
            f'the reference "{_shown(name + suffix)}" holds a tab, a line break, an isolate, a NUL or a '
            "lone surrogate, which a PO file cannot hold"
        )
    if (name + suffix).endswith("\\"):
        # gettext would join the line to the next one (see _lines_of).
        raise _Refused(f'the reference "{_shown(name + suffix)}" ends in a backslash, which a PO file cannot hold')
    width = len(name.encode("utf-8")) + len(suffix.encode("utf-8")) + 1
    if " " in name:
        name = f"\u2068{name}\u2069"
    return name + suffix, width


# How _shown writes the characters that have a C escape.
_SHOWN_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _shown(text: str, limit: int = 50) -> str:
    """``text`` for an error message: shortened, control and format characters escaped."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if text.isprintable():
        return text
    return "".join(
        char
        if char.isprintable()
        else _SHOWN_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        for char in text
    )


def _described(message: _Message) -> str:
    """How an error message names the entry: its msgid (and context), or "the header"."""
    if message.msgid == "" and message.msgctxt is None:
        return "the header"  # _block refuses any other entry like it
    described = f'msgid "{_shown(message.msgid)}"'
    if message.msgctxt is not None:
        described += f', msgctxt "{_shown(message.msgctxt)}"'
    if message.references:
        described += f" ({message.references[0][0]})"  # where a template's unit comes from
    return described


# Everything of an entry that its text depends on, in _message's order.
_Fields = tuple[
    Any, str, Any, str, tuple[tuple[Any, str], ...], str, str, tuple[Any, ...], tuple[str, ...], Any, Any, Any, bool
]


def _fields(entry: polib.POEntry) -> _Fields:
    plurals = entry.msgstr_plural
    return (
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr or "",
        tuple(sorted(plurals.items())) if plurals else (),
        entry.tcomment or "",
        entry.comment or "",
        tuple(entry.occurrences or ()),
        tuple(entry.flags or ()),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        bool(entry.obsolete),
    )


def _message(fields: _Fields) -> _Message:
    """The entry as gettext's model has it; _Refused for fields a PO file cannot hold."""
    context, msgid, plural, msgstr, plurals, tcomment, comment, occurrences, flags, *earlier, obsolete = fields
    msgid_plural = plural if isinstance(plural, str) and plural else None
    forms = [msgstr] if msgid_plural is None else [text for _, text in plurals] or [msgstr, ""]
    previous: list[tuple[str, str]] = []
    for keyword, text in zip(("msgctxt", "msgid", "msgid_plural"), earlier, strict=True):
        if text is not None:
            previous.append((keyword, text))
    return _Message(
        msgid=msgid,
        msgstrs=forms,
        msgctxt=context if isinstance(context, str) else None,
        msgid_plural=msgid_plural,
        translator_comments=_comment_lines(tcomment),
        extracted_comments=_comment_lines(comment),
        references=_references(occurrences),
        flags=_parse_flags(flags),
        previous=previous,
        obsolete=obsolete,
    )


@lru_cache(maxsize=_ONE_ARTICLE)
def _block(fields: _Fields) -> tuple[str, bool] | None:
    """An entry's text and whether it is obsolete; None when gettext would drop it.

    Cached: a new article's template and its new catalogues hold the same entries.
    """
    try:
        message = _message(fields)
    except _Refused as refused:
        msgid = fields[1] if isinstance(fields[1], str) else ""
        raise CatalogError(f'msgid "{_shown(msgid)}": {refused}') from None
    if message.obsolete and not message.msgstrs[0]:
        return None  # gettext keeps an obsolete message only while it has a translation.
    if message.msgid == "" and message.msgctxt is None:
        raise CatalogError(
            f'an entry with an empty msgid and no msgctxt (msgstr "{_shown(message.msgstrs[0])}") '
            "would be a second header, which gettext refuses"
        )
    return "\n".join(_message_lines(message)), message.obsolete


def _header(po: polib.POFile) -> _Message:
    metadata = "".join(f"{key}: {value}\n" for key, value in po.metadata.items())
    fuzzy: object = po.metadata_is_fuzzy
    # polib keeps the header's flag list here when it parsed a file, else a boolean.
    flags = _parse_flags(str(flag) for flag in fuzzy) if isinstance(fuzzy, list) else _Flags(fuzzy=bool(fuzzy))
    try:
        comments = _comment_lines(po.header or "")
    except _Refused as refused:
        raise CatalogError(f"the header: {refused}") from None
    return _Message(msgid="", msgstrs=[metadata], translator_comments=comments, flags=flags)


def _message_lines(message: _Message) -> list[str]:
    try:
        return _lines_of(message)
    except _Refused as refused:
        raise CatalogError(f"{_described(message)}: {refused}") from None


def _lines_of(message: _Message) -> list[str]:
    lines = [f"# {text}" if text else "#" for text in message.translator_comments]
    lines += [f"#. {text}" if text else "#." for text in message.extracted_comments]
    for index, line in enumerate(lines):
        if line[-1] == "\\":
            # The PO lexer joins a line ending in a backslash with the next one, comments
            # too: a space after it keeps the line apart (gettext keeps the space, polib
            # and our reader strip it, msgcat prints it back).
            lines[index] = line + " "
    if message.references:
        line = "#:"
        column = 2
        for word, width in message.references:
            if column > 2 and column + width > PAGE_WIDTH:
                lines.append(line)
                line = "#:"
                column = 2
            line += " " + word
            column += width
        lines.append(line)
    flags_line = _flags_line(message.flags, message.msgstrs[0])
    if flags_line is not None:
        lines.append(flags_line)
    language = _directive_language(message.flags)
    wrap = message.flags.wrap
    previous_prefix = "#~| " if message.obsolete else "#| "
    for keyword, text in message.previous:
        lines += _wrapped(previous_prefix, keyword, text, wrap, language)
    prefix = "#~ " if message.obsolete else ""
    if message.msgctxt is not None:
        lines += _wrapped(prefix, "msgctxt", message.msgctxt, wrap, language)
    lines += _wrapped(prefix, "msgid", message.msgid, wrap, language)
    if message.msgid_plural is None:
        lines += _wrapped(prefix, "msgstr", message.msgstrs[0], wrap, language)
    else:
        lines += _wrapped(prefix, "msgid_plural", message.msgid_plural, wrap, language)
        for index, text in enumerate(message.msgstrs):
            lines += _wrapped(prefix, f"msgstr[{index}]", text, wrap, language)
    return lines


def dumps(po: polib.POFile) -> str:
    """Return the catalogue laid out exactly as GNU gettext (msgcat, default width 79) writes it.

    The header comes first, built from ``po.header``, ``po.metadata_is_fuzzy`` (polib's
    flag list or a boolean) and ``po.metadata`` (in the dict's order, each field ending in
    ``\\n``); then the active entries in list order; then the obsolete ones that have a
    translation. A non-empty ``msgid_plural`` makes an entry plural: its ``msgstr_plural``
    forms are written in key order, numbered from 0 (``msgstr`` and an empty second form
    when there are none). ``msgctxt`` and the ``previous_*`` fields are written when not
    None. The caller writes the text as UTF-8.

    Raises :class:`~l10n.errors.CatalogError` (no line: the text is not written yet) naming
    the entry, for input gettext cannot represent (see the module docstring).
    """
    blocks = ["\n".join(_message_lines(_header(po)))]
    obsolete: list[str] = []
    for entry in po:
        made = _block(_fields(entry))
        if made is not None:
            (obsolete if made[1] else blocks).append(made[0])
    return "\n\n".join(blocks + obsolete) + "\n"
