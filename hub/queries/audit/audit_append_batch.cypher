// Append a batch of records, already chained, only if the head (the POSITION with the
// highest seq, see audit_head) is still where this writer read it: the head moves from
// $prev_seq to the batch's last seq and hash, and every record is created. Nothing is
// written when another writer appended first (`appended` is then 0; the writer re-reads the
// head and chains the batch again). Two writers can both pass the WHERE; as every batch
// starts at seq $prev_seq + 1, both create that seq, and the unique constraint on
// AuditEvent.seq refuses the second, whose query then changes nothing.
// The properties are named one by one: on FalkorDB `CREATE (e) SET e = fields` costs some
// 4 ms a query in a graph of 100,000 events, the properties in CREATE 0.5 ms. A null value
// sets no property, as with SET.
MATCH (h:AuditHead {name: 'chain'})-[p:POSITION]->(h)
WITH p
ORDER BY p.seq DESC
LIMIT 1
WITH p
WHERE p.seq = $prev_seq
SET p.seq = $last_seq, p.hash = $last_hash
WITH p
UNWIND $events AS fields
CREATE (e:AuditEvent {
  seq: fields.seq, at: fields.at, prev_hash: fields.prev_hash, hash: fields.hash,
  actor: fields.actor, role: fields.role, department: fields.department,
  operation: fields.operation, case_number: fields.case_number, subjects: fields.subjects,
  outcome: fields.outcome, result_count: fields.result_count,
  client_address: fields.client_address, request_id: fields.request_id,
  reason: fields.reason, dataset: fields.dataset, client_request_id: fields.client_request_id
})
RETURN count(e) AS appended
