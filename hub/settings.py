"""Every setting the hub reads, and every limit it enforces, in one place.

Environment variables carry the `HUB_` prefix (a `.env` file in the working directory is
read too). Nothing else in the code base reads the environment. A limit a deployment must
tune is a field of `Settings` (HUB_<FIELD NAME>), its default a constant here; the other
limits are constants only. README.md "Configuration" lists the variables,
docs/configuration.md the constants (tests/test_configuration.py checks both).

The value limits of department files (schema/limits.py) and the connectors' own few
(connectors/report.py, writer.py) stay in those packages: they sit below the hub and do not
import it.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Store access
QUERY_CONCURRENCY = 32  # concurrent queries one process sends to the graph store
WRITE_BATCH_SIZE = 5_000  # rows per UNWIND batch (bench/ingest.py measured the curve)
# Embedded store start, including replaying its files. The wait ends at once if the server
# process dies; a live one still loading a 1M-person graph took 15 minutes on a busy machine.
STORE_START_TIMEOUT_S = 3600.0
# `hub db init` and a first load wait this long for the store to build its indexes over the
# stored data (about 80 s for a 1,000,000-person county).
INDEX_BUILD_TIMEOUT_S = 3600.0
# The append-only file is rewritten (a fork writing the whole graph) once it has doubled, but
# not below this size: with Redis's 64 MB, loading a county rewrote it every ~20 s, a core
# busy with rewrites instead of the load. Larger means a longer replay after a crash.
AOF_REWRITE_MIN_SIZE = "1gb"
STORE_STOP_TIMEOUT_S = 30.0
# Supervision of the embedded store (hub/store/embedded.py): a server that dies is restarted
# after a backoff doubling from STORE_RESTART_BACKOFF_S up to STORE_RESTART_BACKOFF_MAX_S, at
# most STORE_RESTART_ATTEMPTS times in a row; then the hub gives up and /readyz says why. A
# server that stayed up STORE_RESTART_STABLE_S starts a new count.
STORE_RESTART_ATTEMPTS = 5
STORE_RESTART_BACKOFF_S = 0.5
STORE_RESTART_BACKOFF_MAX_S = 30.0
STORE_RESTART_STABLE_S = 60.0
STORE_WATCH_INTERVAL_S = 0.2  # how often the owner checks that its server process lives
# The Retry-After of a 503 while the store restarts, is unreachable or the hub still loads.
STORE_RETRY_AFTER_S = 5
RUN_SETTLE_MAX_S = 600  # a run cut short by a store outage is recorded once it is back, within
STORE_GAVE_UP_RETRY_AFTER_S = 60  # once the hub has given up restarting it

MAX_UNIX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux; keep a margin
# The Retry-After of a 503 when the hub could not start (it does not recover by itself).
STARTUP_FAILED_RETRY_S = 60

# Data directory (HUB_DATA_DIR): what marks one, and how private its contents are
DEFAULT_DATA_DIR = Path("./var")  # relative: under the working directory of each command
DATA_DIR_MARKER = "hub-data.json"  # written when the hub creates a data directory
PRIVATE_UMASK = 0o077  # every file and directory the hub (and its store) creates: owner only
PRIVATE_DIR_MODE = 0o700  # the data directory itself, tightened when found looser

# FalkorDB's graph when HUB_GRAPH_DATABASE is unset (Neo4j uses its default database)
DEFAULT_FALKORDB_GRAPH = "hub"

# API limits
MAX_PAGE_SIZE = 200
# Page sizes when `first` is not given: the defaults API.md fixes in the schema, per field
SEARCH_PERSONS_PAGE = 20
CONNECTOR_RUNS_PAGE = 20
AUDIT_EVENTS_PAGE = 50
DEFAULT_TRACE_HOPS = 2  # tracePerson's maxHops when not given
MAX_CREDIT_SUBJECTS = 1_000
MAX_TRACE_HOPS = 3
MAX_ASSOCIATES = 50
MAX_QUERY_DEPTH = 10
MAX_REQUEST_BYTES = 1 << 20  # GraphQL request bodies
MAX_INGEST_BYTES = 2 << 30  # department files sent over HTTP

# GraphQL (hub/graphql/)
MAX_QUERY_ROOT_FIELDS = 8  # top-level fields in one request; each is a guarded operation
MAX_QUERY_SELECTIONS = 400  # field selections in one request, fragments expanded
MAX_QUERY_TOKENS = 2_000  # lexer tokens; a longer document is refused before it is parsed
MAX_INTROSPECTION_DEPTH = 15  # the IDE's own introspection query nests 13 deep
DOCUMENT_CACHE_SIZE = 256  # parsed and validated GraphQL documents kept, by their text
COMPLETIONS_KEPT = 1_024  # value completions kept by hub/graphql/execution.py, by field and type
MAX_CASES = 500  # cases myCases returns for one officer
MAX_TRACE_ITEMS = 200  # clues, phones, relatives or enterprise roles in one trace report
MAX_HOLDINGS = 1_000  # holdings of one kind in one asset report
MAX_SHARED_DEGREE = 30  # an address, phone or enterprise linking more persons: a hub, not followed
MAX_NEIGHBOURS_PER_PERSON = 40  # persons one person leads to in one hop of the associate search
MAX_FRONTIER = 60  # persons expanded in one hop of the associate search
CONTROL_SHARE_PCT = 50  # a holder of this share or more controls the enterprise
MAX_CONTROL_DEPTH = 3  # enterprise levels followed for indirect holdings
MAX_NOTE_CHARS = 1_000  # recordPunishment note
MAX_NAME_CHARS = 50  # searchPersons name

# Control requests (hub/control/, docs/control.md)
CONTROL_REQUESTS_PAGE = 50  # controlRequests(first:) when not given (API.md)
MAX_CONTROL_TEXT_CHARS = 1_000  # note, reason, sighting place, an earlier measure
MAX_EARLIER_MEASURES = 50  # earlierMeasures of one answer
MAX_SIGHTINGS = 200  # sightings of one LOCATE answer
MAX_WAGE_WORKERS = 1_000_000  # workers of one wage-arrears answer
MAX_CONTROL_EXCHANGE_ROWS = 1_000  # requests in one GET /control/requests, rows of one answers file
MAX_CONTROLS = 1_000  # control measures shown in one asset report
MAX_LAPSED_PER_RUN = 1_000  # measures one run of `hub control expire` lapses
MAX_EXPIRING_PER_RUN = 5_000  # CONTROL_EXPIRING alerts one run of `hub control expire` raises
CONTROL_EXPIRY_INTERVAL_S = 3600.0  # `hub serve` lapses due measures at least this often
MAX_CASE_NUMBER_CHARS = 64  # every caseNumber argument
MAX_CONTROL_CHAINS = 500  # control chains locateAssets follows from one subject
MAX_ERROR_IN_REASON = 200  # characters of each error message kept in a refused request's record

# Audit records of refused calls (hub/security/gate.py)
MAX_AUDITED_CHARS = 64  # a raw argument recorded for a refused call is cut to this
MAX_REASON_CHARS = 500  # the reason of any audit record

# Ingest over HTTP (hub/ingest_api.py)
UPLOAD_GRACE_S = 60.0  # an upload not yet locked is left alone this long by the clean-up
MAX_DISPLAY_NAME_CHARS = 200  # of a sent file's name, kept in the run report
MAX_ECHOED_CHARS = 100  # of a caller's own text (dataset, content type) kept in answers, records
MAX_INGEST_REASON_CHARS = 300  # of a run's reason kept in an audit record

# Requests, the console and its accounts
MAX_CLIENT_REQUEST_ID_CHARS = 64  # of a caller's X-Request-ID kept as clientRequestId
MAX_FORM_BYTES = 4_096  # a console sign-in form
GZIP_MIN_BYTES = 1_000  # console files smaller than this are sent uncompressed
MIN_PASSWORD_CHARS = 10  # a console account's password
MAX_PASSWORD_CHARS = 200
MAX_ACCOUNT_NAME_CHARS = 64  # a console account's name, and the subject it signs in as
SESSION_RECHECK_SECONDS = 5.0  # a session's account state is read again at most this often
MAX_OPERATOR_REASON_CHARS = 300  # the --reason of an operator command, in its audit record

# Tokens
MIN_SECRET_KEY_BYTES = 32  # HS256 needs a key at least as long as its hash
DEFAULT_TOKEN_TTL = timedelta(hours=8)  # one working shift
MAX_TOKEN_TTL = timedelta(days=366)  # department systems get long-lived tokens; never unbounded
TOKEN_LEEWAY_S = 30  # tolerated clock difference when checking `exp`
JWKS_CACHE_S = 300  # how long fetched identity-provider keys are kept (unknown kid refetches)
TOKEN_CACHE_S = JWKS_CACHE_S  # longest a verified token is taken on trust (never past exp)
TOKEN_CACHE_SIZE = 4_096  # verified tokens kept
JWKS_TIMEOUT_S = 10
JWKS_REFRESH_COOLDOWN_S = 30  # an unknown kid refetches the keys at most this often

# Console sign-in through an OpenID Connect provider (hub/console/oidc.py, docs/security.md)
OIDC_TIMEOUT_S = 10  # each call to the provider: discovery, keys, the code exchange
OIDC_DISCOVERY_CACHE_S = 3600  # how long the provider's discovery document is kept
OIDC_FLOW_S = 600  # a sign-in begun at the provider must come back within this
MAX_OIDC_PARAM_CHARS = 2_048  # each query parameter of the provider's redirect back
MAX_OIDC_RESPONSE_BYTES = 1 << 20  # the provider's discovery document or token response

# Abuse limits: a token bucket per subject, and one per client address for requests without
# a valid token. The rates and bursts are settings (HUB_RATE_LIMIT_*); these are the defaults.
RATE_LIMIT_PER_MINUTE = 120  # sustained requests per subject
RATE_LIMIT_BURST = 40  # requests a subject may make at once after being idle (at most the rate)
RATE_LIMIT_MAX_SUBJECTS = 100_000  # buckets kept in memory before idle ones are dropped

# Audit log
AUDIT_APPEND_ATTEMPTS = 200  # optimistic appends lost to other processes before giving up
AUDIT_BATCH_MAX = 256  # records one process chains and writes in one query (group commit)
AUDIT_READ_PAGE = 5_000  # records per query when verifying or exporting
AUDIT_RETRY_JITTER_S = 0.002  # spreads out writers that lost a race, so they do not collide again
# Signed checkpoints of the audit chain (docs/audit.md): the head is signed at least every
# so many records or seconds, and verify fails when the newest checkpoint is older than the
# head by more than the bound (checkpoints missing from the end, or a tail cut off).
AUDIT_CHECKPOINT_RECORDS = 1_000
AUDIT_CHECKPOINT_SECONDS = 60.0
AUDIT_CHECKPOINT_MAX_AGE_S = 300.0
AUDIT_WITNESS_TIMEOUT_S = 5.0  # a witness that does not answer in time is logged, not waited on


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HUB_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    graph_uri: str = Field(
        default="embedded",
        description="embedded (default), falkordb://host:port, neo4j://, neo4j+s:// or bolt://",
    )
    graph_user: str | None = None
    graph_password: SecretStr | None = None
    graph_database: str | None = Field(
        default=None,
        description="Neo4j database name (default: neo4j, Neo4j's default database), "
        "or FalkorDB graph name (default: hub)",
    )
    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR,
        description="data directory; the default ./var is relative to the working directory",
    )
    secret_key: SecretStr | None = None
    jwks_url: str | None = None
    departments_file: Path | None = Field(
        default=None, description="TOML file listing the departments (see schema/departments.py)"
    )
    jwt_issuer: str | None = Field(
        default=None, description="required `iss` of identity-provider tokens (with jwks_url)"
    )
    jwt_audience: str | None = Field(
        default=None, description="required `aud` of identity-provider tokens (with jwks_url)"
    )
    oidc_issuer: str | None = Field(
        default=None,
        description="OpenID Connect provider whose users sign in to the console (its discovery "
        "document is at <issuer>/.well-known/openid-configuration); unset: passwords only",
    )
    oidc_client_id: str | None = Field(
        default=None, description="the hub's client id at the provider (with oidc_issuer)"
    )
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="the hub's client secret at the provider"
    )
    oidc_client_secret_file: Path | None = Field(
        default=None, description="a file holding the client secret (instead of oidc_client_secret)"
    )
    oidc_redirect_uri: str | None = Field(
        default=None,
        description="the callback registered at the provider; unset: the address the browser "
        "reached the hub at, with /session/oidc/callback",
    )
    oidc_scope: str = Field(default="openid", description="scopes asked of the provider")
    oidc_role_claim: str = Field(default="role", description="the ID token's claim of the role")
    oidc_department_claim: str = Field(
        default="dept", description="the ID token's claim of the department code"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="comma-separated browser origins allowed to call the API; none by default",
    )
    introspection: bool = Field(
        default=True, description="GraphQL introspection; turn it off in production"
    )
    max_request_bytes: int = Field(default=MAX_REQUEST_BYTES, gt=0)
    max_ingest_bytes: int = Field(default=MAX_INGEST_BYTES, gt=0)
    rate_limit_per_minute: float = Field(
        default=RATE_LIMIT_PER_MINUTE,
        gt=0,
        description="sustained requests a minute one subject (token) may make; raise it for "
        "batch clients",
    )
    rate_limit_burst: int | None = Field(
        default=None,
        gt=0,
        description="requests a subject may make at once after being idle; unset: "
        f"{RATE_LIMIT_BURST}, or the per-minute rate when that is lower",
    )
    rate_limit_by_address_per_minute: float | None = Field(
        default=None,
        gt=0,
        description="the same, for requests without a valid token, by client address; "
        "unset: HUB_RATE_LIMIT_PER_MINUTE",
    )
    rate_limit_by_address_burst: int | None = Field(
        default=None,
        gt=0,
        description="the burst of requests without a valid token, by client address; unset: "
        "as HUB_RATE_LIMIT_BURST is derived, from the by-address rate",
    )
    session_idle_minutes: int = Field(
        default=15, gt=0, description="a console session unused this long ends"
    )
    session_absolute_hours: int = Field(
        default=10, gt=0, description="a console session ends this long after signing in"
    )
    session_recheck_seconds: float = Field(
        default=SESSION_RECHECK_SECONDS,
        gt=0,
        le=300,
        description="a console session's account is read again at most this often per hub "
        "process: a disable made by another process ends the session within this time",
    )
    sign_in_max_failures: int = Field(
        default=5, gt=0, description="wrong passwords in a row that lock a console account"
    )
    sign_in_lockout_minutes: int = Field(
        default=15, gt=0, description="how long a locked console account stays locked"
    )
    alert_poll_seconds: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description="how often each alerts subscription looks in the store for new alerts "
        "(raised by this process or another, say a CLI ingest)",
    )
    expiry_notice_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="a measure of a case ending within this many days raises CONTROL_EXPIRING",
    )
    audit_checkpoint_records: int = Field(default=AUDIT_CHECKPOINT_RECORDS, gt=0)
    audit_checkpoint_seconds: float = Field(default=AUDIT_CHECKPOINT_SECONDS, gt=0)
    audit_checkpoint_max_age: float = Field(
        default=AUDIT_CHECKPOINT_MAX_AGE_S,
        gt=0,
        description="seconds the head may be ahead of the newest checkpoint before verify fails",
    )
    audit_signing_key: SecretStr | None = Field(
        default=None,
        description="Ed25519 key signing audit checkpoints: PEM (PKCS#8) or the base64 32-byte "
        "seed; default <data dir>/audit/signing.key, created on first use",
    )
    audit_witness_url: str | None = Field(
        default=None,
        description="syslog://host:port (UDP) or http(s)://… receiving each audit checkpoint",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _oidc_complete(self) -> Settings:
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("HUB_OIDC_ISSUER is set: set HUB_OIDC_CLIENT_ID too")
        if self.oidc_client_secret and self.oidc_client_secret_file:
            raise ValueError("set HUB_OIDC_CLIENT_SECRET or HUB_OIDC_CLIENT_SECRET_FILE, not both")
        return self

    @property
    def engine(self) -> str:
        """`falkordb` or `neo4j`, from HUB_GRAPH_URI (ValueError naming the URI otherwise)."""
        from hub.store import engine_of  # hub.store imports this module

        return engine_of(self.graph_uri)

    @property
    def database(self) -> str | None:
        """The graph every command uses: HUB_GRAPH_DATABASE; unset, FalkorDB's graph `hub`,
        and on Neo4j None: the store's default, `neo4j`, the database a server starts with."""
        if self.graph_database:
            return self.graph_database
        return None if self.engine == "neo4j" else DEFAULT_FALKORDB_GRAPH

    @property
    def graph_name(self) -> str:
        """The FalkorDB graph name (never sent to Neo4j: see `database`)."""
        return self.graph_database or DEFAULT_FALKORDB_GRAPH

    @property
    def embedded(self) -> bool:
        return self.graph_uri in ("", "embedded")

    @property
    def subject_rate(self) -> tuple[float, int]:
        """Requests a minute and burst of each subject's bucket."""
        return self.rate_limit_per_minute, _burst(self.rate_limit_burst, self.rate_limit_per_minute)

    @property
    def address_rate(self) -> tuple[float, int]:
        """Requests a minute and burst of each client address's bucket (no valid token)."""
        per_minute = self.rate_limit_by_address_per_minute or self.rate_limit_per_minute
        return per_minute, _burst(self.rate_limit_by_address_burst, per_minute)


def _burst(configured: int | None, per_minute: float) -> int:
    """The burst given, or RATE_LIMIT_BURST, lowered to the rate: a limit of 3 a minute lets
    no more than 3 requests through in one go."""
    if configured is not None:
        return configured
    return max(1, min(RATE_LIMIT_BURST, int(per_minute)))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
