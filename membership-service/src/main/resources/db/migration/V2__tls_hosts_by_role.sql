-- Issue #12: TLS server certificates only for nodes, only for hosts their registrar approved; enrollment
-- throttling that tells nobody which enrollment ids exist.

-- The hosts a registrar approved for a node (peer or orderer): its TLS certificates may name these only.
-- Stored canonical (DNS names lower case, IP addresses in Java's text form). V3 fills it for the nodes of
-- a running network from the TLS certificates they already hold.
create table identity_host (
    enrollment_id  text not null references identity (enrollment_id) on delete cascade,
    host           text not null,
    primary key (enrollment_id, host)
);

-- The per-identity lock answered 429 for registered ids only (so it told which exist) and let anyone lock
-- an identity out. Throttling is now per source address, in memory (EnrollmentThrottle).
drop table secret_failure;
