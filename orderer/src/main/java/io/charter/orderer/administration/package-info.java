/**
 * Administering an orderer's channel membership, the same for the channel participation REST API (the Spring
 * shell) and the transport (so also for the local network's plain orderer cores): who may ({@link
 * io.charter.orderer.administration.OrdererAdministration}: an ADMIN of an organization of the channel, for a
 * join of the genesis block's configuration), the signed transport requests and their methods ({@link
 * io.charter.orderer.service.AdminMethods}, over the shared {@link io.charter.common.admin.SignedAdminEnvelopes})
 * and the stable refusal codes ({@link io.charter.orderer.administration.AdminRefusal}).
 */
package io.charter.orderer.administration;
