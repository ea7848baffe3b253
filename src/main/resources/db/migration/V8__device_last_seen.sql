-- Linked devices (issue 14), step 4's remainder: when each device last connected (milliseconds since the epoch; NULL
-- until it first does), shown to the account's owner only (GET /api/devices), so that a client can offer to remove
-- a device unseen for long.
ALTER TABLE device ADD COLUMN last_seen_at BIGINT;
