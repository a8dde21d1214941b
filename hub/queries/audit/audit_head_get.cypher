// The chain's head as it stands (see audit_head), also when an earlier version left it in
// the node's own properties and nothing was appended since.
MATCH (h:AuditHead {name: 'chain'})
OPTIONAL MATCH (h)-[p:POSITION]->(h)
RETURN coalesce(p.seq, h.seq) AS seq, coalesce(p.hash, h.hash) AS hash
