// Whether any person is in the graph yet (hub serve --demo loads the demo county when not).
MATCH (person:Person)
RETURN person.party_id AS party_id
LIMIT 1
