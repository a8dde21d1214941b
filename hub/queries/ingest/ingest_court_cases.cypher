// court.cases 执行案件: a case by case_number (perhaps created bare by court.parties before).
UNWIND $rows AS row
MERGE (court_case:Case {case_number: row.case_number})
WITH court_case, row, court_case.row_hash AS old
WHERE old IS NULL OR old <> row.hash
SET court_case += row.props, court_case.row_hash = row.hash,
    court_case.source = $source, court_case.batch_id = $batch_id,
    court_case.loaded_at = $loaded_at
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(old) AS updated
