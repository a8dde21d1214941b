// psb.relations 家庭关系: one RELATIVE edge per (person, relative, relation), as psb published it.
UNWIND $rows AS row
MATCH (person:Party {party_id: row.id_number})
MATCH (relative:Party {party_id: row.relative_id_number})
MERGE (person)-[kin:RELATIVE {relation: row.relation}]->(relative)
WITH kin, row, kin.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET kin.row_hash = row.hash,
    kin.source = $source, kin.batch_id = $batch_id, kin.loaded_at = $loaded_at
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
