// recordPunishment: a department's report that it applied a measure to a subject under a
// case. $record_id is derived from what makes two reports the same (subject, measure,
// department, date), so a repeat finds the stored record and writes nothing; `created`
// says which it was ($batch_id is this call's own). The PUNISHMENT_RECORDED alert for the
// case's officer rides in the same write ($alerts: none or one), only with a new record.
// Nothing is written when the subject or the case is not in the graph.
MATCH (s:Party {party_id: $subject})
MATCH (c:Case {case_number: $case_number})
MERGE (r:PunishmentRecord {record_id: $record_id})
ON CREATE SET r += $record
WITH r, s, c, r.batch_id = $batch_id AS created
FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END |
  CREATE (r)-[:PUNISHED {source: $department, batch_id: $batch_id, loaded_at: $recorded_at}]->(s)
  CREATE (r)-[:UNDER_CASE {source: $department, batch_id: $batch_id, loaded_at: $recorded_at}]->(c)
)
FOREACH (x IN CASE WHEN created THEN $alerts ELSE [] END |
  MERGE (a:Alert {alert_id: x.alert_id}) ON CREATE SET a += x
)
RETURN r AS record, s.name AS subject_name, created
