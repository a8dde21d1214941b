// psb.vehicles 机动车登记: a vehicle by vin, with one owner: a new owner replaces the old edge.
// Only this query links owners to vehicles, and it gives a vehicle its row_hash as it does: a
// vehicle without one (old IS NULL, new) has no owner to replace and is not searched for one.
UNWIND $rows AS row
MERGE (vehicle:Vehicle {vin: row.vin})
WITH vehicle, row, vehicle.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET vehicle += row.props, vehicle.row_hash = row.hash,
    vehicle.source = $source, vehicle.batch_id = $batch_id, vehicle.loaded_at = $loaded_at
WITH vehicle, row, old
MATCH (owner:Party {party_id: row.owner_id})
OPTIONAL MATCH (previous:Party)-[gone:OWNS_VEHICLE]->(vehicle)
  WHERE old IS NOT NULL AND previous.party_id <> row.owner_id
DELETE gone
WITH vehicle, owner, old
MERGE (owner)-[owns:OWNS_VEHICLE]->(vehicle)
SET owns.source = $source, owns.batch_id = $batch_id, owns.loaded_at = $loaded_at
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
