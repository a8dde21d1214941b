// One console account by name, with its password hash, for signing in.
MATCH (u:User {name: $name})
RETURN properties(u) AS user
