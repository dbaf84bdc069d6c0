"""PO and POT files: one typed catalogue model, one reader, one writer.

:mod:`.model` is the catalogue as GNU gettext understands it; :mod:`.reader` reads every
file ``msgfmt -c`` accepts into it (any charset gettext knows, CRLF, a BOM, every
character a PO may hold) and refuses the others with one ``CatalogError`` naming the
line; :mod:`.writer` lays a catalogue out byte for byte as ``msgcat`` writes it, with the
line breaking of :mod:`.linebreak` and the format directives of :mod:`.formats`.
"""
