// markAlertsRead for a department: those of $ids raised for $department and unread become
// read. Others' ids are passed over.
MATCH (a:Alert)
WHERE a.alert_id IN $ids AND a.department = $department AND a.read = false
SET a.read = true, a.read_at = $now
RETURN count(a) AS marked
