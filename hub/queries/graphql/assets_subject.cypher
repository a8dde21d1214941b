// locateAssets: the subject (a person or an enterprise) and the enterprises it controls, up
// to 3 levels down (settings.MAX_CONTROL_DEPTH): each link a share of $control_pct or more,
// or, from a person, being the actual controller. One row per chain, shares along it.
MATCH (s:Party {party_id: $subject})
RETURN
  s.party_id AS id, s.name AS name, s:Enterprise AS enterprise,
  [chain = (s)-[:SHAREHOLDER_OF|EXECUTIVE_OF*1..3]->(:Enterprise)
    WHERE all(link IN relationships(chain) WHERE
      (type(link) = 'SHAREHOLDER_OF' AND toFloat(link.share_pct) >= $control_pct)
      OR (type(link) = 'EXECUTIVE_OF' AND link.title = $controller_title)) |
    {enterprises: [n IN tail(nodes(chain)) | {id: n.party_id, name: n.name}],
     links: [step IN relationships(chain) | {type: type(step), share_pct: step.share_pct}]}
  ][0..$max_chains] AS chains
