// A good password: the failures start again from none.
MATCH (u:User {name: $name})
SET u.failures = 0, u.last_sign_in = $now
RETURN u.name AS name
