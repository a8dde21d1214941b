// creditCheck, second step, for the subjects `credit_subjects` found linked: one row per
// listing on the dishonest list, its own (LISTED), of an enterprise it is the legal
// representative of (REPRESENTED), of an enterprise it holds an office in (OFFICE, with the
// title); each with removed_at: the caller keeps those not removed (限制消费规定 art. 3).
// Sparse: a subject without listings returns no row. OPTIONAL MATCH stages collecting
// mostly empty lists took three times the server time, and pattern comprehensions made
// FalkorDB scan every enterprise.
UNWIND $ids AS id
MATCH (s:Party {party_id: id})
MATCH (s)-[listed:LISTED_DISHONEST]->(own_case:Case)
RETURN id, 'LISTED' AS kind, null AS via, null AS uscc,
       own_case.case_number AS case_number, listed.listed_at AS listed_at,
       listed.removed_at AS removed_at, null AS title
UNION ALL
UNWIND $ids AS id
MATCH (s:Party {party_id: id})
MATCH (s)-[:LEGAL_REP_OF]->(represented:Enterprise)-[listed:LISTED_DISHONEST]->(rep_case:Case)
RETURN id, 'REPRESENTED' AS kind, represented.name AS via,
       represented.party_id AS uscc, rep_case.case_number AS case_number,
       listed.listed_at AS listed_at, listed.removed_at AS removed_at, null AS title
UNION ALL
UNWIND $ids AS id
MATCH (s:Party {party_id: id})
MATCH (s)-[office:EXECUTIVE_OF]->(run:Enterprise)-[listed:LISTED_DISHONEST]->(run_case:Case)
RETURN id, 'OFFICE' AS kind, run.name AS via, run.party_id AS uscc,
       run_case.case_number AS case_number, listed.listed_at AS listed_at,
       listed.removed_at AS removed_at, office.title AS title
