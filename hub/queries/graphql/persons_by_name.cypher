// searchPersons: persons whose name is exactly $name (the Person.name index answers it).
MATCH (p:Person {name: $name})
RETURN p {.party_id, .name, .birth_date, .household_address} AS person
ORDER BY p.party_id
LIMIT $first
