// amr.enterprises 企业登记: complete the enterprise (made by ingest_parties) with amr's data,
// the authority for name, status and legal representative (one: a new one replaces the old
// edge). Registered addresses are linked with as_of; earlier ones stay linked. Only this
// query links legal representatives, and it gives the enterprise its row_hash as it does:
// one without (old IS NULL: new, or a stub) has none to replace and is not searched for one.
UNWIND $rows AS row
MATCH (enterprise:Party {party_id: row.uscc})
WITH enterprise, row, enterprise.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET enterprise += row.props, enterprise.verified = true, enterprise.row_hash = row.hash,
    enterprise.source = $source, enterprise.batch_id = $batch_id,
    enterprise.loaded_at = $loaded_at
WITH enterprise, row, old
MATCH (rep:Party {party_id: row.legal_rep_id})
OPTIONAL MATCH (previous:Party)-[gone:LEGAL_REP_OF]->(enterprise)
  WHERE old IS NOT NULL AND previous.party_id <> row.legal_rep_id
DELETE gone
WITH enterprise, rep, row, old, coalesce(row.props.updated_at, $loaded_at) AS as_of
MERGE (rep)-[legal:LEGAL_REP_OF]->(enterprise)
SET legal.source = $source, legal.batch_id = $batch_id, legal.loaded_at = $loaded_at
FOREACH (text IN CASE WHEN row.props.address IS NULL THEN [] ELSE [row.props.address] END |
  MERGE (address:Address {text: text})
    ON CREATE SET address.source = $source, address.batch_id = $batch_id,
                  address.loaded_at = $loaded_at
  MERGE (enterprise)-[at:REGISTERED_AT]->(address)
  SET at.as_of = CASE WHEN at.as_of > as_of THEN at.as_of ELSE as_of END,
      at.source = $source, at.batch_id = $batch_id, at.loaded_at = $loaded_at
)
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
