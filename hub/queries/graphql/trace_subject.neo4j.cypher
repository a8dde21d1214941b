// tracePerson: the person with every location clue, phone, relative and enterprise role the
// graph holds about them (nothing when the officer's purpose check refuses: `found` false);
// each list is cut at $max_items. Relatives come both ways: psb
// publishes (X, Y, R) as "Y is X's R", so an edge ending at the person reads the other way.
// Each relative comes with how much they hold, as counts only, so an officer sees where
// assets may sit (a spouse's home, say) without seeing the assets.
// Every pattern comprehension has variables of its own: FalkorDB mixes up comprehensions
// of one projection that reuse a variable name.
// Neo4j counts a relative's holdings with COUNT {}; see the .falkordb variant for
// outdegree().
// The officer's purpose check comes first, as `case_access` runs it (hub/security/policy.py,
// `Purpose`): no row when the case is unknown; else who it is assigned to, the roles of
// $purpose_subject in it, and whether they allow the request. The person is read only then.
MATCH (c:Case {case_number: $purpose_case})
OPTIONAL MATCH (:Party {party_id: $purpose_subject})-[r:PARTY_TO]->(c)
WITH c.officer_id AS officer_id, collect(r.role) AS roles
WITH officer_id, roles,
     officer_id = $purpose_officer
       AND any(held IN roles WHERE $purpose_roles IS NULL OR held IN $purpose_roles) AS allowed
OPTIONAL MATCH (p:Party {party_id: $id})
WHERE allowed AND p:Person
RETURN
  officer_id, roles, allowed, p IS NOT NULL AS found,
  p {.party_id, .name, .gender, .birth_date, .household_address, .residence_address, .status,
     .verified} AS person,
  [(p)-[registered:HOUSEHOLD_AT]->(household:Address) |
    {kind: 'HOUSEHOLD', address: household.text, source: registered.source,
     as_of: registered.as_of}][0..$max_items] AS households,
  [(p)-[resides:RESIDES_AT]->(residence:Address) |
    {kind: 'RESIDENCE', address: residence.text, source: resides.source, as_of: resides.as_of}
  ][0..$max_items] AS residences,
  [(p)-[owns:OWNS_PROPERTY]->(property:Property) |
    {kind: 'PROPERTY', address: property.address, source: owns.source,
     as_of: coalesce(property.registered_at, owns.loaded_at)}][0..$max_items] AS properties,
  [(p)-[:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF]->(located:Enterprise) |
    {kind: 'ENTERPRISE', address: located.address, source: located.source,
     as_of: coalesce(located.updated_at, located.loaded_at)}][0..$max_items]
    AS enterprise_addresses,
  [(p)-[has:HAS_PHONE]->(phone:Phone) | {number: phone.number, as_of: has.as_of}][0..$max_items]
    AS phones,
  [(p)-[kin:RELATIVE]-(relative:Person) |
    {party_id: relative.party_id, name: relative.name, birth_date: relative.birth_date,
     household_address: relative.household_address, relation: kin.relation,
     outgoing: startNode(kin) = p,
     properties: COUNT { (relative)-[:OWNS_PROPERTY]->() },
     vehicles: COUNT { (relative)-[:OWNS_VEHICLE]->() },
     accounts: COUNT { (relative)-[:HOLDS_ACCOUNT]->() },
     enterprises: COUNT { (relative)-[:SHAREHOLDER_OF|LEGAL_REP_OF]->() }}][0..$max_items]
    AS relatives,
  [(p)-[role:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF]->(enterprise:Enterprise) |
    {uscc: enterprise.party_id, name: enterprise.name, status: enterprise.status,
     type: type(role), share_pct: role.share_pct, title: role.title}][0..$max_items]
    AS enterprises
