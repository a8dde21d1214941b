// creditCheck, first step: which of $ids are in the graph, with their names (`subjects`, as
// [id, name] pairs), and which of them have any link the restrictions go through: a listing
// of their own, or an enterprise they represent or hold an office in (`linked`). Only the
// linked ones, about a fifth in the benchmark county, are looked at by `credit_listings`.
// One row of two lists: 1,000 subjects as rows of their own took twice the server time and
// the hub a third of its reading time. FalkorDB counts with outdegree(); see the .neo4j
// variant for COUNT {}.
UNWIND $ids AS id
MATCH (s:Party {party_id: id})
RETURN collect([id, s.name]) AS subjects,
       collect(CASE
         WHEN outdegree(s, 'LISTED_DISHONEST', 'LEGAL_REP_OF', 'EXECUTIVE_OF') > 0 THEN id
       END) AS linked
