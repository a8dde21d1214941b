// requestControl of an enterprise's asset: the latest wage check (WAGE_CHECK) of the
// enterprise $subject that was not cancelled, if any.
MATCH (r:ControlRequest {subject_id: $subject})
WHERE r.action = $wage_check AND r.status <> $cancelled
RETURN r.status AS status, r.wage_found AS found, r.requested_at AS requested_at
ORDER BY r.requested_at DESC
LIMIT 1
