// The intruder replaces a stored checkpoint's hash and signature.
MATCH (c:AuditCheckpoint {seq: $seq})
SET c.hash = $hash, c.signature = $signature
RETURN c.seq AS seq
