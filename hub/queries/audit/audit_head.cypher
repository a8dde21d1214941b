// The chain's head, created at seq 0 on the very first append. Sent as a write so that
// Neo4j answers from the leader, never from a replica that lags behind.
MERGE (h:AuditHead {name: 'chain'})
  ON CREATE SET h.seq = 0, h.hash = $genesis_hash
RETURN h.seq AS seq, h.hash AS hash
