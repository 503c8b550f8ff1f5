"""Reads of certificates: a student's certificate, the public verification."""

__all__: list[str] = []
