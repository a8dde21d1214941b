// What an intruder with store access might do: rewrite who did it.
MATCH (e:AuditEvent {seq: $seq})
SET e.actor = $actor
RETURN e.seq AS seq
