// `hub db init`: a head an earlier version kept in the AuditHead node's own properties moves
// to a POSITION relationship (see audit_head), once; the node's properties are cleared.
MATCH (h:AuditHead {name: 'chain'})
WHERE h.seq IS NOT NULL
CREATE (h)-[p:POSITION {seq: h.seq, hash: h.hash}]->(h)
SET h.seq = null, h.hash = null
RETURN p.seq AS seq
