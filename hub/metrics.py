"""Prometheus metrics served at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

STORE_QUERIES = Counter(
    "hub_store_queries_total", "Queries sent to the graph store", ["engine", "query"]
)
STORE_SECONDS = Histogram(
    "hub_store_query_seconds",
    "Time spent in graph store queries",
    ["engine", "kind"],
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 5),
)
REQUESTS = Counter(
    "hub_requests_total", "API requests by operation and outcome", ["operation", "outcome"]
)
INGESTED_ROWS = Counter(
    "hub_ingested_rows_total", "Department rows ingested", ["dataset", "outcome"]
)
