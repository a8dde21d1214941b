// The intruder moves the chain's head to where the rewritten or shortened chain ends.
MATCH (h:AuditHead {name: 'chain'})-[p:POSITION]->(h)
SET p.seq = $seq, p.hash = $hash
RETURN p.seq AS seq
