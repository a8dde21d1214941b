// locateAssets: the subject (a person or an enterprise) and the enterprises it controls, up
// to 3 levels down (settings.MAX_CONTROL_DEPTH): each link a share of $control_pct or more,
// or, from a person, being the actual controller. One row per chain, shares along it;
// nothing of the subject when the officer's purpose check refuses (`id` null).
// The officer's purpose check comes first, as `case_access` runs it (hub/security/policy.py,
// `Purpose`): no row when the case is unknown; else who it is assigned to, the roles of
// $purpose_subject in it, and whether they allow the request. The subject is read only then.
MATCH (c:Case {case_number: $purpose_case})
OPTIONAL MATCH (:Party {party_id: $purpose_subject})-[r:PARTY_TO]->(c)
WITH c.officer_id AS officer_id, collect(r.role) AS roles
WITH officer_id, roles,
     officer_id = $purpose_officer
       AND any(held IN roles WHERE $purpose_roles IS NULL OR held IN $purpose_roles) AS allowed
OPTIONAL MATCH (s:Party {party_id: $subject})
WHERE allowed
RETURN
  officer_id, roles, allowed,
  s.party_id AS id, s.name AS name, s:Enterprise AS enterprise,
  [chain = (s)-[:SHAREHOLDER_OF|EXECUTIVE_OF*1..3]->(:Enterprise)
    WHERE all(link IN relationships(chain) WHERE
      (type(link) = 'SHAREHOLDER_OF' AND toFloat(link.share_pct) >= $control_pct)
      OR (type(link) = 'EXECUTIVE_OF' AND link.title = $controller_title)) |
    {enterprises: [n IN tail(nodes(chain)) | {id: n.party_id, name: n.name}],
     links: [step IN relationships(chain) | {type: type(step), share_pct: step.share_pct}]}
  ][0..$max_chains] AS chains
