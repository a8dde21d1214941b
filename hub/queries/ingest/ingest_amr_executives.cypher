// amr.executives 主要人员: one EXECUTIVE_OF edge per (uscc, person, title); 实际控制人 included.
UNWIND $rows AS row
MATCH (enterprise:Party {party_id: row.uscc})
MATCH (person:Party {party_id: row.id_number})
MERGE (person)-[role:EXECUTIVE_OF {title: row.title}]->(enterprise)
WITH role, row, role.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET role.row_hash = row.hash,
    role.source = $source, role.batch_id = $batch_id, role.loaded_at = $loaded_at
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
