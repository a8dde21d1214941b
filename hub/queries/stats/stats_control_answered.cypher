// linkageStats: the control requests answered from $from to $to (exclusive), at most
// $limit: what each asked, what was done and how long the answer took.
MATCH (r:ControlRequest)
WHERE r.answered_at >= $from AND r.answered_at < $to
RETURN r.department AS department, r.action AS action, r.target_kind AS target_kind,
  r.status AS status, r.amount_controlled AS amount, r.requested_at AS requested_at,
  r.answered_at AS answered_at
LIMIT $limit
