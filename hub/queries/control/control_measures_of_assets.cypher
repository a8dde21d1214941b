// locateAssets: the measures on each asset of $keys ('ACCOUNT:<key>', 'PROPERTY:<cert>', …)
// that are in force or waiting, at most $limit.
UNWIND $keys AS key
MATCH (m:ControlMeasure {asset_key: key})
WHERE m.state IN $active
RETURN m AS measure
ORDER BY m.asset_key, m.queue_position
LIMIT $limit
