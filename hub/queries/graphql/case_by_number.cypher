// case: one case by number, with its parties.
MATCH (c:Case {case_number: $case_number})
RETURN
  c {.case_number, .case_type, .court, .filed_at, .status, .amount, .outstanding_amount,
     .officer_id} AS facts,
  [(p:Party)-[role:PARTY_TO]->(c) | {party_id: p.party_id, name: p.name, role: role.role}]
    AS parties
