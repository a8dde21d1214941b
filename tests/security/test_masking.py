"""Masking of non-subjects' identifiers."""

from __future__ import annotations

from hub.security.masking import mask_id, mask_phone


def test_an_identity_number_keeps_its_region_and_last_four() -> None:
    assert mask_id("22082119870228123X") == "220821********123X"


def test_a_phone_number_keeps_its_last_four_digits() -> None:
    assert mask_phone("13812345678") == "*******5678"
    assert mask_phone("0436-1234567") == "********4567"


def test_a_fragment_too_short_to_hide_is_hidden_whole() -> None:
    assert mask_phone("1234") == "****"
    assert mask_id("12345") == "*****"
