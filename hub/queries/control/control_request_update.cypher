// answerControl, cancelControl: change a request only while its status is one of $from
// (one write: a second answer or a cancel racing an answer finds no row), adding $events
// to its history.
MATCH (r:ControlRequest {request_id: $request_id})
WHERE r.status IN $from
SET r += $changes, r.history = coalesce(r.history, []) + $events
RETURN r AS request
