// NEW_CLUE, asked before a psb.persons batch is written: of $rows (holder, kind 'phone' or
// 'address', key), those whose person is a respondent of an open case with an officer and
// has no such phone or address linked yet: each such row and case is an alert once the
// batch is written.
UNWIND $rows AS row
MATCH (h:Party {party_id: row.holder})
WITH row, h  // the plan starts at the holder's index lookup, not at every case
MATCH (h)-[pt:PARTY_TO]->(c:Case)
WHERE pt.role = $respondent AND c.officer_id IS NOT NULL
  AND (c.status IS NULL OR c.status = $open)
OPTIONAL MATCH (h)-[:HAS_PHONE]->(phone:Phone {number: row.key})
  WHERE row.kind = 'phone'
OPTIONAL MATCH (h)-[:HOUSEHOLD_AT|RESIDES_AT]->(address:Address {text: row.key})
  WHERE row.kind = 'address'
WITH row, h, c, phone, address
WHERE phone IS NULL AND address IS NULL
RETURN row.kind AS kind, row.key AS key, row.what AS what, h.party_id AS subject_id,
  h.name AS subject_name, h:Enterprise AS enterprise, c.case_number AS case_number,
  c.officer_id AS officer_id
