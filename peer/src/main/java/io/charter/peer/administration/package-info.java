/**
 * Administering a peer, the same for the admin REST API (the Spring shell) and the transport: who may
 * ({@link io.charter.peer.administration.AdminAuthorization}: an ADMIN of the peer's organization), what
 * ({@link io.charter.peer.administration.PeerAdministration}: install contracts, join channels, list them),
 * the signed transport requests ({@link io.charter.peer.administration.SignedAdminRequests}; their methods are
 * the service package's {@code AdminMethods}), and the stable refusal codes
 * ({@link io.charter.peer.administration.AdminRefusal}). It acts on the peer and its channels through
 * {@link io.charter.peer.administration.AdministeredPeer} and
 * {@link io.charter.peer.administration.AdministeredChannel}, which the node implements: the node creates the
 * administration, and the administration does not know the node.
 */
package io.charter.peer.administration;
