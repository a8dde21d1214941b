// The latest wage check (WAGE_CHECK, 农民工工资核查) of the enterprise $subject that was not
// cancelled, if any: requestControl warns on a seal of its assets, locateAssets shows it.
MATCH (r:ControlRequest {subject_id: $subject})
WHERE r.action = $wage_check AND r.status <> $cancelled
RETURN
  r.request_id AS request_id, r.case_number AS case_number, r.status AS status,
  r.wage_found AS found, r.wage_amount AS amount, r.wage_workers AS workers,
  r.requested_at AS requested_at, r.answered_at AS answered_at
ORDER BY r.requested_at DESC
LIMIT 1
