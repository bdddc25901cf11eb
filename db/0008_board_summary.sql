-- What a board paper carries besides the figures, written by the facilitator for the PDF summary: its purpose,
-- three to five key messages (one per line), its author and contact, and its version.
ALTER TABLE programmes ADD COLUMN board_purpose TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN board_messages TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN board_author TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN board_contact TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN board_version TEXT NOT NULL DEFAULT '';
