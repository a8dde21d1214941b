// recordPunishment, before anything is decided: the case's officer (whom the alert is
// for), the subject's name, and the record already stored under the same key, if any.
// No row: the case or the subject is not in the graph.
MATCH (c:Case {case_number: $case_number})
MATCH (s:Party {party_id: $subject})
OPTIONAL MATCH (r:PunishmentRecord {record_id: $record_id})
RETURN c.officer_id AS officer_id, s.name AS subject_name, r AS existing
