"""Example queries, one per job: preloaded as tabs in the IDE and listed in
docs/graphql-examples.md (`python -m hub.graphql.examples` prints that page).

The identifiers are those of the demo county's planted scenarios (seed/README.md) as the
default seed generates them; in another county replace them with real ones from `myCases`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    title: str
    who: str  # the role whose token runs it
    query: str
    variables: str = ""


EXAMPLES: tuple[Example, ...] = (
    Example(
        "My cases",
        "officer",
        """\
# An officer's cases and their parties: the respondents (被执行人) are whom you may trace.
query MyCases {
  myCases(first: 20) {
    caseNumber caseType status filedAt amount outstandingAmount
    parties { id name kind role }
  }
}
""",
    ),
    Example(
        "Trace a person",
        "officer",
        """\
# Where is this respondent? Addresses, phones, relatives, enterprises and associates.
query TracePerson($idNumber: String!, $caseNumber: String!) {
  tracePerson(idNumber: $idNumber, caseNumber: $caseNumber, maxHops: 2) {
    subject { idNumber name status residenceAddress phones }
    addresses { address kind source asOf }
    phones
    relatives { relation person { idNumberMasked name birthYear householdRegion }
                holdings { properties vehicles accounts enterprises } }
    enterprises { uscc name role sharePct }
    associates { hops via person { idNumberMasked name } addresses { address kind } }
  }
}
""",
        '{"idNumber": "<respondent idNumber from myCases>", "caseNumber": "<case number>"}',
    ),
    Example(
        "Locate assets",
        "officer",
        """\
# What does this party own, directly and through enterprises it controls?
query LocateAssets($subject: String!, $caseNumber: String!) {
  locateAssets(subject: $subject, caseNumber: $caseNumber, includeIndirect: true) {
    subject { id name kind }
    totalEstimatedValue
    properties { certNumber address estimatedValue status direct sharePct via }
    vehicles { plateNumber vin brandModel status direct via }
    accounts { bankName accountNumber balance balanceAsOf status direct sharePct via }
    equity { uscc name subscribedCapital sharePct direct via }
    controlledEnterprises { uscc name sharePct via }
  }
}
""",
        '{"subject": "<idNumber or uscc of a party>", "caseNumber": "<case number>"}',
    ),
    Example(
        "Credit check",
        "department",
        """\
# Restricted or not, why, and which measures apply (up to 1,000 subjects a call).
query CreditCheck($subjects: [String!]!) {
  creditCheck(subjects: $subjects) {
    subject valid error known name dishonest restricted
    reasons { kind caseNumber listedAt via }
    measures { code name department }
  }
}
""",
        '{"subjects": ["<idNumber or uscc>", "not-an-id"]}',
    ),
    Example(
        "Measures catalogue",
        "any role",
        """\
query Measures {
  measures { code name department departmentName legalBasis appliesTo }
}
""",
    ),
    Example(
        "Record a punishment",
        "department",
        """\
# Feedback: the calling department applied a measure to a subject under a case.
mutation RecordPunishment($input: PunishmentInput!) {
  recordPunishment(input: $input) {
    id subject caseNumber department appliedAt measure { code name }
  }
}
""",
        '{"input": {"subject": "<idNumber or uscc>", "caseNumber": "<case number>", '
        '"measureCode": "CONSUMPTION_AIR_TRAVEL", "appliedAt": "2025-01-06"}}',
    ),
    Example(
        "Connector runs",
        "admin or department",
        """\
query ConnectorRuns {
  connectorRuns(first: 10) {
    runId dataset department status startedAt rowsRead rowsAccepted rowsRejected
  }
}
""",
    ),
    Example(
        "Audit log",
        "auditor",
        """\
# Refused requests, newest first; pass pageInfo.endCursor as `after` for the next page.
query AuditEvents {
  auditEvents(first: 20, filter: {outcome: DENIED}) {
    edges { cursor node { seq at actor role operation caseNumber subjects outcome reason } }
    pageInfo { hasNextPage endCursor }
  }
}
""",
    ),
    Example(
        "Verify the audit chain",
        "auditor",
        """\
query VerifyAuditChain {
  verifyAuditChain { ok checked firstBrokenSeq reason }
}
""",
    ),
)


def markdown() -> str:
    """docs/graphql-examples.md."""
    parts = [
        "# GraphQL examples\n",
        "Open `GET /graphql` in a browser: the IDE (GraphiQL, served by the hub itself, so it",
        "works offline) has each of these as a tab. Put your token in the Headers pane:",
        '`{"Authorization": "Bearer <token>"}` (`hub token issue --role officer --subject',
        "fy0821-001` mints one). This page is generated: `python -m hub.graphql.examples`.\n",
    ]
    for example in EXAMPLES:
        parts += [f"## {example.title} ({example.who})\n", "```graphql", example.query.rstrip()]
        parts.append("```\n")
        if example.variables:
            parts += ["Variables:\n", "```json", example.variables, "```\n"]
    return "\n".join(parts)


if __name__ == "__main__":
    print(markdown(), end="")
