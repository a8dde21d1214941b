// DEDUCT done: the account's known balance before it is lowered.
MATCH (a:Account {key: $key})
RETURN a.balance AS balance
