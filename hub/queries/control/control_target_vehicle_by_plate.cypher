// requestControl: a vehicle by plate number (when no VIN is given), as
// control_target_vehicle does by VIN.
MATCH (t:Vehicle {plate_number: $key})
OPTIONAL MATCH (h:Party)-[:OWNS_VEHICLE]->(t)
OPTIONAL MATCH (h)-[p:PARTY_TO]->(:Case {case_number: $case_number})
RETURN
  t.vin AS vin, t.plate_number AS plate_number,
  t.source AS source, null AS account_type, null AS balance, t.status AS status,
  h.party_id AS holder_id, h.name AS holder_name, h:Enterprise AS enterprise,
  collect(p.role) AS roles
