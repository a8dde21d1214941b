// locateAssets: what each of $owners holds directly (properties with the owner's share,
// vehicles, bank accounts with their bank, equity), each list cut at $max_items; each with
// the department that published it and when the hub received it (its provenance).
UNWIND $owners AS owner_id
MATCH (o:Party {party_id: owner_id})
RETURN
  owner_id, o.name AS owner_name,
  [(o)-[owns:OWNS_PROPERTY]->(p:Property) |
    p {.cert_number, .address, .area_m2, .use, .estimated_value, .registered_at, .status,
       .source, .loaded_at, share_pct: owns.share_pct}][0..$max_items] AS properties,
  [(o)-[:OWNS_VEHICLE]->(v:Vehicle) |
    v {.vin, .plate_number, .brand_model, .registered_at, .status, .source, .loaded_at}][0..$max_items] AS vehicles,
  [(o)-[:HOLDS_ACCOUNT]->(a:Account)-[:AT_BANK]->(bank:Bank) |
    a {.bank_code, .account_number, .account_type, .balance, .currency, .balance_as_of,
       .status, .opened_at, .source, .loaded_at, bank_name: bank.name}][0..$max_items] AS accounts,
  [(o)-[share:SHAREHOLDER_OF]->(e:Enterprise) |
    {uscc: e.party_id, name: e.name, status: e.status, share_pct: share.share_pct,
     subscribed_capital: share.subscribed_capital, paid_capital: share.paid_capital,
     source: share.source, loaded_at: share.loaded_at}
  ][0..$max_items] AS equity
