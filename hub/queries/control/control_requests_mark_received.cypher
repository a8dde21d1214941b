// controlRequests / controlRequest read by the department addressed: those of $ids still
// PENDING become RECEIVED (送达) with the time and the reading system.
UNWIND $ids AS id
MATCH (r:ControlRequest {request_id: id})
WHERE r.department = $department AND r.status = $pending
SET r.history = coalesce(r.history, []) + [$event],
    r.received_at = $now,
    r.status = $received
RETURN r AS request
