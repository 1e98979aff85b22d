-- Whose an item is (DESIGN.md): an account's role is 'own' (the creator's:
-- counted in totals) or 'tracked' (someone else's, kept for comparison).
-- A content item carries its account's role, so that reads filter on the
-- row they already have. Everything stored before this is the creator's.
ALTER TABLE item ADD COLUMN role TEXT NOT NULL DEFAULT 'own'
    CHECK (role IN ('own', 'tracked'));
