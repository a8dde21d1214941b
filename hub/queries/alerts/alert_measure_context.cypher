// What an alert about a measure tells: the measure, its case's officer and the subject
// of the request that put it on the asset.
MATCH (m:ControlMeasure {measure_id: $measure_id})
MATCH (c:Case {case_number: m.case_number})
OPTIONAL MATCH (r:ControlRequest {request_id: m.request_id})
RETURN m AS measure, c.officer_id AS officer_id, r AS request
