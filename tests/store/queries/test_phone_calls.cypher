// The calls from one phone: the relationship and the path, as the engine gives them.
MATCH path = (:Phone {number: $from})-[call:CALLED]->(callee:Phone)
RETURN call, path, callee
