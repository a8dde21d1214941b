// requestControl: a vehicle by VIN, its provenance and its owner with the roles the owner
// has in $case_number. No row: no such vehicle.
MATCH (t:Vehicle {vin: $key})
OPTIONAL MATCH (h:Party)-[:OWNS_VEHICLE]->(t)
OPTIONAL MATCH (h)-[p:PARTY_TO]->(:Case {case_number: $case_number})
RETURN
  t.vin AS vin, t.plate_number AS plate_number,
  t.source AS source, null AS account_type, null AS balance, t.status AS status,
  h.party_id AS holder_id, h.name AS holder_name, h:Enterprise AS enterprise,
  collect(p.role) AS roles
