// May a console session of this account still act? Read by the gate, at most every
// HUB_SESSION_RECHECK_SECONDS per process (hub/security/account_states.py); no password hash.
MATCH (u:User {name: $name})
RETURN u.disabled AS disabled
