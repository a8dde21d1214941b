CREATE (n:Phone {number: $number})
SET n += $props
RETURN n.number AS number
