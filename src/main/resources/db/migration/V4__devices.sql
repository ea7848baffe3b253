-- Linked devices (issue 14), step 2 of docs/design/linked-devices.md: an account's devices, and prekeys and session
-- tokens per device. Every existing account becomes device 1, which keeps its keys and tokens; nothing else changes
-- until later steps use more than device 1. (Version 3 is the Java migration H2MessageSequenceCache.)
-- Tables whose primary key changes are recreated and copied, not altered: portable between PostgreSQL and H2, and
-- their rows are few (prekeys).

-- A device is (username, device_id); ids are never reused in an account. created_at and last_seen_at: milliseconds.
CREATE TABLE device (
    username      VARCHAR(32)  NOT NULL REFERENCES account (username) ON DELETE CASCADE,
    device_id     INTEGER      NOT NULL CHECK (device_id BETWEEN 1 AND 999999999),
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (username, device_id)
);
INSERT INTO device (username, device_id, created_at) SELECT username, 1, created_at FROM account;

-- A token belongs to one device; removing the device revokes its tokens.
ALTER TABLE session_token ADD COLUMN device_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE session_token ADD CONSTRAINT session_token_of_device
    FOREIGN KEY (username, device_id) REFERENCES device (username, device_id) ON DELETE CASCADE;
CREATE INDEX session_token_by_device ON session_token (username, device_id);

-- Replaces signed_prekey: one current signed prekey per device.
CREATE TABLE device_signed_prekey (
    username    VARCHAR(32)  NOT NULL,
    device_id   INTEGER      NOT NULL,
    key_id      BIGINT       NOT NULL,
    public_key  BYTEA        NOT NULL,
    signature   BYTEA        NOT NULL,
    created_at  BIGINT,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (username, device_id),
    FOREIGN KEY (username, device_id) REFERENCES device (username, device_id) ON DELETE CASCADE
);
INSERT INTO device_signed_prekey (username, device_id, key_id, public_key, signature, created_at, updated_at)
    SELECT username, 1, key_id, public_key, signature, created_at, updated_at FROM signed_prekey;
DROP TABLE signed_prekey;

-- Replaces one_time_prekey: a pool per device; a key id is unique within its device's pool.
CREATE TABLE device_one_time_prekey (
    username    VARCHAR(32)  NOT NULL,
    device_id   INTEGER      NOT NULL,
    key_id      BIGINT       NOT NULL,
    public_key  BYTEA        NOT NULL,
    PRIMARY KEY (username, device_id, key_id),
    FOREIGN KEY (username, device_id) REFERENCES device (username, device_id) ON DELETE CASCADE
);
INSERT INTO device_one_time_prekey (username, device_id, key_id, public_key)
    SELECT username, 1, key_id, public_key FROM one_time_prekey;
DROP TABLE one_time_prekey;
