// myCases: the cases assigned to $officer_id, newest first, with their parties.
MATCH (c:Case {officer_id: $officer_id})
RETURN
  c {.case_number, .case_type, .court, .filed_at, .status, .amount, .outstanding_amount,
     .officer_id} AS facts,
  [(p:Party)-[role:PARTY_TO]->(c) | {party_id: p.party_id, name: p.name, role: role.role}]
    AS parties
ORDER BY c.filed_at DESC, c.case_number DESC
LIMIT $first
