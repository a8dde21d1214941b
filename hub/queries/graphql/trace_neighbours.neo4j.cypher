// tracePerson, one hop of the associate search: the persons each of $ids leads to through
// family, a shared phone, a shared address or a common enterprise. A phone, address or
// enterprise linking more than $max_degree persons is a hub (a collective household, a
// switchboard) and is not followed. Neo4j counts edges with COUNT {}; see the .falkordb
// variant for the same query with indegree(). The WITH after each first step keeps
// FalkorDB's planner starting from the index on Party.party_id.
UNWIND $ids AS from_id
MATCH (f:Party {party_id: from_id})-[r:RELATIVE]-(n:Person)
RETURN from_id, 'FAMILY' AS link, r.relation AS label, startNode(r) = f AS outgoing,
       n {.party_id, .name, .birth_date, .household_address, .residence_address, .source,
          .updated_at} AS person
UNION ALL
UNWIND $ids AS from_id
MATCH (f:Party {party_id: from_id})
MATCH (f)-[:HAS_PHONE]->(phone:Phone)
WITH from_id, phone
WHERE COUNT { (phone)<-[:HAS_PHONE]-() } <= $max_degree
MATCH (phone)<-[:HAS_PHONE]-(n:Person)
WHERE n.party_id <> from_id
RETURN from_id, 'PHONE' AS link, phone.number AS label, true AS outgoing,
       n {.party_id, .name, .birth_date, .household_address, .residence_address, .source,
          .updated_at} AS person
UNION ALL
UNWIND $ids AS from_id
MATCH (f:Party {party_id: from_id})
MATCH (f)-[:HOUSEHOLD_AT|RESIDES_AT]->(address:Address)
WITH DISTINCT from_id, address
WHERE COUNT { (address)<-[:HOUSEHOLD_AT|RESIDES_AT]-() } <= $max_degree
MATCH (address)<-[:HOUSEHOLD_AT|RESIDES_AT]-(n:Person)
WHERE n.party_id <> from_id
RETURN from_id, 'ADDRESS' AS link, address.text AS label, true AS outgoing,
       n {.party_id, .name, .birth_date, .household_address, .residence_address, .source,
          .updated_at} AS person
UNION ALL
UNWIND $ids AS from_id
MATCH (f:Party {party_id: from_id})
MATCH (f)-[role:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF]->(e:Enterprise)
WITH from_id, role, e
WHERE COUNT { (e)<-[:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF]-() } <= $max_degree
MATCH (e)<-[:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF]-(n:Person)
WHERE n.party_id <> from_id
RETURN from_id, 'ENTERPRISE' AS link, e.name AS label, true AS outgoing,
       n {.party_id, .name, .birth_date, .household_address, .residence_address, .source,
          .updated_at, role: type(role), title: role.title} AS person
