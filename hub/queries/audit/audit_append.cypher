// Append one record only if the head is still where this writer read it: no row comes
// back when another writer appended first (it then re-reads the head and retries). On
// Neo4j, two writers can both pass the WHERE; the unique constraint on AuditEvent.seq
// then refuses the second.
MATCH (h:AuditHead {name: 'chain'})
WHERE h.seq = $prev_seq
SET h.seq = $seq, h.hash = $hash
CREATE (e:AuditEvent {seq: $seq})
SET e += $fields
RETURN e.seq AS seq
