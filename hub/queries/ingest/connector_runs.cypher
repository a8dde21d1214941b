// The latest connector runs, newest first (run ids sort by start time), of one department,
// or of all departments when $department is null.
MATCH (run:ConnectorRun)
WHERE $department IS NULL OR run.department = $department
RETURN run
ORDER BY run.run_id DESC
LIMIT $first
