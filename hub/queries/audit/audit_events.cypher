// One page of records, newest first, before seq $before; every filter is optional.
MATCH (e:AuditEvent)
WHERE ($before IS NULL OR e.seq < $before)
  AND ($actor IS NULL OR e.actor = $actor)
  AND ($department IS NULL OR e.department = $department)
  AND ($case_number IS NULL OR e.case_number = $case_number)
  AND ($subject IS NULL OR $subject IN e.subjects)
  AND ($operation IS NULL OR e.operation = $operation)
  AND ($outcome IS NULL OR e.outcome = $outcome)
  AND ($start IS NULL OR e.at >= $start)
  AND ($end IS NULL OR e.at < $end)
RETURN e AS event
ORDER BY event.seq DESC
LIMIT $limit
