-- Charter membership service: certificate authority and index server.
-- Times are timestamptz; certificates, CRLs and keys are stored DER/binary in bytea.

-- Certificate authorities: the consortium root and, per organization, a signing and a TLS issuing CA.
-- Private keys are AES-256-GCM encrypted under a PBKDF2-HMAC-SHA256 key from the configured passphrase.
create table certificate_authority (
    id              text primary key,            -- 'root', or '<mspId>/signing', '<mspId>/tls'
    kind            text not null check (kind in ('root', 'signing', 'tls')),
    msp_id          text,
    certificate     bytea not null,              -- DER
    key_salt        bytea not null,
    key_nonce       bytea not null,
    key_iterations  integer not null,
    key_ciphertext  bytea not null,              -- GCM ciphertext with tag, AAD = id
    imported        boolean not null default false,
    created_at      timestamptz not null,
    check ((kind = 'root') = (msp_id is null))
);
create unique index certificate_authority_one_root on certificate_authority (kind) where kind = 'root';

create table organization (
    msp_id      text primary key,
    consortium  boolean not null,
    created_at  timestamptz not null,
    created_by  text not null
);
create unique index organization_one_consortium on organization (consortium) where consortium;

-- Enrollment ids are unique across the service (they are the CN and the HTTP Basic user name).
create table identity (
    enrollment_id        text primary key,
    msp_id               text not null references organization (msp_id),
    type                 text not null check (type in ('client', 'peer', 'orderer', 'admin')),
    max_enrollments      integer not null check (max_enrollments >= 1),
    signing_enrollments  integer not null default 0,
    tls_enrollments      integer not null default 0,
    secret_salt          bytea not null,
    secret_hash          bytea not null,         -- SHA-256(salt || secret)
    revoked_at           timestamptz,
    revocation_reason    integer,
    registered_by        text not null,
    registered_at        timestamptz not null
);
create index identity_by_org on identity (msp_id);

create table identity_attribute (
    enrollment_id  text not null references identity (enrollment_id) on delete cascade,
    name           text not null,
    value          text not null,
    primary key (enrollment_id, name)
);

-- The one table a failed enrollment writes to: consecutive wrong secrets per identity.
create table secret_failure (
    enrollment_id         text primary key references identity (enrollment_id) on delete cascade,
    consecutive_failures  integer not null,
    locked_until          timestamptz
);

create table certificate (
    serial             numeric(40) primary key,
    ca_id              text not null references certificate_authority (id),
    enrollment_id      text not null references identity (enrollment_id),
    profile            text not null check (profile in ('signing', 'tls')),
    der                bytea not null,
    not_before         timestamptz not null,
    not_after          timestamptz not null,
    issued_at          timestamptz not null,
    revoked_at         timestamptz,
    revocation_reason  integer
);
create index certificate_by_identity on certificate (enrollment_id);
create index certificate_revoked_by_ca on certificate (ca_id) where revoked_at is not null;

-- The current CRL of each issuing CA; crl_number increases per CA (RFC 5280).
create table crl (
    ca_id        text primary key references certificate_authority (id),
    crl_number   bigint not null,
    crl_version  bigint not null,
    der          bytea not null,
    this_update  timestamptz not null,
    next_update  timestamptz not null
);

-- The global CRL version, bumped by every revocation and returned in every heartbeat answer.
create table crl_version (
    id       integer primary key check (id = 1),
    version  bigint not null
);
insert into crl_version (id, version) values (1, 0);

create table audit_log (
    id            bigserial primary key,
    at            timestamptz not null,
    actor         text not null,
    actor_msp_id  text,
    action        text not null,
    target        text not null,
    outcome       text not null,
    detail        text
);

-- The index: registered nodes. State (UP/DOWN) is computed from last_heartbeat at query time.
create table node (
    node_id          text primary key references identity (enrollment_id) on delete cascade,
    msp_id           text not null references organization (msp_id),
    role             text not null check (role in ('peer', 'orderer')),
    anchor           boolean not null,
    signing_serial   numeric(40) not null references certificate (serial),
    tls_serial       numeric(40) not null references certificate (serial),
    registered_at    timestamptz not null,
    last_heartbeat   timestamptz not null,
    last_sent_at     timestamptz not null    -- the node's timestamp of its last accepted request
);

create table node_endpoint (
    node_id   text not null references node (node_id) on delete cascade,
    position  integer not null,
    host      text not null,
    port      integer not null,
    primary key (node_id, position)
);

create table node_channel (
    node_id  text not null references node (node_id) on delete cascade,
    channel  text not null,
    height   bigint not null,
    primary key (node_id, channel)
);
create index node_channel_by_channel on node_channel (channel);

-- Leader leases: one holder per (channel, organization).
create table leader_lease (
    channel     text not null,
    msp_id      text not null,
    holder      text not null,
    term        bigint not null,
    expires_at  timestamptz not null,
    primary key (channel, msp_id)
);
