// Every relationship with its type, properties and the key of both ends.
MATCH (a)-[r]->(b)
RETURN type(r) AS type, properties(r) AS props,
       coalesce(a.party_id, a.vin, a.cert_number, a.key, a.code, a.number, a.text,
                a.case_number, a.run_id) AS start,
       coalesce(b.party_id, b.vin, b.cert_number, b.key, b.code, b.number, b.text,
                b.case_number, b.run_id) AS end
