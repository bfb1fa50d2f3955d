-- Transactions of a block that the index leaves out: those whose creator could not be verified (the id in their
-- header is only the sender's claim: anyone could write another's id there) and those that repeated an id already
-- committed (DUPLICATE_TXID). Kept apart from tx_index so that a claim never answers a client waiting for its own
-- transaction; `charter tx` and peer.CommitStatus without wait show them as claims, with their validation code.
create table tx_claim (
    channel_id       text     not null,
    tx_id            text     not null,
    block_number     bigint   not null,
    tx_number        integer  not null,
    validation_code  smallint not null,  -- TxValidationCode number
    primary key (channel_id, block_number, tx_number)
);
create index tx_claim_by_id on tx_claim (channel_id, tx_id);
