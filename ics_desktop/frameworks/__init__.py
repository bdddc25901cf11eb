"""Frameworks and scoring: the maturity matrix and its versions, mapping results between versions, readiness
rounds (respondents, tallies, agreed figures), aggregates, and importing responses from CSV."""
