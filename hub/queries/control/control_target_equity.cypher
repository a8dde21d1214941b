// requestControl: the shares $holder holds in the enterprise $key (uscc), their provenance
// (the registry that published the shareholding) and the roles of the holder in
// $case_number. No row: $holder holds no shares there.
MATCH (h:Party {party_id: $holder})
MATCH (h)-[s:SHAREHOLDER_OF]->(e:Enterprise {party_id: $key})
OPTIONAL MATCH (h)-[p:PARTY_TO]->(:Case {case_number: $case_number})
RETURN
  s.source AS source, null AS account_type, null AS balance, e.status AS status,
  e.name AS enterprise_name, h.party_id AS holder_id, h.name AS holder_name,
  h:Enterprise AS enterprise, collect(p.role) AS roles
