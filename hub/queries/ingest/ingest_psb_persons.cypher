// psb.persons 户籍人口: the person with psb's data, the authority for name, gender and birth
// date. The rows are the parties themselves (ingest_parties does not run for them): a person
// not in the graph yet is created whole, with its properties in CREATE, which costs FalkorDB
// about half of creating a stub and setting its properties afterwards (bench/README.md); a
// stub other datasets made is completed (verified: true). A row whose hash is unchanged
// writes nothing; a 15-digit number marks the person converted_from_15 all the same.
// Phones and addresses are linked with as_of; earlier ones stay linked (tracing clues).
UNWIND $rows AS row
OPTIONAL MATCH (known:Party {party_id: row.party_id})
FOREACH (_ IN CASE WHEN known IS NOT NULL AND row.converted_from_15
                        AND coalesce(known.converted_from_15, false) = false
              THEN [1] ELSE [] END |
  SET known.converted_from_15 = true
)
WITH row, known, known.row_hash AS old
WHERE old IS NULL OR old <> row.hash
FOREACH (_ IN CASE WHEN known IS NULL THEN [1] ELSE [] END |
  CREATE (:Party:Person {
    party_id: row.party_id, verified: true, converted_from_15: row.converted_from_15,
    name: row.props.name, gender: row.props.gender, birth_date: row.props.birth_date,
    ethnicity: row.props.ethnicity, household_address: row.props.household_address,
    residence_address: row.props.residence_address, status: row.props.status,
    updated_at: row.props.updated_at, row_hash: row.hash,
    source: $source, batch_id: $batch_id, loaded_at: $loaded_at
  })
)
FOREACH (_ IN CASE WHEN known IS NULL THEN [] ELSE [1] END |
  SET known += row.props, known.verified = true, known.row_hash = row.hash,
      known.source = $source, known.batch_id = $batch_id, known.loaded_at = $loaded_at
)
WITH row, known IS NULL AS new, old, coalesce(row.props.updated_at, $loaded_at) AS as_of
MATCH (person:Party {party_id: row.party_id})
// A new person's links are new: created with their properties.
FOREACH (number IN CASE WHEN new AND row.phone IS NOT NULL THEN [row.phone] ELSE [] END |
  MERGE (phone:Phone {number: number})
    ON CREATE SET phone.source = $source, phone.batch_id = $batch_id, phone.loaded_at = $loaded_at
  CREATE (person)-[:HAS_PHONE {as_of: as_of,
                               source: $source, batch_id: $batch_id, loaded_at: $loaded_at}]->(phone)
)
FOREACH (text IN CASE WHEN new AND row.props.household_address IS NOT NULL
                      THEN [row.props.household_address] ELSE [] END |
  MERGE (address:Address {text: text})
    ON CREATE SET address.source = $source, address.batch_id = $batch_id,
                  address.loaded_at = $loaded_at
  CREATE (person)-[:HOUSEHOLD_AT {as_of: as_of,
                                  source: $source, batch_id: $batch_id, loaded_at: $loaded_at}]->(address)
)
FOREACH (text IN CASE WHEN new AND row.props.residence_address IS NOT NULL
                      THEN [row.props.residence_address] ELSE [] END |
  MERGE (address:Address {text: text})
    ON CREATE SET address.source = $source, address.batch_id = $batch_id,
                  address.loaded_at = $loaded_at
  CREATE (person)-[:RESIDES_AT {as_of: as_of,
                                source: $source, batch_id: $batch_id, loaded_at: $loaded_at}]->(address)
)
// A known person's links may exist already: merged, as_of kept at the latest.
FOREACH (number IN CASE WHEN NOT new AND row.phone IS NOT NULL THEN [row.phone] ELSE [] END |
  MERGE (phone:Phone {number: number})
    ON CREATE SET phone.source = $source, phone.batch_id = $batch_id, phone.loaded_at = $loaded_at
  MERGE (person)-[has:HAS_PHONE]->(phone)
  SET has.as_of = CASE WHEN has.as_of > as_of THEN has.as_of ELSE as_of END,
      has.source = $source, has.batch_id = $batch_id, has.loaded_at = $loaded_at
)
FOREACH (text IN CASE WHEN NOT new AND row.props.household_address IS NOT NULL
                      THEN [row.props.household_address] ELSE [] END |
  MERGE (address:Address {text: text})
    ON CREATE SET address.source = $source, address.batch_id = $batch_id,
                  address.loaded_at = $loaded_at
  MERGE (person)-[at:HOUSEHOLD_AT]->(address)
  SET at.as_of = CASE WHEN at.as_of > as_of THEN at.as_of ELSE as_of END,
      at.source = $source, at.batch_id = $batch_id, at.loaded_at = $loaded_at
)
FOREACH (text IN CASE WHEN NOT new AND row.props.residence_address IS NOT NULL
                      THEN [row.props.residence_address] ELSE [] END |
  MERGE (address:Address {text: text})
    ON CREATE SET address.source = $source, address.batch_id = $batch_id,
                  address.loaded_at = $loaded_at
  MERGE (person)-[at:RESIDES_AT]->(address)
  SET at.as_of = CASE WHEN at.as_of > as_of THEN at.as_of ELSE as_of END,
      at.source = $source, at.batch_id = $batch_id, at.loaded_at = $loaded_at
)
RETURN count(CASE WHEN new THEN 1 END) AS parties_created,
       count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
