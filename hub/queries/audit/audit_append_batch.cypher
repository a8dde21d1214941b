// Append a batch of records, already chained, only if the head is still where this writer
// read it: the head moves from $prev_seq to the batch's last seq and hash, and every record
// is created. Nothing is written when another writer appended first (`appended` is then 0;
// the writer re-reads the head and chains the batch again). On Neo4j, two writers can both
// pass the WHERE; as every batch starts at seq $prev_seq + 1, both create that seq, and the
// unique constraint on AuditEvent.seq refuses the second.
MATCH (h:AuditHead {name: 'chain'})
WHERE h.seq = $prev_seq
SET h.seq = $last_seq, h.hash = $last_hash
WITH h
UNWIND $events AS fields
CREATE (e:AuditEvent)
SET e = fields
RETURN count(e) AS appended
