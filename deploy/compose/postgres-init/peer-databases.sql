-- One ledger database per peer, named after the peer (CHARTER_PEER_DATABASE_URL in compose.yaml).
CREATE DATABASE "org1-peer0";
CREATE DATABASE "org2-peer0";
