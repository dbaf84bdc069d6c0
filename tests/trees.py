"""Typed reading of lxml trees for the tests.

lxml-stubs type ``find()`` and ``getparent()`` as optional and texts and attribute names as
``str | bytes`` (lxml yields bytes on Python 2 only). These helpers turn a missing element or a
bytes text into a failed assertion, not an ``AttributeError`` on ``None``, and hand mypy the
``str`` and the element the tests go on to use.
"""

from __future__ import annotations

from lxml import etree


def find(root: etree._Element | etree._ElementTree, path: str) -> etree._Element:
    """The first element at *path* under *root*; the test fails if there is none."""
    found = root.find(path)
    assert found is not None, f"no {path} in the tree"
    return found


def parent_of(element: etree._Element) -> etree._Element:
    """The element's parent; the test fails on a root."""
    above = element.getparent()
    assert above is not None, f"<{element.tag}> has no parent"
    return above


def as_str(piece: str | bytes) -> str:
    """A text or a name as lxml gives it on Python 3: a str (the test fails on bytes)."""
    assert isinstance(piece, str), piece
    return piece


def text_of(element: etree._Element) -> str:
    """All the text inside *element*, as ``"".join(element.itertext())`` gives it."""
    return "".join(map(as_str, element.itertext()))
