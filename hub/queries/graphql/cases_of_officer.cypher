// myCases: the cases assigned to $officer_id, newest first, with their parties and how many
// of the officer's alerts of each are unread.
MATCH (c:Case {officer_id: $officer_id})
OPTIONAL MATCH (a:Alert {officer_id: $officer_id, case_number: c.case_number})
  WHERE a.read = false
WITH c, count(a) AS unread_alerts
RETURN
  c {.case_number, .case_type, .court, .filed_at, .status, .amount, .outstanding_amount,
     .officer_id} AS facts,
  [(p:Party)-[role:PARTY_TO]->(c) | {party_id: p.party_id, name: p.name, role: role.role}]
    AS parties,
  unread_alerts
ORDER BY c.filed_at DESC, c.case_number DESC
LIMIT $first
