// letters(box: SENT): those sent from $mailbox (an officer's: by $sent_by only), newest
// first, one page of $limit after $skip, each with every recipient's receipt.
MATCH (l:Letter {sender: $mailbox})
WHERE $sent_by IS NULL OR l.sent_by = $sent_by
WITH l
ORDER BY l.sent_at DESC, l.letter_id
SKIP $skip LIMIT $limit
OPTIONAL MATCH (l)-[:ADDRESSED_TO]->(r:LetterReceipt)
RETURN l AS letter, collect(r) AS receipts
