/**
 * Snapshots of a channel's ledger (world state, private data hashes, transaction ids, configuration in
 * force) with deterministic files and hashes, so that every peer at the same height writes the same
 * snapshot (docs/snapshots.md).
 */
package io.charter.peer.snapshot;
