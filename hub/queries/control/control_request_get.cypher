// controlRequest and every change of one: the request, the officer of its case, and the
// measure it created or acted on.
MATCH (r:ControlRequest {request_id: $request_id})
OPTIONAL MATCH (r)-[:FOR_CASE]->(c:Case)
OPTIONAL MATCH (m:ControlMeasure {measure_id: r.measure_id})
RETURN r AS request, c.officer_id AS officer_id, m AS measure
