UNWIND $rows AS row
MERGE (n:Phone {number: row.number})
SET n.seq = row.seq, n.batch_id = $batch_id
RETURN count(n) AS written
