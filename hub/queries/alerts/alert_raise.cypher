// Raise an alert once: $alert_id is derived from its kind, what it is about and its
// recipient, so raising the same event again changes nothing. $alert: its properties.
MERGE (a:Alert {alert_id: $alert_id})
ON CREATE SET a += $alert
RETURN a.alert_id AS alert_id
