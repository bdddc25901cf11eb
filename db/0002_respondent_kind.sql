-- Respondents say how their scores arrived: a named participant, an anonymous code (private
-- entry), a tally of hands/dots, or a CSV import. Presentation mode never shows names.
ALTER TABLE respondents ADD COLUMN kind TEXT NOT NULL DEFAULT 'named'
    CHECK (kind IN ('named', 'anonymous', 'tally', 'import'));
CREATE INDEX responses_respondent ON responses(respondent_id, capability_code, question);
