// controlRequests for an admin or auditor: every request, newest first, filtered by what is
// given (null: any), one page of $limit after $skip.
MATCH (r:ControlRequest)
WHERE ($case_number IS NULL OR r.case_number = $case_number)
  AND ($status IS NULL OR r.status = $status)
  AND ($action IS NULL OR r.action = $action)
  AND ($department IS NULL OR r.department = $department)
WITH r
ORDER BY r.requested_at DESC, r.request_id
SKIP $skip LIMIT $limit
OPTIONAL MATCH (m:ControlMeasure {measure_id: r.measure_id})
RETURN r AS request, null AS officer_id, m AS measure
