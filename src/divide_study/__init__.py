"""Comparative study of three French answers to the rural digital divide.

Logic lives here; the notebooks in ``notebooks/`` only call it (see README.md).
"""

__version__ = "0.1.0"
