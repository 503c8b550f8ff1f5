"""Writes of certificates: issue, re-issue after a correction, revoke."""

__all__: list[str] = []
