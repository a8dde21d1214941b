// tracePerson: how much each relative of $id holds, as counts only, so an officer sees where
// assets may sit (a spouse's home, say) without seeing the assets. It finds the relatives
// itself, so it runs beside trace_subject instead of after it (at most $max_items, as there).
// Each pattern comprehension has variables of its own (FalkorDB mixes up reused ones).
MATCH (p:Party {party_id: $id})
MATCH (p)-[:RELATIVE]-(q:Person)
WITH DISTINCT q
LIMIT $max_items
RETURN q.party_id AS id,
  size([(q)-[owns:OWNS_PROPERTY]->(property:Property) | 1]) AS properties,
  size([(q)-[drives:OWNS_VEHICLE]->(vehicle:Vehicle) | 1]) AS vehicles,
  size([(q)-[holds:HOLDS_ACCOUNT]->(account:Account) | 1]) AS accounts,
  size([(q)-[part:SHAREHOLDER_OF|LEGAL_REP_OF]->(enterprise:Enterprise) | 1]) AS enterprises
