"""A first load: a whole county into an empty graph at the engine's bulk speed.

`county.read_county` reads, validates and builds the county in memory with the connectors'
own row models, rejects, provenance, stubs and run reports (`graph.CountyGraph` applies
each dataset as its query would); `falkordb_bulk` turns the graph into FalkorDB
`GRAPH.BULK` commands, `neo4j_import` into the files of `neo4j-admin database import`.
`hub ingest-initial` (hub/cli/ingest_initial.py) runs them; docs/ingest.md says how.
"""
