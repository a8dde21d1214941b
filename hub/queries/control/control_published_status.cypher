// The status each department last published for the properties ($properties: certificate
// numbers) and vehicles ($vehicles: VINs) named, keyed as measures key them.
UNWIND $properties AS cert
MATCH (p:Property {cert_number: cert})
RETURN 'PROPERTY:' + cert AS asset_key, p.status AS status
UNION ALL
UNWIND $vehicles AS vin
MATCH (v:Vehicle {vin: vin})
RETURN 'VEHICLE:' + vin AS asset_key, v.status AS status
