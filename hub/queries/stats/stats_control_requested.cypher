// linkageStats: the control requests made from $from to $to (exclusive), by department,
// action and the status they have now.
MATCH (r:ControlRequest)
WHERE r.requested_at >= $from AND r.requested_at < $to
RETURN r.department AS department, r.action AS action, r.status AS status, count(r) AS requests
