// linkageStats, in the audit graph: the calls of $operations allowed from $from (inclusive)
// to $to (exclusive), by operation and the caller's department (none for the court), and the
// subjects they named.
MATCH (e:AuditEvent)
WHERE e.at >= $from AND e.at < $to AND e.operation IN $operations AND e.outcome = $allowed
RETURN e.operation AS operation, e.department AS department, count(e) AS calls,
  sum(size(coalesce(e.subjects, []))) AS subjects
