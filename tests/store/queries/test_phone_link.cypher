// Two phones linked by a call.
MERGE (a:Phone {number: $from})
MERGE (b:Phone {number: $to})
CREATE (a)-[r:CALLED]->(b)
SET r += $props
