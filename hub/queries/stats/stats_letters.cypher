// linkageStats: the letters sent from $from to $to (exclusive) by kind: how many, to how
// many recipients, how many of those replied, and replied by the day asked (replyBy).
MATCH (l:Letter)
WHERE l.sent_at >= $from AND l.sent_at < $to
MATCH (l)-[:ADDRESSED_TO]->(r:LetterReceipt)
WITH l, count(r) AS recipients,
  sum(CASE WHEN r.replied_at IS NULL THEN 0 ELSE 1 END) AS replied,
  sum(CASE WHEN r.replied_at IS NOT NULL AND l.reply_by IS NOT NULL
                AND substring(r.replied_at, 0, 10) <= l.reply_by THEN 1 ELSE 0 END) AS on_time,
  sum(CASE WHEN l.reply_by IS NULL THEN 0 ELSE 1 END) AS due
RETURN l.kind AS kind, count(l) AS letters, sum(recipients) AS recipients,
  sum(replied) AS replied, sum(on_time) AS replied_on_time, sum(due) AS replies_due
