// Purpose check of one request: who the case is assigned to, and the roles `$subject`
// holds in it (empty when it is no party of the case). No row: the case is unknown.
MATCH (c:Case {case_number: $case_number})
OPTIONAL MATCH (:Party {party_id: $subject})-[r:PARTY_TO]->(c)
RETURN c.officer_id AS officer_id, collect(r.role) AS roles
