// expect: warning: Function id is deprecated
MATCH (p:Person)
WHERE id(p) = $internal_id
RETURN p
