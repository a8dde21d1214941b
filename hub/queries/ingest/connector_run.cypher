// One connector run by its id (the rejects download checks whose run it is).
MATCH (run:ConnectorRun {run_id: $run_id})
RETURN run
LIMIT 1
