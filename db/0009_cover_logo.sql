-- An organisation's logo for the document covers (optional): the PNG or JPEG picture as base64 text, kept
-- in the database so it travels with the programme, and the organisation's name, which is its alt text.
ALTER TABLE programmes ADD COLUMN cover_logo TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN cover_logo_name TEXT NOT NULL DEFAULT '';
