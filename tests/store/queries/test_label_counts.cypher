// How many nodes carry each label combination, split by verified (null for most labels).
MATCH (n)
RETURN labels(n) AS labels, n.verified AS verified, count(*) AS count
