// hub control expire: measures in force whose last day is before $today (art. 27), oldest
// first, at most $limit.
MATCH (m:ControlMeasure)
WHERE m.state = $in_force AND m.effective_until < $today
RETURN m AS measure
ORDER BY m.effective_until, m.measure_id
LIMIT $limit
