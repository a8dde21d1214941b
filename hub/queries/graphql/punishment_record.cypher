// recordPunishment: a department's report that it applied a measure to a subject under a
// case. Nothing is written when the subject or the case is not in the graph.
MATCH (s:Party {party_id: $subject})
MATCH (c:Case {case_number: $case_number})
CREATE (r:PunishmentRecord {
  record_id: $record_id, measure_code: $measure_code, department: $department,
  applied_at: $applied_at, note: $note, recorded_by: $recorded_by, recorded_at: $recorded_at,
  source: $department, batch_id: $record_id, loaded_at: $recorded_at
})
CREATE (r)-[:PUNISHED {source: $department, batch_id: $record_id, loaded_at: $recorded_at}]->(s)
CREATE (r)-[:UNDER_CASE {source: $department, batch_id: $record_id, loaded_at: $recorded_at}]->(c)
RETURN r.record_id AS record_id, s.name AS subject_name
