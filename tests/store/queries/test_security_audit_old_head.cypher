// The head as versions before the POSITION relationship kept it: in the node's properties.
MATCH (h:AuditHead {name: 'chain'})-[p:POSITION]->(h)
SET h.seq = p.seq, h.hash = p.hash
DELETE p
RETURN h.seq AS seq
