// What an intruder with store access might do to hide a change: rewrite a record and its
// place in the chain (the hashes recomputed by the intruder).
MATCH (e:AuditEvent {seq: $seq})
SET e.actor = $actor, e.prev_hash = $prev_hash, e.hash = $hash
RETURN e.seq AS seq
