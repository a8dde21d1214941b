// tracePerson: the person with every location clue, phone, relative and enterprise role the
// graph holds about them; each list is cut at $max_items. Relatives come both ways: psb
// publishes (X, Y, R) as "Y is X's R", so an edge ending at the person reads the other way.
MATCH (p:Party {party_id: $id})
WHERE p:Person
RETURN
  p {.party_id, .name, .gender, .birth_date, .household_address, .residence_address, .status,
     .verified} AS person,
  [(p)-[at:HOUSEHOLD_AT]->(a:Address) |
    {kind: 'HOUSEHOLD', address: a.text, source: at.source, as_of: at.as_of}][0..$max_items]
    AS households,
  [(p)-[at:RESIDES_AT]->(a:Address) |
    {kind: 'RESIDENCE', address: a.text, source: at.source, as_of: at.as_of}][0..$max_items]
    AS residences,
  [(p)-[owns:OWNS_PROPERTY]->(property:Property) |
    {kind: 'PROPERTY', address: property.address, source: owns.source,
     as_of: coalesce(property.registered_at, owns.loaded_at)}][0..$max_items] AS properties,
  [(p)-[:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF]->(e:Enterprise) |
    {kind: 'ENTERPRISE', address: e.address, source: e.source,
     as_of: coalesce(e.updated_at, e.loaded_at)}][0..$max_items] AS enterprise_addresses,
  [(p)-[has:HAS_PHONE]->(phone:Phone) | {number: phone.number, as_of: has.as_of}][0..$max_items]
    AS phones,
  [(p)-[r:RELATIVE]-(q:Person) |
    {party_id: q.party_id, name: q.name, birth_date: q.birth_date,
     household_address: q.household_address, relation: r.relation,
     outgoing: startNode(r) = p}][0..$max_items] AS relatives,
  [(p)-[r:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF]->(e:Enterprise) |
    {uscc: e.party_id, name: e.name, status: e.status, type: type(r), share_pct: r.share_pct,
     title: r.title}][0..$max_items] AS enterprises
