// A record written behind the audit log's back (tests of failed appends): seq only.
CREATE (e:AuditEvent {seq: $seq})
RETURN e.seq AS seq
