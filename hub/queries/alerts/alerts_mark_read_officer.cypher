// markAlertsRead for an officer: those of $ids that are theirs, of open cases still
// assigned to them, and unread become read. Others' ids are passed over.
MATCH (a:Alert)
WHERE a.alert_id IN $ids AND a.officer_id = $officer AND a.read = false
MATCH (c:Case {case_number: a.case_number})
WHERE c.officer_id = $officer AND (c.status IS NULL OR c.status = $open)
SET a.read = true, a.read_at = $now
RETURN count(a) AS marked
