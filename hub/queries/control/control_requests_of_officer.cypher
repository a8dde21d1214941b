// controlRequests for an officer: the requests of the cases assigned to $officer, newest
// first, filtered by what is given (null: any), one page of $limit after $skip.
MATCH (c:Case {officer_id: $officer})
MATCH (r:ControlRequest)-[:FOR_CASE]->(c)
WHERE ($case_number IS NULL OR c.case_number = $case_number)
  AND ($status IS NULL OR r.status = $status)
  AND ($action IS NULL OR r.action = $action)
WITH r, c
ORDER BY r.requested_at DESC, r.request_id
SKIP $skip LIMIT $limit
OPTIONAL MATCH (m:ControlMeasure {measure_id: r.measure_id})
RETURN r AS request, c.officer_id AS officer_id, m AS measure
