"""Every setting the hub reads, and every limit it enforces, in one place.

Environment variables carry the `HUB_` prefix (a `.env` file in the working directory is
read too). Nothing else in the code base reads the environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Store access
QUERY_CONCURRENCY = 32  # concurrent queries one process sends to the graph store
WRITE_BATCH_SIZE = 5_000  # rows per UNWIND batch (bench/ingest.py measured the curve)
STORE_START_TIMEOUT_S = 60.0  # embedded store: start, including loading its files
STORE_STOP_TIMEOUT_S = 30.0

# API limits
MAX_PAGE_SIZE = 200
MAX_CREDIT_SUBJECTS = 1_000
MAX_TRACE_HOPS = 3
MAX_ASSOCIATES = 50
MAX_QUERY_DEPTH = 10
MAX_REQUEST_BYTES = 1 << 20  # GraphQL request bodies
MAX_INGEST_BYTES = 2 << 30  # department files sent over HTTP


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
        default=None, description="Neo4j database name, or FalkorDB graph name (default: hub)"
    )
    data_dir: Path = Path("./var")
    secret_key: SecretStr | None = None
    jwks_url: str | None = None
    departments_file: Path | None = Field(
        default=None, description="TOML file listing the departments (see hub/departments.py)"
    )

    @property
    def graph_name(self) -> str:
        return self.graph_database or "hub"

    @property
    def embedded(self) -> bool:
        return self.graph_uri in ("", "embedded")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
