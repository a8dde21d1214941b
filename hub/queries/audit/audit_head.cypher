// The chain's head: its last seq and hash, held by the head's POSITION relationship to
// itself, created at seq 0 on the very first append. A head an earlier version kept in the
// node's own properties moves to the relationship here. Sent as a write so that Neo4j
// answers from the leader, never from a replica that lags behind.
// Why a relationship: on FalkorDB, changing a property of a node costs time in proportion
// to the nodes created since the server loaded the graph (docs/falkordb.md); after 100,000
// appends, 4 ms an append. Changing a relationship's property costs the same throughout.
MERGE (h:AuditHead {name: 'chain'})
MERGE (h)-[p:POSITION]->(h)
  ON CREATE SET p.seq = coalesce(h.seq, 0), p.hash = coalesce(h.hash, $genesis_hash),
                h.seq = null, h.hash = null
RETURN p.seq AS seq, p.hash AS hash
