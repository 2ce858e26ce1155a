"""The report: provenance ledger, HTML and PDF publishing."""
