// court.dishonest 失信被执行人: one LISTED_DISHONEST edge per (case, subject). A case not
// published yet is created bare, with provenance, for court.cases to complete.
UNWIND $rows AS row
MERGE (court_case:Case {case_number: row.case_number})
  ON CREATE SET court_case.source = $source, court_case.batch_id = $batch_id,
                court_case.loaded_at = $loaded_at
WITH court_case, row
MATCH (subject:Party {party_id: row.subject_id})
MERGE (subject)-[listing:LISTED_DISHONEST]->(court_case)
WITH listing, row, listing.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET listing += row.props, listing.row_hash = row.hash,
    listing.source = $source, listing.batch_id = $batch_id, listing.loaded_at = $loaded_at
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
