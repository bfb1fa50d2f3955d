package io.charter.orderer.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import org.junit.jupiter.api.Test;

class RaftIdsTest {

    private static final Endpoint ENDPOINT = Endpoint.newBuilder().setHost("orderer0.example").setPort(7050).build();

    @Test
    void raftGroupIdsDependOnlyOnTheChannelId() {
        assertThat(RaftIds.groupId("a")).isEqualTo(RaftIds.groupId("a")).isNotEqualTo(RaftIds.groupId("b"));
    }

    @Test
    void aMemberIdIsTheRaftPeerIdOfTheClusterEndpointAsText() {
        assertThat(RaftIds.memberId(ENDPOINT)).isEqualTo("orderer0.example_7050");
        assertThat(RaftIds.peer(Consenter.newBuilder().setEndpoint(ENDPOINT).build()).getId().toString())
                .isEqualTo(RaftIds.memberId(ENDPOINT));
    }
}
