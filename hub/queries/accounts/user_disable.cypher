// hub user disable: the account can no longer sign in (its history stays).
MATCH (u:User {name: $name})
SET u.disabled = true, u.disabled_at = $now
RETURN u.name AS name
