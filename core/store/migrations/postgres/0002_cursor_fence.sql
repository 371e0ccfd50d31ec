-- 0002: fencing tokens on channel cursors, so that a poller whose lease passed to another
-- instance cannot move the cursor back (see Cursors.SetCursorFenced).
ALTER TABLE channel_cursors ADD COLUMN fence BIGINT NOT NULL DEFAULT 0;
