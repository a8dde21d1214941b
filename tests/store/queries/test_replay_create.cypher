CREATE (thing:ReplayThing)
SET thing += $props
