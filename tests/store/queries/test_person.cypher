// One person's properties, by id_number.
MATCH (p:Person {party_id: $id})
RETURN properties(p) AS person
