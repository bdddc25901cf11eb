-- A workshop's running list (outputs, decisions, risks, notes and the actions raised in it) keeps the
-- order it was typed in as a stored position shared by both tables: `created` has millisecond
-- resolution and ids are random, so lines typed or merged in the same millisecond had no stable order.
ALTER TABLE actions ADD COLUMN capture_position INTEGER;

-- Existing lists keep the order they were shown in: by created, then id.
CREATE TEMP TABLE capture_order AS
WITH captured AS (
    SELECT id, 'item' AS source, workshop_id, created FROM workshop_items
    UNION ALL
    SELECT id, 'action', workshop_id, created FROM actions WHERE workshop_id IS NOT NULL
)
SELECT id, source, ROW_NUMBER() OVER (PARTITION BY workshop_id ORDER BY created, id) - 1 AS n FROM captured;

UPDATE workshop_items SET position = (
    SELECT n FROM capture_order WHERE capture_order.id = workshop_items.id AND source = 'item'
);
UPDATE actions SET capture_position = (
    SELECT n FROM capture_order WHERE capture_order.id = actions.id AND source = 'action'
) WHERE workshop_id IS NOT NULL;
DROP TABLE capture_order;
