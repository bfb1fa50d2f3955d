package io.charter.common.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical heartbeat encoding, field by field (the service's tests check equality with the core). */
class NodeRequestsTest {

    @Test
    void heartbeatIsMagicStringsSortedChannelsAndMillis() {
        byte[] bytes = NodeRequests.heartbeat("n1", "OrgMSP", Map.of("zz", 2L, "aa", 1L), Instant.ofEpochMilli(1234));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(string(b, 4)).isEqualTo("CHB1");
        assertThat(string(b, b.getShort())).isEqualTo("n1");
        assertThat(string(b, b.getShort())).isEqualTo("OrgMSP");
        assertThat(b.getInt()).isEqualTo(2);
        assertThat(string(b, b.getShort())).isEqualTo("aa");
        assertThat(b.getLong()).isEqualTo(1L);
        assertThat(string(b, b.getShort())).isEqualTo("zz");
        assertThat(b.getLong()).isEqualTo(2L);
        assertThat(b.getLong()).isEqualTo(1234L);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void oversizedStringsAreRefused() {
        assertThatThrownBy(() -> NodeRequests.heartbeat("x".repeat(1025), "OrgMSP", Map.of(), Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pemWrapsAt64Columns() {
        String pem = MembershipClient.pem("CERTIFICATE REQUEST", new byte[100]);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n").endsWith("-----END CERTIFICATE REQUEST-----\n");
        assertThat(pem.lines().skip(1).findFirst().orElseThrow()).hasSize(64);
    }

    private static String string(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
