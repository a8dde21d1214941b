MATCH (thing:ReplayThing)
RETURN properties(thing) AS props
ORDER BY thing.key
