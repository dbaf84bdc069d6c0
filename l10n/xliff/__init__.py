"""XLIFF 2.1 for agencies and CAT tools: catalogues out as XLIFF, translations back in.

Pure code, one room a direction (as moz-l10n keeps one parse and one serialise module a
format): :mod:`.model` (what both sides share: namespaces, unit ids, the record of what a
catalogue held at export, the placeholder syntax as tokens), :mod:`.write` (a catalogue to
XLIFF bytes), :mod:`.read` (XLIFF bytes to typed units, untrusted input) and :mod:`.merge`
(units merged into a catalogue under the never-lose rules). Files are
``l10n.project.xliffing``'s.
"""
