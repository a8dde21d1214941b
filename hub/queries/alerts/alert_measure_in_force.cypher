// The measure in force on an asset (after its queue moved up), its case's officer and the
// subject of the request that put it there.
MATCH (m:ControlMeasure {asset_key: $asset_key})
WHERE m.state = $in_force
MATCH (c:Case {case_number: m.case_number})
OPTIONAL MATCH (r:ControlRequest {request_id: m.request_id})
RETURN m AS measure, c.officer_id AS officer_id, r AS request
LIMIT 1
