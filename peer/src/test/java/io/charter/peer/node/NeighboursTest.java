package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.peer.delivery.Endpoint;
import org.junit.jupiter.api.Test;

class NeighboursTest {

    @Test
    void ordererEntriesAreHostPortAndPeerEntriesIdAtHostPort() {
        assertThat(Neighbours.parse("orderer0.example:7050", false)).isEqualTo(new Endpoint("orderer0.example:7050", "orderer0.example", 7050));
        assertThat(Neighbours.parse(" peer1@10.0.0.2:7060 ", true)).isEqualTo(new Endpoint("peer1", "10.0.0.2", 7060));
    }

    @Test
    void badEntriesAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> Neighbours.parse("orderer0", false)).hasMessageContaining("'orderer0' is not host:port");
        assertThatThrownBy(() -> Neighbours.parse("orderer0:", false)).hasMessageContaining("is not host:port");
        assertThatThrownBy(() -> Neighbours.parse("orderer0:http", false)).hasMessageContaining("no numeric port");
        assertThatThrownBy(() -> Neighbours.parse("orderer0:70000", false)).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> Neighbours.parse("peer1.example:7060", true)).hasMessageContaining("is not id@host:port");
        assertThatThrownBy(() -> Neighbours.parse("@host:7060", true)).hasMessageContaining("is not id@host:port");
    }
}
