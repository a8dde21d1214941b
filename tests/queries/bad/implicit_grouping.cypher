// expect: error: implicit grouping expressions
// FalkorDB groups by n.amount implicitly here; Neo4j rejects the query.
MATCH (n:Judgment)
RETURN n.amount + count(*) AS total
