-- ICS Desktop schema, version 1.
-- Every record has a stable UUID (merged between laptops later) and created/modified timestamps
-- (ISO 8601, UTC). Lists that belong to one record (partner organisations, capability codes,
-- workshop numbers) are stored as JSON arrays in TEXT columns.

CREATE TABLE frameworks (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    definition TEXT NOT NULL,          -- the whole framework as validated JSON
    based_on_id TEXT REFERENCES frameworks(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

CREATE TABLE systems (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL DEFAULT '',
    overview TEXT NOT NULL DEFAULT '',
    population TEXT NOT NULL DEFAULT '',
    partner_organisations TEXT NOT NULL DEFAULT '[]',
    change_priorities TEXT NOT NULL DEFAULT '[]',
    enablers TEXT NOT NULL DEFAULT '[]',
    priority_areas TEXT NOT NULL DEFAULT '[]',
    governance_notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE RESTRICT,
    framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    structure TEXT NOT NULL DEFAULT '',
    anticipated_output TEXT NOT NULL DEFAULT '',
    start_date TEXT,
    end_date TEXT,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('participant', 'delivery')),
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    topic_lead TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    profile TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX people_programme ON people(programme_id, kind, position);

CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    date TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX assessments_programme ON assessments(programme_id, date);

CREATE TABLE respondents (
    id TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    label TEXT NOT NULL,               -- a name or an anonymous code
    person_id TEXT REFERENCES people(id) ON DELETE SET NULL,
    illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    UNIQUE (assessment_id, label)
);

CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    respondent_id TEXT NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    capability_code TEXT NOT NULL,
    question TEXT NOT NULL,
    score INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 4),  -- NULL means "don't know"
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    UNIQUE (respondent_id, capability_code, question)
);

CREATE TABLE capability_results (
    id TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    capability_code TEXT NOT NULL,
    agreed_current INTEGER CHECK (agreed_current IS NULL OR agreed_current BETWEEN 1 AND 4),
    agreed_desired INTEGER CHECK (agreed_desired IS NULL OR agreed_desired BETWEEN 1 AND 4),
    justification TEXT NOT NULL DEFAULT '',
    focus INTEGER NOT NULL DEFAULT 0 CHECK (focus IN (0, 1)),
    change TEXT CHECK (change IS NULL OR change IN ('up', 'same', 'down')),
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    UNIQUE (assessment_id, capability_code)
);

CREATE TABLE workshop_catalogue (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    UNIQUE (programme_id, number)
);

CREATE TABLE areas_of_focus (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    narrative TEXT NOT NULL DEFAULT '',
    blend TEXT NOT NULL DEFAULT '',
    preferred_workshops TEXT NOT NULL DEFAULT '[]',
    capabilities TEXT NOT NULL DEFAULT '[]',
    outputs TEXT NOT NULL DEFAULT '[]',
    outcomes TEXT NOT NULL DEFAULT '[]',
    topic_leads TEXT NOT NULL DEFAULT '[]',   -- people ids
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX areas_programme ON areas_of_focus(programme_id, number);

CREATE TABLE workshops (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    starts_at TEXT,
    venue TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    areas TEXT NOT NULL DEFAULT '[]',
    attendees TEXT NOT NULL DEFAULT '[]',
    agenda TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

CREATE TABLE workshop_items (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('output', 'decision', 'risk', 'note')),
    text TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in progress', 'done', 'blocked', 'dropped')),
    area_id TEXT REFERENCES areas_of_focus(id) ON DELETE SET NULL,
    workshop_id TEXT REFERENCES workshops(id) ON DELETE SET NULL,
    capabilities TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX actions_programme ON actions(programme_id, due_date);

CREATE TABLE action_notes (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

CREATE TABLE milestones (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    ambition TEXT NOT NULL DEFAULT '',
    ambition_year TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    milestone_year TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'on track', 'at risk', 'achieved', 'missed')),
    areas TEXT NOT NULL DEFAULT '[]',         -- area of focus numbers
    capabilities TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
