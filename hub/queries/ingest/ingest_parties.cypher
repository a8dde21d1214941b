// Every Party node is created here, before the rows that refer to it are written: a party
// nobody has published yet becomes an unverified stub carrying the name the row gave.
// psb.persons and amr.enterprises complete stubs (verified: true). While a party is
// unverified, a later row may fill its missing name; a verified name is never touched.
// $rows: one {id, kind: 'person' | 'enterprise', name, converted_from_15} per party.
UNWIND $rows AS ref
OPTIONAL MATCH (known:Party {party_id: ref.id})
FOREACH (_ IN CASE WHEN known IS NULL AND ref.kind = 'person' THEN [1] ELSE [] END |
  CREATE (:Party:Person {party_id: ref.id, verified: false,
                         converted_from_15: ref.converted_from_15,
                         source: $source, batch_id: $batch_id, loaded_at: $loaded_at})
)
FOREACH (_ IN CASE WHEN known IS NULL AND ref.kind = 'enterprise' THEN [1] ELSE [] END |
  CREATE (:Party:Enterprise {party_id: ref.id, verified: false,
                             source: $source, batch_id: $batch_id, loaded_at: $loaded_at})
)
WITH ref, known
MATCH (party:Party {party_id: ref.id})
FOREACH (_ IN CASE WHEN party.verified = false AND party.name IS NULL AND ref.name IS NOT NULL
              THEN [1] ELSE [] END |
  SET party.name = ref.name, party.source = $source, party.batch_id = $batch_id,
      party.loaded_at = $loaded_at
)
FOREACH (_ IN CASE WHEN ref.converted_from_15 AND coalesce(party.converted_from_15, false) = false
              THEN [1] ELSE [] END |
  SET party.converted_from_15 = true
)
RETURN count(CASE WHEN known IS NULL THEN 1 END) AS parties_created
