MATCH (thing:ReplayThing {key: $key})
SET thing += $changes
