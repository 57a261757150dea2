"""Copies and translations: candidates, alignment, links."""
