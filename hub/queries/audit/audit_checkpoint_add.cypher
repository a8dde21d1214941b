// A signed checkpoint of the chain's head (hub.security.audit.checkpoints): the head's seq
// and hash, when and by which key it was signed, and the signature. Never changed after.
CREATE (c:AuditCheckpoint {
  log: $log, seq: $seq, hash: $hash, at: $at, key: $key, signature: $signature
})
RETURN c.seq AS seq
