// tracePerson: how much each of $ids (the subject's relatives) holds, as counts only, so an
// officer sees where assets may sit (a spouse's home, say) without seeing the assets.
UNWIND $ids AS id
MATCH (q:Party {party_id: id})
RETURN id,
  size([(q)-[:OWNS_PROPERTY]->(x:Property) | 1]) AS properties,
  size([(q)-[:OWNS_VEHICLE]->(x:Vehicle) | 1]) AS vehicles,
  size([(q)-[:HOLDS_ACCOUNT]->(x:Account) | 1]) AS accounts,
  size([(q)-[:SHAREHOLDER_OF|LEGAL_REP_OF]->(x:Enterprise) | 1]) AS enterprises
