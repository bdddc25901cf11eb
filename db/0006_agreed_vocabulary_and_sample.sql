-- The agreed figures keep what the group said, in the seed's own terms:
--   * a desired maturity left open ("?") is stored apart from one not entered yet (both were NULL);
--   * a change left blank on purpose is stored apart from one not entered yet, and a change is no
--     longer computed from the previous round when shown: only when the facilitator asks for it.
ALTER TABLE capability_results ADD COLUMN desired_open INTEGER NOT NULL DEFAULT 0
    CHECK (desired_open IN (0, 1));
ALTER TABLE capability_results ADD COLUMN change_blank INTEGER NOT NULL DEFAULT 0
    CHECK (change_blank IN (0, 1));

-- Existing data keeps its meaning as it was shown. A capability whose current maturity was agreed
-- with no desired maturity was shown with "?" for desired: it was left open.
UPDATE capability_results SET desired_open = 1
WHERE agreed_desired IS NULL AND agreed_current IS NOT NULL;

-- A change not set by hand was shown computed from the previous round's agreed current (rounds in
-- the order the app lists them: by date, undated last, then creation): it is stored as shown.
CREATE TEMP TABLE previous_round AS
SELECT id, LAG(id) OVER (PARTITION BY programme_id ORDER BY date IS NULL, date, created, id) AS previous_id
FROM assessments;

UPDATE capability_results SET change = (
    SELECT CASE
        WHEN capability_results.agreed_current > before.agreed_current THEN 'up'
        WHEN capability_results.agreed_current < before.agreed_current THEN 'down'
        ELSE 'same'
    END
    FROM previous_round
    JOIN capability_results AS before
        ON before.assessment_id = previous_round.previous_id
        AND before.capability_code = capability_results.capability_code
    WHERE previous_round.id = capability_results.assessment_id AND before.agreed_current IS NOT NULL
)
WHERE change IS NULL AND agreed_current IS NOT NULL;
DROP TABLE previous_round;

-- The sample programme is marked, so the programme list can label it "Sample" (and hide it when the
-- facilitator asks). Existing databases: the programmes whose scores are illustrative are the sample.
ALTER TABLE programmes ADD COLUMN sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1));
UPDATE programmes SET sample = 1 WHERE id IN (
    SELECT a.programme_id FROM assessments a JOIN respondents r ON r.assessment_id = a.id WHERE r.illustrative = 1
);
