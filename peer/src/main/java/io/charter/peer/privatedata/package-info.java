/**
 * Private data collections (docs/private-data.md): which organizations are members of a contract's collections
 * ({@link io.charter.peer.privatedata.Collection}), how private writes are hashed and checked against a block
 * ({@link io.charter.peer.privatedata.PrivateDataHashes}), how an endorser hands them to member peers before it
 * answers ({@link io.charter.peer.privatedata.Dissemination}) and how a member peer fetches what it missed
 * ({@link io.charter.peer.privatedata.Reconciler}). The tables are the ledger's.
 */
package io.charter.peer.privatedata;
