// hub user add: a console account. Nothing is written when the name is taken.
// (count(), not `WITH taken WHERE taken IS NULL`: FalkorDB 4.16 lets that row through.)
OPTIONAL MATCH (taken:User {name: $name})
WITH count(taken) AS taken WHERE taken = 0
CREATE (u:User {
  name: $name, role: $role, subject: $subject, department: $department,
  password_hash: $password_hash, disabled: false, failures: 0, created_at: $now
})
RETURN u.name AS name
