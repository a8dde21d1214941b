// RELEASE or lapse of a measure in force or waiting: it ends ($state), and those waiting
// behind it on the same asset move up one place; the first of them comes into force by
// itself (查扣冻规定 art. 26) from $today to $promoted_until. No row: it had ended already.
MATCH (m:ControlMeasure {measure_id: $measure_id})
WHERE m.state IN $active
WITH m, m.queue_position AS position
SET m.state = $state, m.ended_at = $now, m.ended_by = $ended_by
WITH m, position
OPTIONAL MATCH (w:ControlMeasure {asset_key: m.asset_key})
WHERE w.state = $waiting AND w.queue_position > position
WITH m, w, w.queue_position - 1 AS moved
FOREACH (x IN CASE WHEN w IS NULL THEN [] ELSE [w] END |
  SET x.queue_position = moved,
      x.state = CASE WHEN moved = 1 THEN $in_force ELSE $waiting END,
      x.effective_from = CASE WHEN moved = 1 THEN $today ELSE x.effective_from END,
      x.effective_until = CASE WHEN moved = 1 THEN $promoted_until ELSE x.effective_until END
)
RETURN m AS measure, count(w) AS moved
