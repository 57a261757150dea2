"""Opaque page cursors: each names the last item of the previous page, so paging stays
correct while items are added, and clients cannot build one by hand that means
something else."""

from __future__ import annotations

import base64
import binascii

from narratrace.web.errors import ApiError


def encode_cursor(item_id: str) -> str:
    return base64.urlsafe_b64encode(item_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned") from None
