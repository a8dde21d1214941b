// creditCheck: for each of $ids in the graph, its listings on the dishonest list that are
// not removed (as of $today), and the listed enterprises it is legal representative of, or
// holds an office in: an executive title of $responsible_titles or actual controller
// (限制消费规定 art. 3). Ids not in the graph return no row.
UNWIND $ids AS id
MATCH (s:Party {party_id: id})
RETURN
  id, s.name AS name,
  [(s)-[listed:LISTED_DISHONEST]->(c:Case)
    WHERE listed.removed_at IS NULL OR listed.removed_at > $today |
    {case_number: c.case_number, listed_at: listed.listed_at}] AS listings,
  [(s)-[:LEGAL_REP_OF]->(e:Enterprise)-[listed:LISTED_DISHONEST]->(c:Case)
    WHERE listed.removed_at IS NULL OR listed.removed_at > $today |
    {via: e.name, uscc: e.party_id, case_number: c.case_number, listed_at: listed.listed_at}
  ] AS represented,
  [(s)-[office:EXECUTIVE_OF]->(e:Enterprise)-[listed:LISTED_DISHONEST]->(c:Case)
    WHERE (listed.removed_at IS NULL OR listed.removed_at > $today)
      AND (office.title IN $responsible_titles OR office.title = $controller_title) |
    {via: e.name, uscc: e.party_id, case_number: c.case_number, listed_at: listed.listed_at,
     title: office.title}] AS offices
