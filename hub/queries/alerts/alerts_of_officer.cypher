// alerts for an officer: theirs, of cases still assigned to them and open (no status or
// $open), newest first, only unread ones when $unread_only; one page of $limit after $skip.
MATCH (a:Alert {officer_id: $officer})
WHERE ($unread_only = false OR a.read = false)
MATCH (c:Case {case_number: a.case_number})
WHERE c.officer_id = $officer AND (c.status IS NULL OR c.status = $open)
RETURN a AS alert
ORDER BY a.at DESC, a.alert_id
SKIP $skip LIMIT $limit
