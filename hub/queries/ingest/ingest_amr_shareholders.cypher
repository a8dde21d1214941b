// amr.shareholders 股东: one SHAREHOLDER_OF edge per (uscc, holder), a person or an enterprise.
UNWIND $rows AS row
MATCH (enterprise:Party {party_id: row.uscc})
MATCH (holder:Party {party_id: row.holder_id})
MERGE (holder)-[share:SHAREHOLDER_OF]->(enterprise)
WITH share, row, share.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET share += row.props, share.row_hash = row.hash,
    share.source = $source, share.batch_id = $batch_id, share.loaded_at = $loaded_at
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
