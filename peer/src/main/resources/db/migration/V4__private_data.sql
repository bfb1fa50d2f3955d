-- Private data collections (docs/private-data.md). Every peer keeps the hashes; only peers of a collection's member
-- organizations keep the values. Written with the block that commits them, in the block's transaction, except the
-- transient store (before commit) and reconciliation (values that arrive after their block).

-- Hashed state: the latest hash of each private key, on every peer (members and not). MVCC compares a transaction's
-- hashed reads with these versions. Never purged (blockToLive purges values only).
create table private_hash (
    channel_id    text    not null,
    namespace     text    not null,
    collection    text    not null,
    key_hash      bytea   not null,   -- SHA-256 of the key (UTF-8)
    value_hash    bytea   not null,   -- SHA-256 of the value
    block_number  bigint  not null,
    tx_number     integer not null,
    expiry_block  bigint,             -- when the value is purged (the hash stays); null = never
    primary key (channel_id, namespace, collection, key_hash)
);

-- Private state: the latest value of each private key, on member peers only. Keys compare bytewise like state's.
-- expiry_block: the block at whose commit the value is purged (its block + blockToLive); null = kept forever.
create table private_state (
    channel_id    text    not null,
    namespace     text    not null,
    collection    text    not null,
    key           text    collate "C" not null,
    value         bytea   not null,
    value_json    jsonb,
    block_number  bigint  not null,
    tx_number     integer not null,
    expiry_block  bigint,
    primary key (channel_id, namespace, collection, key)
);
create index private_state_expiry on private_state (channel_id, expiry_block) where expiry_block is not null;

-- The private writes of each committed transaction and collection as received (a CollectionPrivateWrites), checked
-- against the block's hashes: what reconciliation serves to other member peers. Purged with the values.
create table private_writes (
    channel_id    text    not null,
    block_number  bigint  not null,
    tx_number     integer not null,
    namespace     text    not null,
    collection    text    not null,
    writes        bytea   not null,
    expiry_block  bigint,
    primary key (channel_id, block_number, tx_number, namespace, collection)
);
create index private_writes_expiry on private_writes (channel_id, expiry_block) where expiry_block is not null;

-- Private writes of committed valid transactions that this member peer does not have (it was down at endorsement,
-- joined later, or received values that did not match the block's hashes): what reconciliation asks other member
-- peers for. Removed when reconciled, or when the data would have been purged anyway.
create table private_missing (
    channel_id    text    not null,
    block_number  bigint  not null,
    tx_number     integer not null,
    namespace     text    not null,
    collection    text    not null,
    tx_id         text    not null,
    expiry_block  bigint,
    primary key (channel_id, block_number, tx_number, namespace, collection)
);

-- Transient store: private writes received before their transaction commits (from this peer's own endorsements and
-- from other member peers' dissemination), one row per transaction and collection. Read at commit, then deleted;
-- rows whose transaction never commits are deleted once the channel is received_height + retention blocks on.
create table private_transient (
    channel_id       text    not null,
    tx_id            text    not null,
    namespace        text    not null,
    collection       text    not null,
    writes           bytea   not null,   -- a CollectionPrivateWrites
    received_height  bigint  not null,
    sender_msp       text    not null,   -- whose entry it is (this peer's organization for its own endorsements):
                                         -- each organization may hold only its share of the store
    primary key (channel_id, tx_id, namespace, collection)
);
create index private_transient_age on private_transient (channel_id, received_height);
