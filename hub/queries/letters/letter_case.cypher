// sendLetter about a case: its officer (the court's LETTER alert goes to them). No row: no
// such case.
MATCH (c:Case {case_number: $case_number})
RETURN c.officer_id AS officer_id
