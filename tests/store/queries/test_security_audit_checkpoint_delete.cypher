// The intruder removes stored checkpoints from seq $seq on.
MATCH (c:AuditCheckpoint)
WHERE c.seq >= $seq
DELETE c
RETURN count(*) AS deleted
