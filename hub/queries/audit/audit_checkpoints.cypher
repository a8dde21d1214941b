// Every signed checkpoint of the chain, oldest first (verify).
MATCH (c:AuditCheckpoint)
RETURN c AS checkpoint
ORDER BY checkpoint.seq, checkpoint.at
