UNWIND $rows AS row
CREATE (n:Phone {number: row.number, seq: row.seq})
RETURN count(n) AS written
