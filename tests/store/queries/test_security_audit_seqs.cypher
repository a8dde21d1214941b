MATCH (e:AuditEvent)
RETURN e.seq AS seq
ORDER BY seq
