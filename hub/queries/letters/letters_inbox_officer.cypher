// letters(box: INBOX) of an officer: those addressed to the court ($mailbox) about the
// cases assigned to $officer, each with the court's receipt, newest first; one page of
// $limit after $skip.
MATCH (c:Case {officer_id: $officer})
MATCH (l:Letter {case_number: c.case_number})
MATCH (l)-[:ADDRESSED_TO]->(r:LetterReceipt {recipient: $mailbox})
RETURN l AS letter, r AS receipt
ORDER BY l.sent_at DESC, l.letter_id
SKIP $skip LIMIT $limit
