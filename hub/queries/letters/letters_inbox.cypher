// letters(box: INBOX) of a department or an admin: those addressed to $mailbox, each with
// its receipt of that mailbox, newest first; one page of $limit after $skip.
MATCH (r:LetterReceipt {recipient: $mailbox})
MATCH (l:Letter)-[:ADDRESSED_TO]->(r)
OPTIONAL MATCH (c:Case {case_number: l.case_number})
RETURN l AS letter, r AS receipt, c.officer_id AS officer_id
ORDER BY l.sent_at DESC, l.letter_id
SKIP $skip LIMIT $limit
