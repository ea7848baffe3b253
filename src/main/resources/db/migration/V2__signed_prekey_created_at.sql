-- Signed prekeys are signed over a label, their key id and their creation time (protocol v2, docs/protocol.md).
-- Keys uploaded before have no creation time: they stay until their owner rotates (clients refuse them meanwhile).
ALTER TABLE signed_prekey ADD COLUMN created_at BIGINT;
