MATCH (n:Phone)
RETURN count(n) AS phones, count(DISTINCT n.number) AS distinct_numbers, sum(n.seq) AS seq_sum
