// The alerts subscription for a department: those raised for $department at or after
// $since, oldest first, at most $limit.
MATCH (a:Alert {department: $department})
WHERE a.at >= $since
RETURN a AS alert
ORDER BY a.at, a.alert_id
LIMIT $limit
