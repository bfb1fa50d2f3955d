/**
 * The peer's transport methods, as the orderer's {@code io.charter.orderer.service}: their names and access table
 * ({@link io.charter.peer.service.PeerMethods}) and their handlers, by responsibility:
 * {@link io.charter.peer.service.EndorseHandler} ({@code peer.Endorse}),
 * {@link io.charter.peer.service.DisseminationHandlers} (among an organization's peers: {@code peer.GetBlocks},
 * {@code peer.PushBlock}, {@code peer.Heartbeat}), {@link io.charter.peer.service.CommitEventHandlers}
 * ({@code peer.CommitStatus}, {@code peer.BlockEvents}), {@link io.charter.peer.service.ContractHandlers}
 * ({@code peer.ContractPolicy}, {@code peer.ContractDefinitions}) and {@link io.charter.peer.service.AdminMethods}
 * (the signed administration methods). The node registers them on its server; the handlers reach the joined
 * channels through {@link io.charter.peer.service.ServedChannel} (which the node's channel implements) and
 * {@link io.charter.peer.service.ServedChannels}, so that this package does not depend on the node.
 */
package io.charter.peer.service;
