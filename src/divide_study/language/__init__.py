"""An edition's language, below the data, the analyses and the report, which all use it: babel's number and
date formats (``formats``), the labels of codes (``labels``, from ``data/raw/labels.csv``) and the data's own words
(``datatext``, from ``data/raw/words.csv`` and the ``data`` catalog)."""
