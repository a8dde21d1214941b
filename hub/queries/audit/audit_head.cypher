// The chain's head: its last seq and hash, held by the head's POSITION relationship to
// itself, created at seq 0 on the very first append. Sent as a write so that Neo4j
// answers from the leader, never from a replica that lags behind. A head an earlier version
// kept in the node's own properties is left alone (no row: the append fails until
// `hub db init` moves it, audit_head_migrate), so that no second chain starts beside it.
// Why a relationship: on FalkorDB, changing a property of a node costs time in proportion
// to the nodes created since the server loaded the graph (docs/falkordb.md); after 100,000
// appends, 4 ms an append. Changing a relationship's property costs the same throughout.
// FalkorDB's MERGE is not atomic: writers that start a log at the same moment can each
// create a head. The head is therefore the POSITION with the highest seq; the others stay
// behind, and the unique constraint on AuditEvent.seq keeps the chain from forking.
MERGE (h:AuditHead {name: 'chain'})
WITH h
WHERE h.seq IS NULL
MERGE (h)-[p:POSITION]->(h)
  ON CREATE SET p.seq = 0, p.hash = $genesis_hash
WITH p
ORDER BY p.seq DESC
LIMIT 1
RETURN p.seq AS seq, p.hash AS hash
