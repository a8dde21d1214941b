// The chain's head as it stands (see audit_head): the POSITION with the highest seq, or a
// head an earlier version left in the node's own properties, when nothing was appended since.
MATCH (h:AuditHead {name: 'chain'})
OPTIONAL MATCH (h)-[p:POSITION]->(h)
WITH coalesce(p.seq, h.seq) AS seq, coalesce(p.hash, h.hash) AS hash
RETURN seq, hash
ORDER BY seq DESC
LIMIT 1
