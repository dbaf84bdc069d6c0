"""Machine pre-translation: engines behind one small interface, and our placeholders kept
safe on the way there and back.

Pure code (no paths): :mod:`.engine` (the interface, the registry of engines by entry
point), :mod:`.transport` (HTTP with retries and back-off), :mod:`.protect` (msgids to
markup an engine keeps, and its answers back to validated msgstrs), one module an engine
(:mod:`.libretranslate`, :mod:`.deepl`). ``l10n.project.pretranslating`` reads and writes
the catalogues.
"""
