// One letter, the officer of its case (if it names one) and every recipient's receipt.
MATCH (l:Letter {letter_id: $letter_id})
OPTIONAL MATCH (c:Case {case_number: l.case_number})
WITH l, c.officer_id AS officer_id
OPTIONAL MATCH (l)-[:ADDRESSED_TO]->(r:LetterReceipt)
RETURN l AS letter, officer_id, collect(r) AS receipts
