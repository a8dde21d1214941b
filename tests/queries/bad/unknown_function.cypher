// expect: error: Function foo.bar is not present
MATCH (p:Person)
RETURN foo.bar(p.name) AS name
