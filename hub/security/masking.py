"""The one place masking rules live: what of a non-subject's identifiers a caller may see.

A case's subject (the party the officer is entitled to look at) is shown in full; everyone
else reached from them (relatives, associates, co-shareholders) is shown masked.
"""

from __future__ import annotations

from schema import identifiers


def mask_id(value: str) -> str:
    """`220821********123X`: region and last four kept, birth date and sequence hidden."""
    return identifiers.mask_id_number(value)


def mask_phone(value: str) -> str:
    """Only the last four digits kept: `*******5678`."""
    return identifiers.mask_phone(value)
