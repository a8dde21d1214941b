// NEW_ASSET, asked before a nrb.properties batch is written: of $rows (holder, key), those
// whose holder is a respondent of an open case with an officer and is not linked by OWNS_PROPERTY
// to that asset yet: each such row and case, once the batch is written, is an alert.
UNWIND $rows AS row
MATCH (h:Party {party_id: row.holder})
WITH row, h  // the plan starts at the holder's index lookup, not at every case
MATCH (h)-[pt:PARTY_TO]->(c:Case)
WHERE pt.role = $respondent AND c.officer_id IS NOT NULL
  AND (c.status IS NULL OR c.status = $open)
OPTIONAL MATCH (h)-[known:OWNS_PROPERTY]->(:Property {cert_number: row.key})
WITH row, h, c, known
WHERE known IS NULL
RETURN row.key AS key, row.what AS what, h.party_id AS subject_id, h.name AS subject_name,
  h:Enterprise AS enterprise, c.case_number AS case_number, c.officer_id AS officer_id
