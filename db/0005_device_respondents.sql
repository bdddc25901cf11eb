-- Live voting: each participant's phone (a "device") becomes a respondent of the assessment. Its
-- browser keeps a random id; only a hash of it is stored, so a phone that sends its ballot again
-- replaces its own answers instead of adding a second respondent.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt (SQLite's procedure: foreign
-- keys are off while migrations run, so dropping the old table deletes no response).
CREATE TABLE respondents_new (
    id TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    label TEXT NOT NULL,               -- a name or an anonymous code
    person_id TEXT REFERENCES people(id) ON DELETE SET NULL,
    illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'named'
        CHECK (kind IN ('named', 'anonymous', 'tally', 'import', 'device')),
    device TEXT,                       -- for kind 'device': a hash of the phone's own random id
    UNIQUE (assessment_id, label)
);
INSERT INTO respondents_new (id, assessment_id, label, person_id, illustrative, created, modified, kind)
    SELECT id, assessment_id, label, person_id, illustrative, created, modified, kind FROM respondents;
DROP TABLE respondents;
ALTER TABLE respondents_new RENAME TO respondents;
CREATE UNIQUE INDEX respondents_device ON respondents(assessment_id, device) WHERE device IS NOT NULL;
