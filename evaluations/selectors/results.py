"""Reads of programme results and the staff results page."""

__all__: list[str] = []
