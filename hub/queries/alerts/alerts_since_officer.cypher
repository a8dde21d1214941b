// The alerts subscription for an officer: theirs raised at or after $since, of cases still
// assigned to them and open (no status or $open), oldest first, at most $limit.
MATCH (a:Alert {officer_id: $officer})
WHERE a.at >= $since
MATCH (c:Case {case_number: a.case_number})
WHERE c.officer_id = $officer AND (c.status IS NULL OR c.status = $open)
RETURN a AS alert
ORDER BY a.at, a.alert_id
LIMIT $limit
