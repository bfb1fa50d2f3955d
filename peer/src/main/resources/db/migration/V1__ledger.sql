-- Charter peer ledger: one PostgreSQL database per peer, every channel in the same tables.
-- Channels are told apart by a channel_id column that leads every primary key (rather than a
-- schema per channel), so Flyway migrates one fixed schema and joining a channel creates no DDL.
--
-- A block commits in ONE transaction: its block row, its transaction index rows, the world-state
-- writes of its valid transactions, their key history and its MVCC conflict details. Nothing here
-- is updated outside a block commit, so the database is always at a block boundary.

-- Blocks as committed: raw = the serialized Block with the peer's metadata filled in
-- (validation codes, MVCC conflicts). Stored uncompressed out of line (storage external): the
-- envelopes are mostly signatures and certificates, which pglz would spend time on for nothing.
create table block (
    channel_id     text   not null,
    number         bigint not null,
    header_hash    bytea  not null,   -- BlockHashing.headerHash, the next block's previous_hash
    previous_hash  bytea  not null,
    data_hash      bytea  not null,
    tx_count       integer not null,
    valid_count    integer not null,
    raw            bytea  not null,
    committed_at   timestamptz not null default now(),
    primary key (channel_id, number)
);
alter table block alter column raw set storage external;

-- Transaction ids whose creator signature verified, with the outcome. Duplicates and
-- transactions whose id cannot be trusted (bad creator signature, bad tx id, malformed) are not
-- indexed: otherwise anyone could burn another client's tx id by copying its header.
create table tx_index (
    channel_id       text     not null,
    tx_id            text     not null,
    block_number     bigint   not null,
    tx_number        integer  not null,
    validation_code  smallint not null,  -- TxValidationCode number
    primary key (channel_id, tx_id)
);
create index tx_index_by_position on tx_index (channel_id, block_number, tx_number);

-- World state. Keys compare bytewise (collation "C"), so range scans follow the UTF-8 order of
-- the keys whatever the database's locale. value_json holds the value as jsonb when the value is
-- a JSON object (JsonValues decides, identically on every peer), for rich queries; the bytes
-- stay the truth. Version = (block_number, tx_number) of the transaction that wrote the value.
create table state (
    channel_id    text    not null,
    namespace     text    not null,
    key           text    collate "C" not null,
    value         bytea   not null,
    value_json    jsonb,
    block_number  bigint  not null,
    tx_number     integer not null,
    primary key (channel_id, namespace, key)
);
-- jsonb_path_ops serves containment (@>) and jsonpath (@?, @@) queries.
create index state_value_json on state using gin (value_json jsonb_path_ops);

-- Every write of a valid transaction, oldest first per key: a value, or a delete marker.
create table key_history (
    channel_id    text    not null,
    namespace     text    not null,
    key           text    collate "C" not null,
    block_number  bigint  not null,
    tx_number     integer not null,
    tx_id         text    not null,
    is_delete     boolean not null,
    value         bytea,              -- null when is_delete
    primary key (channel_id, namespace, key, block_number, tx_number)
);

-- Why a transaction failed MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT: the first conflicting key,
-- the version the endorser read and the version committed when the block was validated (null
-- block/tx = the key did not exist).
create table mvcc_conflict (
    channel_id         text    not null,
    tx_id              text    not null,
    block_number       bigint  not null,
    tx_number          integer not null,
    phantom            boolean not null,
    namespace          text    not null,
    key                text    collate "C" not null,
    read_block         bigint,
    read_tx            integer,
    committed_block    bigint,
    committed_tx       integer,
    primary key (channel_id, block_number, tx_number)
);
create index mvcc_conflict_by_tx on mvcc_conflict (channel_id, tx_id);
