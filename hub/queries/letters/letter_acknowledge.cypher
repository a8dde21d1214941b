// acknowledgeLetter (签收): a receipt not yet acknowledged is, now. Already: no row.
MATCH (r:LetterReceipt {receipt_id: $receipt_id})
WHERE r.acknowledged_at IS NULL
SET r.acknowledged_at = $now, r.acknowledged_by = $actor
RETURN r AS receipt
