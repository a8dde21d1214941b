// RENEW done (续冻/续封): the measure in force lasts until $until. No row: not in force.
MATCH (m:ControlMeasure {measure_id: $measure_id})
WHERE m.state = $in_force
SET m.effective_until = $until, m.renewed_at = $now, m.renewed_by = $request_id
RETURN m AS measure
