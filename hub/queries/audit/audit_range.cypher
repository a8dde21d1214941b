// Records after seq $after, oldest first, up to seq $last when given (verify, export).
MATCH (e:AuditEvent)
WHERE e.seq > $after AND ($last IS NULL OR e.seq <= $last)
RETURN e AS event
ORDER BY event.seq
LIMIT $limit
