// The first and last seq recorded in [$start, $end): an export covers every seq between
// them, so it is one unbroken stretch of the chain even where clocks of two workers differ.
MATCH (e:AuditEvent)
WHERE ($start IS NULL OR e.at >= $start) AND ($end IS NULL OR e.at < $end)
RETURN min(e.seq) AS first, max(e.seq) AS last
