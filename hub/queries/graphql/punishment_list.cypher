// punishments for a department (its own: $department) or an admin ($department null):
// records filtered by subject and case when given, latest applied first, $limit of them.
MATCH (r:PunishmentRecord)-[:PUNISHED]->(s:Party)
WHERE ($department IS NULL OR r.department = $department)
  AND ($subject IS NULL OR s.party_id = $subject)
MATCH (r)-[:UNDER_CASE]->(c:Case)
WHERE $case_number IS NULL OR c.case_number = $case_number
RETURN r AS record, s.party_id AS subject, s.name AS subject_name, c.case_number AS case_number
ORDER BY r.applied_at DESC, r.recorded_at DESC, r.record_id
LIMIT $limit
