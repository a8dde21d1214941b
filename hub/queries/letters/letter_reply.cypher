// replyLetter: a receipt not yet replied to takes the reply (and is acknowledged by it, if
// it was not), and the sender's LETTER alert ($alerts: none or one) rides in the same
// write. Replied already: no row, nothing changed (one write: of two replies racing each
// other, one wins).
MATCH (r:LetterReceipt {receipt_id: $receipt_id})
WHERE r.replied_at IS NULL
SET r.replied_at = $now, r.replied_by = $actor, r.reply = $reply,
    r.acknowledged_at = coalesce(r.acknowledged_at, $now),
    r.acknowledged_by = coalesce(r.acknowledged_by, $actor)
FOREACH (x IN $alerts | MERGE (a:Alert {alert_id: x.alert_id}) ON CREATE SET a += x)
RETURN r AS receipt
