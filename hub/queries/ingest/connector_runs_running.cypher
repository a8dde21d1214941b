// The connector runs still marked running, to find those whose process is gone.
MATCH (run:ConnectorRun)
WHERE run.status = 'running'
RETURN run
ORDER BY run.run_id
