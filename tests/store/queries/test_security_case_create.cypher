// A case assigned to $officer_id, with $parties: [{party_id, role}].
MERGE (c:Case {case_number: $case_number})
SET c.officer_id = $officer_id
WITH c
UNWIND $parties AS party
MERGE (p:Party {party_id: party.party_id})
MERGE (p)-[:PARTY_TO {role: party.role}]->(c)
RETURN count(*) AS parties
