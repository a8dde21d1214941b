// The watch of a connector run, once at its first batch: the respondents (被执行人) of open
// cases with an officer, so that only batches with one of them are looked at further.
MATCH (h:Party)-[pt:PARTY_TO]->(c:Case)
WHERE pt.role = $respondent AND c.officer_id IS NOT NULL
  AND (c.status IS NULL OR c.status = $open)
RETURN collect(DISTINCT h.party_id) AS respondents
