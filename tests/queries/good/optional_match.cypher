MATCH (p:Person {id: $person_id})
OPTIONAL MATCH (p)-[:OWNS]->(a:Asset)
WITH p, collect(a {.id, .kind, .value}) AS assets
RETURN p.id AS id, coalesce(p.name, '') AS name, assets, size(assets) AS asset_count,
       date() AS as_of
ORDER BY name
LIMIT $limit
