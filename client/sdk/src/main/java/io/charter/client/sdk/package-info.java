/**
 * The Java SDK for Charter applications, plain Java (no framework), in the manner of Fabric's Gateway
 * SDK but smaller.
 *
 * <ul>
 *   <li>{@link io.charter.client.sdk.Identity}: who the client is (signing and TLS certificates and keys),
 *       from PEM files, a PKCS#12 keystore, or enrolled on the spot.</li>
 *   <li>{@link io.charter.client.sdk.Gateway}: the identity connected to a network (trust roots, discovery
 *       through the membership service or explicit endpoints, timeouts).</li>
 *   <li>{@link io.charter.client.sdk.Network}: one channel: contracts, broadcast, commit status, block and
 *       contract event streams ({@link io.charter.client.sdk.EventStream}, resumable from a block number).</li>
 *   <li>{@link io.charter.client.sdk.Contract}: {@code evaluate} (one peer) and {@code submit} (endorse on
 *       enough organizations for the contract's policy, learned from a peer as a
 *       {@link io.charter.client.sdk.ContractPolicy} unless given, check agreement, order with failover, wait
 *       for the commit).</li>
 *   <li>{@link io.charter.client.sdk.SdkException}: every failure, with the {@link io.charter.client.sdk.Step}
 *       that failed, a stable {@link io.charter.client.sdk.SdkErrorCode} and the specifics (missing
 *       organizations, refusals, the conflicting key).</li>
 *   <li>{@link io.charter.client.sdk.PeerAdmin}: one peer administered over its transport by an admin of its
 *       organization (install contracts, join channels, list them), with signed requests.</li>
 * </ul>
 *
 * See {@code docs/sdk.md}.
 */
package io.charter.client.sdk;
