CALL db.index.fulltext.queryNodes('person_name', $text, {limit: $limit}) YIELD node, score
WHERE score > $min_score
RETURN node.id AS id, node.name AS name, score
ORDER BY score DESC
