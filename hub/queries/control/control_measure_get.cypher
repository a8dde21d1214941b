// The measure $measure_id (RENEW, RELEASE, lapse).
MATCH (m:ControlMeasure {measure_id: $measure_id})
RETURN m AS measure
