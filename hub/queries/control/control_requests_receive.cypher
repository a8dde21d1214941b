// GET /control/requests: the requests addressed to $department in $statuses, oldest first;
// those still PENDING become RECEIVED (送达) with the time and the fetching system.
MATCH (r:ControlRequest {department: $department})
WHERE r.status IN $statuses
WITH r
ORDER BY r.requested_at, r.request_id
LIMIT $limit
WITH r, r.status = $pending AS fresh
SET r.history = CASE WHEN fresh THEN coalesce(r.history, []) + [$event] ELSE r.history END,
    r.received_at = CASE WHEN fresh THEN $now ELSE r.received_at END,
    r.status = CASE WHEN fresh THEN $received ELSE r.status END
RETURN r AS request
