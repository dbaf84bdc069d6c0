"""Line breaking as GNU gettext's ``msgcat`` breaks a string: UAX #14 classes, column widths, and
where a line ends.

This module owns what gettext borrows from libunistring 1.0 (Debian 12, Unicode 14):

* ``ulc_width_linebreaks``: UAX #14 line breaking with the rules libunistring 1.0 applies -
  mandatory breaks (LB4-LB6), spaces and ZW (LB7, LB8), ZWJ (LB8a), combining marks (LB9,
  LB10), the pair table for LB11-LB31 (including the East Asian width split of LB30 and the
  Extended_Pictographic rule of LB30b), Hebrew plus hyphen (LB21a) and regional-indicator
  pairs (LB30a). As in libunistring, complex-context scripts (SA: Thai, Lao, Khmer, Myanmar,
  ...) get no dictionary breaks and behave like letters, ambiguous characters (AI) behave
  like letters, CB like ideographs;
* ``uc_width``: East Asian wide and fullwidth characters take 2 columns, combining marks,
  format characters (ZWNJ, ZWJ, bidi controls) and Hangul medial and final jamo 0, other
  control characters are ignored.

Classes come from :mod:`unicodedata` (general category, East Asian width, Hangul structure)
plus an exception table. With Python's Unicode 14 database (Python 3.11) this matches
libunistring 1.0 for every code point, and the widths match too; both were checked
exhaustively against the library. On a newer Python, characters assigned after Unicode 14
are classified by the same rules, where libunistring treats them as unassigned; later
libunistring releases (1.2: Unicode 15.1 rules) break differently around quotation marks,
hyphens and Brahmic scripts.

:class:`Portion` is what the writer uses: a text and the places where a break is forbidden
whatever the text says (escapes, format directives), and the breaks for a line width.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

__all__ = ["CR_BEFORE_LF", "MANDATORY", "POSSIBLE", "PROHIBITED", "UNDEFINED", "Portion", "chosen_breaks",
           "column_width", "possible_breaks"]  # fmt: skip

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
def column_width(code: int) -> int:
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

UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY, CR_BEFORE_LF = 0, 1, 2, 3, 5


# The pair table as numbers: _PAIR[before][after] is 0 (P), 1 (I) or 2 (D).
_PAIR = tuple(tuple("PID".index(rule) for rule in row) for row in _PAIR_ROWS)


def possible_breaks(text: Sequence[str]) -> list[int]:
    """Break opportunity before each character (u8_possible_linebreaks_v2)."""
    result: list[int] = []
    prev_class = _BK  # class of the previous character (for LB8a and LB21a)
    last_class = _BK  # class of the last character that is not a space, CM or ZWJ
    seen_space = False
    ri_count = 0
    for char in text:
        cls = _break_class(ord(char))
        if cls == _SP:
            brk = PROHIBITED  # LB7
            seen_space = True
        elif cls < _BK and cls != _ZWJ:
            # A class of the pair table.
            if last_class == _BK:
                brk = PROHIBITED  # LB4-LB6: not at the start of a line
            elif last_class == _ZW:
                brk = POSSIBLE  # LB8
            elif prev_class == _ZWJ:
                brk = PROHIBITED  # LB8a
            elif last_class == _RI and cls == _RI:
                # LB30a: break between regional indicators only after an even count.
                brk = POSSIBLE if seen_space or ri_count % 2 == 0 else PROHIBITED
            elif prev_class == _HL_BA:
                brk = PROHIBITED  # LB21a
            else:
                pair = _PAIR[last_class][cls]
                brk = POSSIBLE if pair == 2 or (pair == 1 and seen_space) else PROHIBITED
            last_class = cls
            seen_space = False
        elif cls in (_CM, _ZWJ):
            if last_class == _BK:
                # At the start of a line (LB4-LB6), a mark stands alone as AL (LB10).
                brk = PROHIBITED
                last_class = _AL
                seen_space = False
            elif last_class == _ZW or seen_space:
                # LB8, LB18: break after ZW or spaces; the mark then acts as AL (LB10).
                brk = POSSIBLE
                last_class = _AL
                seen_space = False
            else:
                brk = PROHIBITED  # LB9: X CM* behaves as X.
        elif cls == _ZW:
            brk = PROHIBITED  # LB7
            last_class = _ZW
            seen_space = False
        else:
            # BK, CR, LF (LB4-LB6): a mandatory break after the line break character.
            brk = MANDATORY
            if prev_class == _CR and cls == _LF:
                result[-1] = CR_BEFORE_LF
            last_class = _BK
            seen_space = False
        prev_class = _HL_BA if prev_class == _HL and cls in (_HY, _BA) else cls
        ri_count = ri_count + 1 if cls == _RI else 0
        result.append(brk)
    return result


def chosen_breaks(
    possible: Sequence[int], overrides: Sequence[int], widths: Sequence[int], width: int, start_column: int
) -> list[bool]:
    """Where ulc_width_linebreaks puts line breaks: before each character, yes or no.

    ``possible`` comes from possible_breaks, ``overrides`` replace it where defined, and
    ``widths`` are the characters' columns. A line is broken at the last opportunity before
    the text passes ``width`` columns; a piece wider than a line stays whole and overflows.
    """
    chosen = [False] * len(possible)
    last_opportunity = -1
    last_column = start_column
    piece_width = 0
    for index, brk in enumerate(possible):
        override = overrides[index]
        if override != UNDEFINED:
            brk = override
        if brk in (POSSIBLE, MANDATORY, CR_BEFORE_LF) and (last_opportunity >= 0 and last_column + piece_width > width):
            chosen[last_opportunity] = True
            last_column = 0
        if brk in (MANDATORY, CR_BEFORE_LF):
            last_opportunity = -1
            last_column = 0
            piece_width = 0
        else:
            if brk == POSSIBLE:
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
# Python, which made them the bulk of writing a catalogue. Unless the text has a class whose rule
# counts or remembers further back (BK, CR, LF, RI, HL), whether a break is possible
# before a character follows from the characters just before it, so only a few
# characters a line are looked at.
# ---------------------------------------------------------------------------------------

# Classes whose rules need the whole state machine of possible_breaks: mandatory breaks
# (LB4-LB6), Hebrew letter + hyphen (LB21a), regional-indicator pairs (LB30a).
_STATEFUL_CLASSES = frozenset({_BK, _CR, _LF, _RI, _HL})
_MARKS = (_CM, _ZWJ)
# Break class and column width by character, filled as characters are met (a dict lookup
# by the character is much cheaper than ord() and an lru_cache call). Widths are at
# least 0: chosen_breaks ignores the -1 of control characters.
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
        width = _CHAR_WIDTH[char] = max(column_width(ord(char)), 0)
    return width


class Portion:
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
        """Indices of the characters that start a new line, as chosen_breaks puts them."""
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
            # at the first one after it (chosen_breaks, unrolled).
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

        That is a possible break of possible_breaks that is not prohibited. Without the
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
            self._possible = possible_breaks(text)
        overrides = [PROHIBITED if index in self.prohibited else UNDEFINED for index in range(len(text))]
        widths = [column_width(ord(char)) for char in text]
        chosen = chosen_breaks(self._possible, overrides, widths, width, start_column)
        return [index for index, brk in enumerate(chosen) if brk]
