// person: one person with their phones.
MATCH (p:Party {party_id: $id})
WHERE p:Person
RETURN
  p {.party_id, .name, .gender, .birth_date, .household_address, .residence_address, .status,
     .verified} AS person,
  [(p)-[:HAS_PHONE]->(phone:Phone) | phone.number][0..$max_items] AS phones
