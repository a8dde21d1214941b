// Lints Cypher queries with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
//
// stdin:  [{"name": str, "query": str}, ...]
// stdout: [{"name": str, "diagnostics": [{"message", "severity", "line", "column"}]}, ...]
//
// line and column are 1-based. severity is "error", "warning", "information" or "hint".
// Run by hub/queries/lint.py; no Neo4j server is needed.

import {
  isNotParamError,
  lintCypherQuery,
  testData,
} from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';

// Plugin namespaces present in the package's dump but not installed on our servers.
const PLUGIN_NAMESPACES = /^(apoc|gds)\./;

// LSP DiagnosticSeverity numbers (vscode-languageserver-types).
const SEVERITIES = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

// The function and procedure signatures come from the package's own `testData.mockSchema`,
// a dump of SHOW FUNCTIONS / SHOW PROCEDURES from a real Neo4j dbms (with APOC and GDS)
// that the package uses for its tests; it is exported from the package index. The dump has
// Cypher 5 and Cypher 25 registries, so it comes from a 2025.x server whose Cypher 5 is the
// language of the latest Neo4j 5. We keep the Cypher 5 registry without the plugins:
// built-in functions, and db.*, dbms.*, tx.* (and the few cdc.*) procedures.
//
// Labels, relationship types, property keys and parameters are left out on purpose: with
// them absent the front end skips the "not present in the database" checks (our schema is
// open), and parameters are supplied at run time (their diagnostics are dropped below).
function neo4jSchema() {
  const functions = testData?.mockSchema?.functions?.[CYPHER_VERSION];
  const procedures = testData?.mockSchema?.procedures?.[CYPHER_VERSION];
  if (!functions || !procedures) {
    throw new Error(
      `@neo4j-cypher/language-support no longer ships testData.mockSchema for ${CYPHER_VERSION}`,
    );
  }
  return {
    defaultLanguage: CYPHER_VERSION,
    functions: { [CYPHER_VERSION]: pick(functions, (name, fn) => fn.isBuiltIn) },
    procedures: { [CYPHER_VERSION]: pick(procedures, (name) => !PLUGIN_NAMESPACES.test(name)) },
  };
}

function pick(registry, keep) {
  return Object.fromEntries(Object.entries(registry).filter(([name, item]) => keep(name, item)));
}

function lint(query, schema) {
  const { diagnostics } = lintCypherQuery(query, schema, { consoleCommandsEnabled: false });
  return diagnostics.filter(isNotParamError).map((diagnostic) => ({
    message: diagnostic.message,
    severity: SEVERITIES[diagnostic.severity] ?? 'error',
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
  }));
}

// A crash of the front end on one query is reported against that query, not the whole run.
function lintOrReportCrash(query, schema) {
  try {
    return lint(query, schema);
  } catch (error) {
    return [{ message: `the linter crashed: ${error}`, severity: 'error', line: 1, column: 1 }];
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseRequest(text) {
  const request = JSON.parse(text);
  const valid =
    Array.isArray(request) &&
    request.every((item) => typeof item?.name === 'string' && typeof item?.query === 'string');
  if (!valid) {
    throw new Error('expected a JSON array of {"name": string, "query": string}');
  }
  return request;
}

async function main() {
  const request = parseRequest(await readStdin());
  const schema = neo4jSchema();
  const result = request.map(({ name, query }) => ({
    name,
    diagnostics: lintOrReportCrash(query, schema),
  }));
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(`cypher_lint: ${error.message}\n`);
  process.exitCode = 1;
});
