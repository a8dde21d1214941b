// alerts for a department: those raised for $department, newest first, only unread ones
// when $unread_only; one page of $limit after $skip.
MATCH (a:Alert {department: $department})
WHERE ($unread_only = false OR a.read = false)
RETURN a AS alert
ORDER BY a.at DESC, a.alert_id
SKIP $skip LIMIT $limit
