// bank.accounts 账户与余额: an account by '<bank_code>:<account_number>', at its bank, with one
// holder: a new holder replaces the old edge. Only this query links holders to accounts, and
// it gives an account its row_hash as it does: an account without one (old IS NULL, new)
// has no holder to replace, and is not searched for one (a fifth of the server's time).
UNWIND $rows AS row
MERGE (account:Account {key: row.key})
WITH account, row, account.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET account += row.props, account.row_hash = row.hash,
    account.source = $source, account.batch_id = $batch_id, account.loaded_at = $loaded_at
WITH account, row, old
MERGE (bank:Bank {code: row.props.bank_code})
  ON CREATE SET bank.source = $source, bank.batch_id = $batch_id, bank.loaded_at = $loaded_at
FOREACH (_ IN CASE WHEN row.bank_name IS NOT NULL AND coalesce(bank.name, '') <> row.bank_name
              THEN [1] ELSE [] END |
  SET bank.name = row.bank_name,
      bank.source = $source, bank.batch_id = $batch_id, bank.loaded_at = $loaded_at
)
MERGE (account)-[at:AT_BANK]->(bank)
  ON CREATE SET at.source = $source, at.batch_id = $batch_id, at.loaded_at = $loaded_at
WITH account, row, old
MATCH (holder:Party {party_id: row.holder_id})
OPTIONAL MATCH (previous:Party)-[gone:HOLDS_ACCOUNT]->(account)
  WHERE old IS NOT NULL AND previous.party_id <> row.holder_id
DELETE gone
WITH account, holder, old
MERGE (holder)-[holds:HOLDS_ACCOUNT]->(account)
SET holds.source = $source, holds.batch_id = $batch_id, holds.loaded_at = $loaded_at
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
