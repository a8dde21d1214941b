// CONTROL_EXPIRING: the measures in force whose last day is from $today to $until, of open
// cases with an officer, soonest first, at most $limit; with the request that put each on.
MATCH (m:ControlMeasure)
WHERE m.state = $in_force AND m.effective_until >= $today AND m.effective_until <= $until
MATCH (c:Case {case_number: m.case_number})
WHERE c.officer_id IS NOT NULL AND (c.status IS NULL OR c.status = $open)
OPTIONAL MATCH (r:ControlRequest {request_id: m.request_id})
RETURN m AS measure, c.officer_id AS officer_id, r AS request
ORDER BY m.effective_until, m.measure_id
LIMIT $limit
