// nrb.properties 不动产登记: one OWNS_PROPERTY edge per (cert_number, owner) with the owner's
// share; the Property node (by cert_number) and its one address are shared by the co-owners.
// LOCATED_AT is merged inside FOREACH: co-owners' rows merge the same edge in one batch, and
// FalkorDB drops the repeated rows of a top-level relationship MERGE followed by SET.
UNWIND $rows AS row
MERGE (property:Property {cert_number: row.cert_number})
WITH property, row
MATCH (owner:Party {party_id: row.owner_id})
MERGE (owner)-[owns:OWNS_PROPERTY]->(property)
WITH property, owns, row, owns.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET owns.share_pct = row.share_pct, owns.row_hash = row.hash,
    owns.source = $source, owns.batch_id = $batch_id, owns.loaded_at = $loaded_at,
    property += row.props,
    property.source = $source, property.batch_id = $batch_id, property.loaded_at = $loaded_at
WITH property, row, old
OPTIONAL MATCH (property)-[gone:LOCATED_AT]->(elsewhere:Address)
  WHERE elsewhere.text <> row.props.address
DELETE gone
WITH property, row, old
FOREACH (text IN [row.props.address] |
  MERGE (address:Address {text: text})
    ON CREATE SET address.source = $source, address.batch_id = $batch_id,
                  address.loaded_at = $loaded_at
  MERGE (property)-[at:LOCATED_AT]->(address)
  SET at.source = $source, at.batch_id = $batch_id, at.loaded_at = $loaded_at
)
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
