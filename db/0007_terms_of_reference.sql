-- The terms of reference's own words, per programme: each section of the seed's ToR that is the programme's
-- text rather than its data (introduction, the programme, how it is delivered with the delivery-phase table,
-- the timeline, the readiness cover note, the design group). Rows are made when the programme's ToR is first
-- edited; until then the template (or, for the sample, the seed's words) is shown and exported.
CREATE TABLE tor_sections (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    UNIQUE (programme_id, key)
);

-- The sample's note on its illustrative responses no longer ends with a remark meant for developers
-- ("which are the seed's"): it is printed in documents a system's board reads.
UPDATE assessments SET notes = 'Individual responses in this assessment are illustrative: the terms of reference '
    || 'record only the group''s figures (overall 1.9) and the agreed current and desired maturity.'
WHERE notes = 'Individual responses in this assessment are illustrative: the terms of reference record only the '
    || 'group''s figures (overall 1.9) and the agreed current and desired maturity, which are the seed''s.';

-- Likewise the note on the sample's illustrative actions.
UPDATE action_notes SET text = 'Illustrative: added to the sample programme to show the workflow (the 2018 terms '
    || 'of reference do not record it).'
WHERE text = 'Illustrative: added to the sample programme to show the workflow; the seed documents do not record it.';
