// One party (person or enterprise) by id, with its labels: none when it is not there.
MATCH (p:Party {party_id: $party_id})
RETURN labels(p) AS labels, properties(p) AS props
