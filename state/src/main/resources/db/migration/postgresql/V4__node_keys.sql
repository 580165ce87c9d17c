-- Per-node private keys (the audit signing key, one per node and purpose), sealed with the keyring
-- (AES-GCM, like access-key secrets): sealed_key_id names the master key, ciphertext is base64 of
-- nonce + ciphertext + tag, and the associated data binds it to node_id and purpose.
CREATE TABLE node_keys (
    node_id       TEXT   NOT NULL,
    purpose       TEXT   NOT NULL,
    sealed_key_id TEXT   NOT NULL,
    ciphertext    TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (node_id, purpose)
);
