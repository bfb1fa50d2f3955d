-- The channel configuration in force after each genesis or config block, written in the same
-- transaction as its block, so a restarted peer continues with the latest configuration without
-- replaying the chain. The configuration in force is the row with the highest sequence.
create table channel_config (
    channel_id    text   not null,
    sequence      bigint not null,   -- ChannelConfig.sequence: +1 per applied update
    block_number  bigint not null,   -- the block that carried it
    config        bytea  not null,   -- the serialized ChannelConfig, as the block carried it
    primary key (channel_id, sequence),
    foreign key (channel_id, block_number) references block (channel_id, number)
);
