"""Reads of the pipeline, one module per area; every public name is importable from here."""
