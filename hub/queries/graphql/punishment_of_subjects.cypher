// creditCheck's punishments: the records departments reported for each of $ids, latest
// applied first, at most $per_subject each, each as {record, case_number}. Sparse: a
// subject without any has no row.
UNWIND $ids AS id
MATCH (s:Party {party_id: id})
MATCH (r:PunishmentRecord)-[:PUNISHED]->(s)
MATCH (r)-[:UNDER_CASE]->(c:Case)
WITH id, s, r, c
ORDER BY r.applied_at DESC, r.recorded_at DESC, r.record_id
WITH id, s.name AS subject_name, collect({record: r, case_number: c.case_number}) AS records
RETURN id, subject_name, records[..$per_subject] AS records
