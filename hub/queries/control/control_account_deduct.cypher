// DEDUCT done (扣划): the account's known balance becomes $balance, only if it is still
// $old (no row: it changed meanwhile), and the deduction is kept on the account.
MATCH (a:Account {key: $key})
WHERE a.balance = $old
SET a.balance = $balance, a.deductions = coalesce(a.deductions, []) + [$deduction]
RETURN a.balance AS balance
