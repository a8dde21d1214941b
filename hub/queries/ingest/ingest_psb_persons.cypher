// psb.persons 户籍人口: complete the person (made by ingest_parties) with psb's data, the
// authority for name, gender and birth date. A row whose hash is unchanged writes nothing.
// Phones and addresses are linked with as_of; earlier ones stay linked (tracing clues).
UNWIND $rows AS row
MATCH (person:Party {party_id: row.party_id})
WITH person, row, person.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET person += row.props, person.verified = true, person.row_hash = row.hash,
    person.source = $source, person.batch_id = $batch_id, person.loaded_at = $loaded_at
WITH person, row, old, coalesce(row.props.updated_at, $loaded_at) AS as_of
FOREACH (number IN CASE WHEN row.phone IS NULL THEN [] ELSE [row.phone] END |
  MERGE (phone:Phone {number: number})
    ON CREATE SET phone.source = $source, phone.batch_id = $batch_id, phone.loaded_at = $loaded_at
  MERGE (person)-[has:HAS_PHONE]->(phone)
  SET has.as_of = CASE WHEN has.as_of > as_of THEN has.as_of ELSE as_of END,
      has.source = $source, has.batch_id = $batch_id, has.loaded_at = $loaded_at
)
FOREACH (text IN CASE WHEN row.props.household_address IS NULL THEN []
                      ELSE [row.props.household_address] END |
  MERGE (address:Address {text: text})
    ON CREATE SET address.source = $source, address.batch_id = $batch_id,
                  address.loaded_at = $loaded_at
  MERGE (person)-[at:HOUSEHOLD_AT]->(address)
  SET at.as_of = CASE WHEN at.as_of > as_of THEN at.as_of ELSE as_of END,
      at.source = $source, at.batch_id = $batch_id, at.loaded_at = $loaded_at
)
FOREACH (text IN CASE WHEN row.props.residence_address IS NULL THEN []
                      ELSE [row.props.residence_address] END |
  MERGE (address:Address {text: text})
    ON CREATE SET address.source = $source, address.batch_id = $batch_id,
                  address.loaded_at = $loaded_at
  MERGE (person)-[at:RESIDES_AT]->(address)
  SET at.as_of = CASE WHEN at.as_of > as_of THEN at.as_of ELSE as_of END,
      at.source = $source, at.batch_id = $batch_id, at.loaded_at = $loaded_at
)
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
