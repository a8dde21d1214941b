MATCH (h:AuditHead {name: 'chain'})
RETURN h.seq AS seq, h.hash AS hash
