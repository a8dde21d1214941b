// answerControl (a freeze or seal done): the measure on the asset $asset_key, in force when
// no other stands on it, else waiting (轮候) behind those already served. $earlier: the
// seals the department reported (or published) before it (在先查封), each recorded first as
// a measure not served through the hub, when none of the hub's stands on the asset. The
// asset's ControlQueue node is written first: on Neo4j its lock makes two answers on one
// asset count in turn (FalkorDB runs writes to a graph one at a time anyway).
MERGE (q:ControlQueue {asset_key: $asset_key})
SET q.served_at = $served_at
WITH q
OPTIONAL MATCH (ahead:ControlMeasure {asset_key: $asset_key})
WHERE ahead.state IN $active
WITH count(ahead) AS standing
WITH standing, CASE WHEN standing = 0 THEN $earlier ELSE [] END AS earlier
FOREACH (e IN earlier |
  CREATE (:ControlMeasure {
    measure_id: e.measure_id, asset_key: $asset_key, kind: $kind, reported: e.reported,
    queue_position: e.position,
    state: CASE WHEN e.position = 1 THEN $in_force ELSE $waiting END,
    served_at: $served_at, source: $source, batch_id: $request_id, loaded_at: $served_at
  })
)
WITH standing + size(earlier) AS ahead
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
