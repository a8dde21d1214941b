// hub user list: every console account, by name (no password hashes).
MATCH (u:User)
RETURN u.name AS name, u.role AS role, u.subject AS subject, u.department AS department,
  u.disabled AS disabled, u.failures AS failures, u.locked_until AS locked_until,
  u.created_at AS created_at, u.last_sign_in AS last_sign_in
ORDER BY name
