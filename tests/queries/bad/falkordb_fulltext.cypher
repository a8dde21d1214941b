// expect: error: Procedure db.idx.fulltext.queryNodes is not present
// FalkorDB's full-text procedure; Neo4j's is db.index.fulltext.queryNodes.
CALL db.idx.fulltext.queryNodes('Person', $text) YIELD node
RETURN node
