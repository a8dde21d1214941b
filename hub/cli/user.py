"""`hub user …`: console accounts (hub/security/accounts.py).

    hub user add --role officer --subject fy0821-001          # asks for the password twice
    printf '%s\\n' "$PASSWORD" | hub user add --role department --subject clerk-1 --department bank
    hub user list
    hub user disable fy0821-001

Adding and disabling an account are audited, with the operating-system user as the actor.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from hub.cli import operator
from hub.cli.common import fail, run_with_store, setup_logging
from hub.cli.operator import operator_record
from hub.security.accounts import (
    Account,
    AccountError,
    Accounts,
    check_name,
    check_password,
    check_principal,
)
from hub.security.principal import ROLES
from hub.settings import get_settings
from hub.store import GraphStore
from schema.departments import DepartmentsFileError, load_departments

app = typer.Typer(help="Console accounts: who signs in to the web console.", no_args_is_help=True)


def read_password() -> str:
    """From the terminal, asked twice; otherwise the first line of standard input."""
    if sys.stdin.isatty():
        password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        return password
    line = sys.stdin.readline()
    if not line:
        fail("no password: standard input is empty (give it on the first line)")
    return line.removesuffix("\n").removesuffix("\r")


@app.command("add")
def add(
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")],
    subject: Annotated[str, typer.Option(help="Whom the account acts as: officer id, clerk id.")],
    department: Annotated[
        str | None, typer.Option(help="Department code (required for role department).")
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="The name to sign in with (default: the subject).")
    ] = None,
) -> None:
    """Make a console account; the password is asked for, or read from standard input."""
    setup_logging()
    settings = get_settings()
    try:
        if department is not None and department not in load_departments(settings.departments_file):
            fail(f"--department {department!r} is not a registered department")
    except DepartmentsFileError as error:
        fail(str(error))
    account_name = name or subject
    try:  # plain words before the store is opened or the password read
        check_principal(role, subject, department)
        check_name(account_name)
        password = check_password(read_password())
    except AccountError as error:
        fail(str(error))

    async def work(store: GraphStore) -> Account:
        account = await Accounts(store).add(account_name, role, subject, department, password)
        what = f"account {account.name}: {account.role} {account.subject}"
        await operator.record(
            store, settings, operator_record("userAdd", reason=what, department=department)
        )
        return account

    account = run_with_store(work, data_dir=True)  # an AccountError ends it in plain words
    typer.echo(f"account {account.name} added: {account.role} {account.subject}")


@app.command("list")
def list_accounts() -> None:
    """List the console accounts (never their passwords)."""
    setup_logging()
    accounts = run_with_store(lambda store: Accounts(store).list(), data_dir=True)
    now = datetime.now(UTC).isoformat()
    for account in accounts:
        state = "active"
        if account.disabled:
            state = "disabled"
        elif account.locked_until and account.locked_until > now:
            state = f"locked until {account.locked_until}"
        department = f" {account.department}" if account.department else ""
        typer.echo(f"{account.name}\t{account.role}\t{account.subject}{department}\t{state}")
    if not accounts:
        typer.echo("no accounts yet: hub user add --role ROLE --subject ID")


@app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="The account's name.")]) -> None:
    """Stop an account from signing in (its records stay)."""
    setup_logging()
    settings = get_settings()

    async def work(store: GraphStore) -> None:
        await Accounts(store).disable(name)
        await operator.record(
            store, settings, operator_record("userDisable", reason=f"account {name}")
        )

    run_with_store(work, data_dir=True)  # an AccountError ends it in plain words
    typer.echo(f"account {name} disabled")
