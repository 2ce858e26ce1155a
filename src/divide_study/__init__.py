"""Comparative study of three French answers to the rural digital divide.

Logic lives here; the notebooks in ``notebooks/`` only call it (see README.md).
"""

import sys

__version__ = "0.2.0"

# jsonschema (under frictionless and nbformat) compiles an IRI grammar with lark when ``rfc3987_syntax`` is
# importable: 3-6 s of CPU in every process that imports it, for the "iri" format that neither frictionless
# nor nbformat checks (they validate without a format checker). Marking it absent here, before anything of the
# package imports them, makes jsonschema skip that format's registration; no check the study runs changes.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
