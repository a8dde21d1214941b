// punishments for an officer: the records of the parties of their case $case_number
// (under whichever case they were recorded) and those recorded under it (a responsible
// person of a listed respondent, say), of $subject only when given; each branch $limit
// of the latest applied, merged and cut by the caller.
MATCH (k:Case {case_number: $case_number})
MATCH (s:Party)-[:PARTY_TO]->(k)
WHERE $subject IS NULL OR s.party_id = $subject
MATCH (r:PunishmentRecord)-[:PUNISHED]->(s)
MATCH (r)-[:UNDER_CASE]->(c:Case)
RETURN r AS record, s.party_id AS subject, s.name AS subject_name, c.case_number AS case_number
ORDER BY r.applied_at DESC, r.recorded_at DESC, r.record_id
LIMIT $limit
UNION
MATCH (c:Case {case_number: $case_number})
MATCH (r:PunishmentRecord)-[:UNDER_CASE]->(c)
MATCH (r)-[:PUNISHED]->(s:Party)
WHERE $subject IS NULL OR s.party_id = $subject
RETURN r AS record, s.party_id AS subject, s.name AS subject_name, c.case_number AS case_number
ORDER BY r.applied_at DESC, r.recorded_at DESC, r.record_id
LIMIT $limit
