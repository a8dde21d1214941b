// court.parties 当事人: one PARTY_TO edge per (case, party, role). A case not published yet
// is created bare, with provenance, for court.cases to complete.
UNWIND $rows AS row
MERGE (court_case:Case {case_number: row.case_number})
  ON CREATE SET court_case.source = $source, court_case.batch_id = $batch_id,
                court_case.loaded_at = $loaded_at
WITH court_case, row
MATCH (party:Party {party_id: row.party_id})
MERGE (party)-[role:PARTY_TO {role: row.role}]->(court_case)
WITH role, row, role.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET role.row_hash = row.hash,
    role.source = $source, role.batch_id = $batch_id, role.loaded_at = $loaded_at
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
