// A connector run's report, kept in the graph so that runs can be listed (hub runs,
// GraphQL connectorRuns). $run: the report's fields; provenance is the run itself.
MERGE (run:ConnectorRun {run_id: $run.run_id})
SET run += $run, run.source = $run.department, run.batch_id = $run.run_id,
    run.loaded_at = $run.finished_at
RETURN run.run_id AS run_id
