// A wrong password: one more failure, and a lock once there are $max_failures in a row (the
// count then starts again). One query, so that processes signing in at once count each one.
MATCH (u:User {name: $name})
WITH u, coalesce(u.failures, 0) + 1 AS failures
WITH u, failures, failures >= $max_failures AS lock
SET u.failures = CASE WHEN lock THEN 0 ELSE failures END,
  u.locked_until = CASE WHEN lock THEN $locked_until ELSE u.locked_until END
RETURN CASE WHEN lock THEN $locked_until ELSE null END AS locked_until
