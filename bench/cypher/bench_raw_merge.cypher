// bench/ingest.py's raw path on Neo4j (RAW_QUERY there): each row MERGEd by its key, every
// other non-empty cell set as a property; no validation, provenance or stubs.
UNWIND $rows AS row
MERGE (n:RawRow {key: row.key})
SET n += row.props
