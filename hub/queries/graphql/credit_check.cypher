// creditCheck: for each of $ids in the graph, its listings on the dishonest list, and the
// listings of the enterprises it is legal representative of or holds an office in (with the
// title), each with removed_at: the caller keeps those not removed (限制消费规定 art. 3).
// Ids not in the graph return no row. Written as OPTIONAL MATCH stages rather than pattern
// comprehensions: for those FalkorDB scanned every enterprise per subject, dropped rows on
// a WHERE inside, and mixed up comprehensions that reuse a variable name.
UNWIND $ids AS id
MATCH (s:Party {party_id: id})
OPTIONAL MATCH (s)-[listed:LISTED_DISHONEST]->(own_case:Case)
WITH id, s, collect(CASE WHEN listed IS NULL THEN null ELSE
  {case_number: own_case.case_number, listed_at: listed.listed_at,
   removed_at: listed.removed_at} END) AS listings
OPTIONAL MATCH (s)-[:LEGAL_REP_OF]->(represented:Enterprise)
OPTIONAL MATCH (represented)-[rep_listed:LISTED_DISHONEST]->(rep_case:Case)
WITH id, s, listings, collect(CASE WHEN rep_listed IS NULL THEN null ELSE
  {via: represented.name, uscc: represented.party_id, case_number: rep_case.case_number,
   listed_at: rep_listed.listed_at, removed_at: rep_listed.removed_at} END) AS represented
OPTIONAL MATCH (s)-[office:EXECUTIVE_OF]->(run:Enterprise)
OPTIONAL MATCH (run)-[run_listed:LISTED_DISHONEST]->(run_case:Case)
WITH id, s, listings, represented, collect(CASE WHEN run_listed IS NULL THEN null ELSE
  {via: run.name, uscc: run.party_id, case_number: run_case.case_number,
   listed_at: run_listed.listed_at, removed_at: run_listed.removed_at, title: office.title}
  END) AS offices
RETURN id, s.name AS name, listings, represented, offices
