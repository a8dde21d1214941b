// sendLetter: the letter, one receipt per recipient (where its acknowledgement and its reply
// are kept), and the recipients' LETTER alerts ($alerts), in one write.
CREATE (l:Letter {
  letter_id: $letter_id, kind: $kind, sender: $sender, sent_by: $sent_by,
  recipients: $recipients, title: $title, text: $text, case_number: $case_number,
  category: $category, reply_by: $reply_by, sent_at: $sent_at,
  source: $sender, batch_id: $letter_id, loaded_at: $sent_at
})
WITH l
UNWIND $receipts AS given
CREATE (r:LetterReceipt {
  receipt_id: given.receipt_id, letter_id: $letter_id, recipient: given.recipient,
  source: $sender, batch_id: $letter_id, loaded_at: $sent_at
})
CREATE (l)-[:ADDRESSED_TO {source: $sender, batch_id: $letter_id, loaded_at: $sent_at}]->(r)
WITH l, count(r) AS receipts
FOREACH (x IN $alerts | MERGE (a:Alert {alert_id: x.alert_id}) ON CREATE SET a += x)
RETURN l.letter_id AS letter_id, receipts
