package io.charter.common.protocol;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.protocol.PeerAdminRefusal;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PeerAdminRefusalTest {

    /** The names the peers send in the error frame's reason and the numbers they keep: a change here breaks the wire. */
    private static final Map<String, Integer> WIRE = Map.ofEntries(
            entry("PEER_ADMIN_REFUSAL_UNSPECIFIED", 0), entry("MALFORMED_REQUEST", 1), entry("STALE_REQUEST", 2),
            entry("BAD_SIGNATURE", 3), entry("REPLAYED_REQUEST", 4), entry("CLIENT_CERTIFICATE_REQUIRED", 5),
            entry("NOT_ADMIN", 6), entry("OTHER_ORGANIZATION", 7), entry("CREATOR_MISMATCH", 8),
            entry("INVALID_CONTRACT_PACKAGE", 9), entry("TOO_LARGE", 10), entry("NOT_A_GENESIS_BLOCK", 11),
            entry("ORGANIZATION_NOT_IN_CHANNEL", 12), entry("ALREADY_JOINED", 13), entry("NO_ORDERERS", 14),
            entry("JOIN_UNAVAILABLE", 15), entry("INVALID_LOG_SPEC", 16), entry("LOG_LEVELS_UNAVAILABLE", 17),
            entry("NOT_JOINED", 18), entry("SNAPSHOT_EXISTS", 19), entry("SNAPSHOT_IN_PROGRESS", 20),
            entry("SNAPSHOT_FAILED", 21), entry("SNAPSHOT_INVALID", 22), entry("SNAPSHOTS_UNAVAILABLE", 23));

    @Test
    void everyRefusalKeepsItsNameAndNumber() {
        Map<String, Integer> numbers = Arrays.stream(PeerAdminRefusal.values())
                .filter(code -> code != PeerAdminRefusal.UNRECOGNIZED)
                .collect(Collectors.toMap(Enum::name, PeerAdminRefusal::getNumber));

        assertThat(numbers).isEqualTo(WIRE);
    }
}
