// creditCheck, first step: which of $ids are in the graph, with their names (`subjects`, as
// [id, name] pairs), and which of them have any link the restrictions go through: a listing
// of their own, or an enterprise they represent or hold an office in (`linked`). Only the
// linked ones are looked at by `credit_listings`. Neo4j counts with COUNT {}; see the
// .falkordb variant for outdegree().
UNWIND $ids AS id
MATCH (s:Party {party_id: id})
RETURN collect([id, s.name]) AS subjects,
       collect(CASE
         WHEN COUNT { (s)-[:LISTED_DISHONEST|LEGAL_REP_OF|EXECUTIVE_OF]->() } > 0 THEN id
       END) AS linked
