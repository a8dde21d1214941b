"""Letters (函) and two-way notices between the court and the departments (API.md,
"Letters"; docs/letters.md): the rules (`rules`) and the reads and writes (`service`)."""
