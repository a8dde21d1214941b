// A second head beside the first, as writers that start a log at the same moment can leave
// on FalkorDB, whose MERGE is not atomic (audit_head).
MATCH (h:AuditHead {name: 'chain'})-[p:POSITION]->(h)
CREATE (h)-[twin:POSITION {seq: p.seq, hash: p.hash}]->(h)
RETURN count(twin) AS created
