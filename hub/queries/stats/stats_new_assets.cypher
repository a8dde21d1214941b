// linkageStats: the assets connector runs brought of respondents of open cases (NEW_ASSET
// alerts) from $from to $to (exclusive): each asset of a case once, whoever was told.
MATCH (a:Alert)
WHERE a.kind = $new_asset AND a.at >= $from AND a.at < $to
RETURN count(DISTINCT [a.ref, a.case_number]) AS assets
