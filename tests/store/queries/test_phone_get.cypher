MATCH (n:Phone {number: $number})
RETURN n AS node, n.tags AS tags
