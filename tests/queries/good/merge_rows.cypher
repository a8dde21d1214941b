UNWIND $rows AS row
MERGE (p:Person {id: row.id})
SET p += row.props
WITH p, row
MATCH (c:Case {id: row.case_id})
MERGE (p)-[r:PARTY_TO]->(c)
SET r.role = row.role
RETURN count(p) AS merged
