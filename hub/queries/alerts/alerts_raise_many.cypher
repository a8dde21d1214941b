// Raise each alert of $alerts once (see alert_raise): connector runs' NEW_ASSET and
// NEW_CLUE, one write per batch.
UNWIND $alerts AS alert
MERGE (a:Alert {alert_id: alert.alert_id})
ON CREATE SET a += alert
RETURN count(a) AS raised
