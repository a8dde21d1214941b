// requestControl: the request, addressed to $department, under its case, and its alert.
// Nothing is written when the case is not in the graph.
MATCH (c:Case {case_number: $case_number})
CREATE (r:ControlRequest {
  request_id: $request_id, case_number: $case_number, action: $action,
  target_kind: $target_kind, target_key: $target_key, asset_key: $asset_key,
  bank_code: $bank_code, account_number: $account_number, cert_number: $cert_number,
  vin: $vin, plate_number: $plate_number, uscc: $uscc, holder_id: $holder_id,
  id_number: $id_number, description: $description,
  subject_id: $subject_id, subject_name: $subject_name, subject_kind: $subject_kind,
  department: $department, department_name: $department_name, status: $status,
  requested_by: $requested_by,
  requested_at: $requested_at, amount: $amount, until: $until,
  ruling_number: $ruling_number, notice_number: $notice_number, measure_id: $measure_id,
  note: $note, warnings: $warnings, history: $history,
  source: $source, batch_id: $request_id, loaded_at: $requested_at
})
CREATE (r)-[:FOR_CASE {source: $source, batch_id: $request_id, loaded_at: $requested_at}]->(c)
// CONTROL_REQUESTED for the department, in the same write (docs/alerts.md)
MERGE (a:Alert {alert_id: $alert_id})
ON CREATE SET a += $alert
RETURN r AS request, c.officer_id AS officer_id
