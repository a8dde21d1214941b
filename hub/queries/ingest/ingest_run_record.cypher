// A connector run's report, kept in the graph so that runs can be listed (hub runs,
// GraphQL connectorRuns). Written when the run starts (status running), after each batch
// and when it ends. $run: the report's fields, none of them null (a property is never
// removed); provenance is the run itself.
MERGE (run:ConnectorRun {run_id: $run.run_id})
SET run += $run, run.source = $run.department, run.batch_id = $run.run_id,
    run.loaded_at = coalesce($run.updated_at, $run.started_at)
RETURN run.run_id AS run_id
