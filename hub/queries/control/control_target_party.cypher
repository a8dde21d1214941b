// requestControl: a person (LOCATE) or an enterprise (WAGE_CHECK) by $key, its provenance
// and the roles it has in $case_number. No row: not in the graph.
MATCH (h:Party {party_id: $key})
OPTIONAL MATCH (h)-[p:PARTY_TO]->(:Case {case_number: $case_number})
RETURN
  h.source AS source, null AS account_type, null AS balance, h.status AS status,
  h.party_id AS holder_id, h.name AS holder_name, h:Enterprise AS enterprise,
  collect(p.role) AS roles
