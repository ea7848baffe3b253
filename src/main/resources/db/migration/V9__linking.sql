-- Linked devices (issue 14), step 6 of docs/design/linked-devices.md: linking a new device.
--
-- A device's optional name, chosen by the device when it is linked (1 to 64 characters), shown only to the account's
-- own devices (GET /api/devices).
ALTER TABLE device ADD COLUMN name VARCHAR(64);

-- One-use linking tickets (POST /api/devices/tickets): an existing device asks for one and sends it to the new device
-- inside the provisioning message; the new device registers itself with it (POST /api/devices). Only the SHA-256 of
-- the ticket is kept; a ticket is deleted when it is used and by the housekeeping job once it expired.
CREATE TABLE device_ticket (
    ticket_hash  BYTEA        PRIMARY KEY,
    username     VARCHAR(32)  NOT NULL REFERENCES account (username) ON DELETE CASCADE,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL
);
CREATE INDEX device_ticket_account ON device_ticket (username, expires_at);
CREATE INDEX device_ticket_expiry ON device_ticket (expires_at);

-- The provisioning relay (POST/PUT/GET /api/links): a mailbox the new device opens (it has no account yet), the
-- existing device fills once with the sealed provisioning message, and the new device empties, which deletes it.
-- The server never reads the message. In the database so that the two devices may reach different nodes.
CREATE TABLE link_mailbox (
    mailbox_id  BYTEA   PRIMARY KEY,
    message     BYTEA,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX link_mailbox_expiry ON link_mailbox (expires_at);
