// requestControl: a bank account by '<bank_code>:<account_number>', what its bank published
// (provenance, type, balance, status) and its direct holder with the roles the holder has
// in $case_number (empty: no party of it). No row: no such account.
MATCH (a:Account {key: $key})
OPTIONAL MATCH (h:Party)-[:HOLDS_ACCOUNT]->(a)
OPTIONAL MATCH (h)-[p:PARTY_TO]->(:Case {case_number: $case_number})
RETURN
  a.source AS source, a.account_type AS account_type, a.balance AS balance,
  a.status AS status, h.party_id AS holder_id, h.name AS holder_name,
  h:Enterprise AS enterprise, collect(p.role) AS roles
