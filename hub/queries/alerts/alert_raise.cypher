// Raise an alert once: $alert_id is derived from its kind, what it is about and its
// recipient, so raising the same event again changes nothing.
MERGE (a:Alert {alert_id: $alert_id})
ON CREATE SET
  a.kind = $kind, a.officer_id = $officer_id, a.department = $department,
  a.case_number = $case_number, a.subject_id = $subject_id, a.subject_name = $subject_name,
  a.subject_kind = $subject_kind, a.message = $message, a.at = $at, a.ref = $ref,
  a.read = false, a.source = 'hub', a.batch_id = $ref, a.loaded_at = $at
RETURN a.alert_id AS alert_id
