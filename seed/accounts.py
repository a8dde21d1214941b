"""bank.accounts: deposit accounts and their balances, as the county's six banks report them.

Adults hold one to five accounts at different banks, some teenagers one; enterprises hold a
basic settlement account and perhaps general ones. 吉林农信 (JLNX), the rural credit bank,
holds about 40% of all accounts: the high-degree bank node of the graph.
"""

from __future__ import annotations

import math
import random
from datetime import date
from typing import Final

from schema.datasets import BANK_ACCOUNTS
from seed import terms
from seed.identity import LegacyReference, legacy_id_number
from seed.pools import BANKS, Bank
from seed.registry import EnterpriseRegistry, Party, PersonRegistry
from seed.terms import Term
from seed.values import BALANCE_DATE, Picker, Styler, below, between, random_date, yuan
from seed.writers import DatasetSink

BANK_BY_CODE: Final = {bank.code: bank for bank in BANKS}
_BANK: Final = Picker([(bank, bank.weight) for bank in BANKS])
_MAIN_BANK: Final = BANKS[0]
_MAIN_BANK_FIRST: Final = 0.75
_ACCOUNTS_PER_ADULT: Final = Picker([(1, 25.0), (2, 30.0), (3, 25.0), (4, 12.0), (5, 8.0)])
_PERSONAL_TYPES: Final = Picker([("借记卡", 70.0), ("I类账户", 20.0), ("储蓄存折", 10.0)])
_BASIC_ACCOUNT: Final = "基本存款账户"
_GENERAL_ACCOUNT: Final = "一般存款账户"
_STATUS: Final = Picker(
    [(terms.ACCOUNT_NORMAL, 96.2), (terms.ACCOUNT_FROZEN, 0.8), (terms.ACCOUNT_CLOSED, 3.0)]
)
# Balances are log-normal: most accounts hold a few thousand yuan, a few hold millions.
_PERSONAL_MEDIAN_LOG: Final = math.log(3_000)
_PERSONAL_SPREAD: Final = 1.8
_CORPORATE_MEDIAN_LOG: Final = math.log(50_000)
_CORPORATE_SPREAD: Final = 1.6
_BALANCE_CAP_CENTS: Final = 50_000_000_00
_FIRST_OPENED: Final = date(2000, 1, 1)
_LAST_OPENED: Final = date(2024, 11, 30)
# Luhn: ASCII digit d -> the digit sum of 2*d, as a bytes.translate table.
_DOUBLED: Final = bytes.maketrans(b"0123456789", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)))
_ZERO: Final = ord("0")


def luhn_check_digit(payload: str) -> str:
    """The digit that makes `payload` + digit pass the Luhn check (bank card numbers)."""
    digits = payload.encode("ascii")
    # Summing bytes runs in C; this is on the path of millions of account numbers.
    doubled = sum(digits[-1::-2].translate(_DOUBLED))
    plain = digits[-2::-2]
    return str(-(doubled + sum(plain) - _ZERO * len(plain)) % 10)


