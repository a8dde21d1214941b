// Every node with its labels and properties (connector tests compare whole graphs).
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
