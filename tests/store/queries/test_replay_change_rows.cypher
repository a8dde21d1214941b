UNWIND $rows AS row
MATCH (thing:ReplayThing {key: row.key})
SET thing += row.changes
