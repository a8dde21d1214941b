"""`hub token …`: tokens of the built-in issuer."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

import typer

from hub.cli import operator
from hub.cli.common import fail, run_with_store, setup_logging, use_data_dir
from hub.cli.operator import operator_record
from hub.security.principal import ROLES
from hub.security.tokens import SECRET_KEY_FILE, SecretKeyError, issue_token, load_secret_key
from hub.settings import DEFAULT_TOKEN_TTL, get_settings
from schema.departments import DepartmentsFileError, load_departments

app = typer.Typer(help="Tokens of the built-in issuer.", no_args_is_help=True)

TTL_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
TTL_PATTERN = re.compile(r"^(\d+)([smhd])$")


def parse_ttl(text: str) -> timedelta:
    """`90s`, `30m`, `8h`, `30d`."""
    match = TTL_PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"--ttl {text!r}: give a number and a unit, as in 30m, 8h or 30d")
    return timedelta(**{TTL_UNITS[match[2]]: int(match[1])})


@app.command("issue")
def issue(
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")],
    subject: Annotated[str, typer.Option(help="Officer id or system id: the `sub` claim.")],
    department: Annotated[
        str | None, typer.Option(help="Department code (required for role department).")
    ] = None,
    ttl: Annotated[
        str | None, typer.Option(help="Lifetime: 30m, 8h, 90d, … (default: one shift, 8h).")
    ] = None,
) -> None:
    """Print a token of the built-in issuer, and nothing else."""
    setup_logging()
    settings = get_settings()
    if role not in ROLES:
        fail(f"--role {role!r}: expected one of {', '.join(ROLES)}")
    if role == "department" and not department:
        fail("a department token needs --department CODE")
    try:
        lifetime = DEFAULT_TOKEN_TTL if ttl is None else parse_ttl(ttl)
        if department is not None and department not in load_departments(settings.departments_file):
            fail(f"--department {department!r} is not a registered department")
        if settings.secret_key is None:
            # Never a new key here: tokens signed by it would be refused by the hub.
            key_file = use_data_dir(settings, create=False) / SECRET_KEY_FILE
            if not key_file.exists():
                fail(
                    f"no signing key: HUB_SECRET_KEY is unset and {key_file} does not exist. "
                    "`hub serve` generates it on its first start; if the hub runs with "
                    "HUB_SECRET_KEY, set the same key here."
                )
        secret = load_secret_key(settings)
        token = issue_token(secret, role=role, subject=subject, department=department, ttl=lifetime)
    except (ValueError, DepartmentsFileError, SecretKeyError) as error:
        fail(str(error))
    # Handing out access is audited before the token is shown (never the token itself).
    what = f"token for {role} {subject}" + (f" of {department}" if department else "")
    entry = operator_record("tokenIssue", reason=f"{what}, valid {lifetime}", department=department)
    run_with_store(lambda store: operator.record(store, settings, entry))
    typer.echo(token)
