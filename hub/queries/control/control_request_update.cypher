// answerControl, cancelControl: change a request only while its status is one of $from
// (one write: a second answer or a cancel racing an answer finds no row), adding $events
// to its history.
MATCH (r:ControlRequest {request_id: $request_id})
WHERE r.status IN $from
SET r += $changes, r.history = coalesce(r.history, []) + $events
// an answer's CONTROL_ANSWERED for the officer, in the same write ($alerts: none or one)
FOREACH (x IN $alerts | MERGE (a:Alert {alert_id: x.alert_id}) ON CREATE SET a += x)
RETURN r AS request
