MATCH (e:AuditEvent {seq: $seq})
DELETE e
RETURN count(*) AS deleted