class AccountNumbers:
    """Unique numbers per bank: a per-bank serial inside the bank's own number shape."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._serials = {bank.code: between(rng, 1_000_000, 9_000_000) for bank in BANKS}

    def _serial(self, bank: Bank) -> int:
        serial = self._serials[bank.code] + 1
        self._serials[bank.code] = serial
        return serial

    def personal(self, bank: Bank) -> str:
        """A 19-digit debit card number: BIN, branch, serial, Luhn digit."""
        payload = f"{bank.card_bin}{between(self._rng, 100, 160)}{self._serial(bank):09d}"
        return payload + luhn_check_digit(payload)

    def corporate(self, bank: Bank) -> str:
        """A 17-digit settlement account number."""
        payload = f"{bank.corporate_prefix}{between(self._rng, 100, 160)}{self._serial(bank):09d}"
        return payload + luhn_check_digit(payload)


class AccountWriter:
    def __init__(self, sink: DatasetSink, styler: Styler, rng: random.Random) -> None:
        self._rows = sink[BANK_ACCOUNTS]
        self._styler = styler
        self._rng = rng
        self.numbers = AccountNumbers(rng)
        self.accounts_per_bank = dict.fromkeys(BANK_BY_CODE, 0)

    def write(
        self,
        bank: Bank,
        holder: Party,
        balance_cents: int,
        *,
        status: Term = terms.ACCOUNT_NORMAL,
        holder_id: str | None = None,
        opened_from: date = _FIRST_OPENED,
        account_type: str | None = None,
    ) -> str:
        """Report one account of `holder` (under `holder_id` if given), of `account_type` if
        given, else a type usual for the holder; returns its number."""
        rng = self._rng
        personal = holder.kind == "person"
        if personal:
            number = self.numbers.personal(bank)
            usual_type = _PERSONAL_TYPES.pick(rng)
        else:
            number = self.numbers.corporate(bank)
            usual_type = _GENERAL_ACCOUNT if rng.random() < 0.3 else _BASIC_ACCOUNT
        self.accounts_per_bank[bank.code] += 1
        styler = self._styler
        self._rows.write(
            (
                bank.code,
                bank.name if rng.random() < 0.9 else None,
                number,
                holder_id or holder.id,
                # A 15-digit number must say it is a person; elsewhere the type is optional.
                holder.kind if holder_id or rng.random() < 0.8 else None,
                holder.name,
                account_type or usual_type,
                yuan(0 if status is terms.ACCOUNT_CLOSED else balance_cents),
                "CNY" if rng.random() < 0.9 else None,
                styler.date(BALANCE_DATE),
                styler.term(status),
                styler.date(random_date(rng, max(opened_from, _FIRST_OPENED), _LAST_OPENED)),
            )
        )
        return number


def personal_balance(rng: random.Random) -> int:
    cents = int(rng.lognormvariate(_PERSONAL_MEDIAN_LOG, _PERSONAL_SPREAD) * 100)
    return min(cents, _BALANCE_CAP_CENTS)


def corporate_balance(rng: random.Random) -> int:
    cents = int(rng.lognormvariate(_CORPORATE_MEDIAN_LOG, _CORPORATE_SPREAD) * 100)
    return min(cents, _BALANCE_CAP_CENTS)


def distinct_banks(rng: random.Random, count: int) -> list[Bank]:
    """`count` different banks, the big ones more likely (count <= number of banks).

    Most people's first account is at the rural credit bank, which pays out farm subsidies.
    """
    chosen: list[Bank] = [_MAIN_BANK] if count and rng.random() < _MAIN_BANK_FIRST else []
    while len(chosen) < count:
        bank = _BANK.pick(rng)
        if bank not in chosen:
            chosen.append(bank)
    return chosen


class AccountGenerator:
    def __init__(
        self,
        writer: AccountWriter,
        persons: PersonRegistry,
        enterprises: EnterpriseRegistry,
        rng: random.Random,
    ) -> None:
        self._writer = writer
        self._persons = persons
        self._enterprises = enterprises
        self._rng = rng

    def generate_for_persons(self, legacy_count: int) -> list[LegacyReference]:
        """Accounts of every registered person; `legacy_count` of them under a 15-digit number."""
        legacy: list[LegacyReference] = []
        persons = self._persons
        rng = self._rng
        for index in range(len(persons)):
            count = self._account_count(index)
            if count == 0:
                continue
            holder = persons.party(index)
            holder_id = None
            if len(legacy) < legacy_count and rng.random() < 0.01:
                holder_id = legacy_id_number(holder.id)
                if holder_id is not None:
                    legacy.append(LegacyReference(BANK_ACCOUNTS, holder_id, holder.id))
            # Minors' accounts are opened by their parents, so clamp rather than skip.
            opened_from = min(date(persons.birth_year(index) + 16, 1, 1), _LAST_OPENED)
            for bank in distinct_banks(rng, count):
                self._writer.write(
                    bank,
                    holder,
                    personal_balance(rng),
                    status=_STATUS.pick(rng),
                    holder_id=holder_id,
                    opened_from=opened_from,
                )
                holder_id = None  # only the oldest account still carries the old number
        return legacy

    def _account_count(self, index: int) -> int:
        rng = self._rng
        if self._persons.is_eligible(index):
            return _ACCOUNTS_PER_ADULT.pick(rng)
        age = BALANCE_DATE.year - self._persons.birth_year(index)
        if age < 16:
            return 1 if age >= 10 and rng.random() < 0.3 else 0
        return 1 if rng.random() < 0.6 else 0  # deceased or moved away: an old account

    def generate_for_enterprises(self) -> None:
        enterprises = self._enterprises
        rng = self._rng
        for index in range(len(enterprises)):
            holder = enterprises.party(index)
            active = enterprises.is_active(index)
            count = 1 + below(rng, 3) if active else 1
            for bank in distinct_banks(rng, count):
                status = _STATUS.pick(rng) if active else terms.ACCOUNT_CLOSED
                self._writer.write(bank, holder, corporate_balance(rng), status=status)
