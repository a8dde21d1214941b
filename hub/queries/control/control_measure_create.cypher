// answerControl (a freeze or seal done): the measure on the asset $asset_key, in force when
// no other stands on it, else waiting (轮候) behind those already served.
OPTIONAL MATCH (ahead:ControlMeasure {asset_key: $asset_key})
WHERE ahead.state IN $active
WITH count(ahead) AS ahead
CREATE (m:ControlMeasure {
  measure_id: $measure_id, asset_key: $asset_key, kind: $kind, case_number: $case_number,
  amount: $amount, request_id: $request_id, served_at: $served_at,
  queue_position: ahead + 1,
  state: CASE WHEN ahead = 0 THEN $in_force ELSE $waiting END,
  effective_from: CASE WHEN ahead = 0 THEN $effective_from ELSE null END,
  effective_until: CASE WHEN ahead = 0 THEN $effective_until ELSE null END,
  source: $source, batch_id: $request_id, loaded_at: $served_at
})
RETURN m AS measure
