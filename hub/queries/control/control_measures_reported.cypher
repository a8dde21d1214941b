// hub control expire: the earlier seals in force that a department reported or published
// (not served through the hub), at most $limit: each ends when its asset is published free.
MATCH (m:ControlMeasure)
WHERE m.state = $in_force AND m.reported IS NOT NULL
RETURN m AS measure
ORDER BY m.served_at, m.measure_id
LIMIT $limit
