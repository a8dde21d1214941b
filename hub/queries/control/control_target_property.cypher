// requestControl: real estate by certificate number, its provenance and each co-owner with
// the roles the owner has in $case_number. No row: no such property.
MATCH (t:Property {cert_number: $key})
OPTIONAL MATCH (h:Party)-[:OWNS_PROPERTY]->(t)
OPTIONAL MATCH (h)-[p:PARTY_TO]->(:Case {case_number: $case_number})
RETURN
  t.source AS source, null AS account_type, null AS balance, t.status AS status,
  h.party_id AS holder_id, h.name AS holder_name, h:Enterprise AS enterprise,
  collect(p.role) AS roles
