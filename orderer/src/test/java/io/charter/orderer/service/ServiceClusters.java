package io.charter.orderer.service;

import io.charter.common.testing.TestPki;
import io.charter.orderer.testing.OrdererCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The service tests' clusters: whole orderers of OrdererOrg; ClientOrg (clients and peers) in the channel,
 * OutsiderOrg in the PKI but not in the channel.
 */
final class ServiceClusters {

    static final String CHANNEL = "svc-channel";

    private ServiceClusters() {}

    static OrdererCluster of(Path dir, int size) {
        return of(dir, size, UnaryOperator.identity());
    }

    static OrdererCluster of(Path dir, int size, UnaryOperator<OrdererCluster.Settings> change) {
        return new OrdererCluster(TestPki.create(OrdererCluster.ORDERER_ORG, "ClientOrg", "OutsiderOrg"), dir, size,
                CHANNEL, List.of("ClientOrg"), change.apply(OrdererCluster.Settings.defaults()));
    }
}
