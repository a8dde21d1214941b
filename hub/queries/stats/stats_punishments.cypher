// linkageStats: the punishments departments recorded from $from to $to (exclusive), by
// measure and department.
MATCH (p:PunishmentRecord)
WHERE p.recorded_at >= $from AND p.recorded_at < $to
RETURN p.measure_code AS measure, p.department AS department, count(p) AS records
