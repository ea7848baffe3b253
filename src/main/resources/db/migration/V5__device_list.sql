-- Linked devices (issue 14), step 4 of docs/design/linked-devices.md: each account's latest signed device list, as
-- its client uploaded it (body and signature, never re-encoded). No row: a legacy account that never published one,
-- read as {serial 0, device 1}. Older lists are useless to clients (they refuse rollbacks), so only the latest is kept.
CREATE TABLE device_list (
    username    VARCHAR(32)  PRIMARY KEY REFERENCES account (username) ON DELETE CASCADE,
    serial      BIGINT       NOT NULL,
    body        BYTEA        NOT NULL,
    signature   BYTEA        NOT NULL,
    updated_at  BIGINT       NOT NULL
);
