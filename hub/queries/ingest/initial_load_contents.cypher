// What a graph holds, by label set: `hub ingest-initial` loads only into an empty graph and
// names what it found when refusing one.
MATCH (n)
RETURN labels(n) AS labels, count(n) AS count
