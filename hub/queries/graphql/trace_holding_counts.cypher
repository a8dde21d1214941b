// tracePerson: how much each of $ids (the subject's relatives) holds, as counts only, so an
// officer sees where assets may sit (a spouse's home, say) without seeing the assets.
// Each pattern comprehension has variables of its own (FalkorDB mixes up reused ones).
UNWIND $ids AS id
MATCH (q:Party {party_id: id})
RETURN id,
  size([(q)-[owns:OWNS_PROPERTY]->(property:Property) | 1]) AS properties,
  size([(q)-[drives:OWNS_VEHICLE]->(vehicle:Vehicle) | 1]) AS vehicles,
  size([(q)-[holds:HOLDS_ACCOUNT]->(account:Account) | 1]) AS accounts,
  size([(q)-[part:SHAREHOLDER_OF|LEGAL_REP_OF]->(enterprise:Enterprise) | 1]) AS enterprises
