package io.charter.common.protocol;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.protocol.OrdererAdminRefusal;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OrdererAdminRefusalTest {

    /** The names the orderers send in the error frame's reason and the numbers they keep: a change here breaks the wire. */
    private static final Map<String, Integer> WIRE = Map.ofEntries(
            entry("ORDERER_ADMIN_REFUSAL_UNSPECIFIED", 0), entry("MALFORMED_REQUEST", 1), entry("STALE_REQUEST", 2),
            entry("BAD_SIGNATURE", 3), entry("REPLAYED_REQUEST", 4), entry("CLIENT_CERTIFICATE_REQUIRED", 5),
            entry("NOT_ADMIN", 6), entry("ORGANIZATION_NOT_IN_CHANNEL", 7), entry("NOT_ORDERER_ADMIN", 8),
            entry("CREATOR_MISMATCH", 9), entry("TOO_LARGE", 10), entry("NOT_A_GENESIS_BLOCK", 11),
            entry("NOT_A_CONSENTER", 12), entry("ALREADY_JOINED", 13), entry("JOIN_FAILED", 14),
            entry("INVALID_LOG_SPEC", 15), entry("LOG_LEVELS_UNAVAILABLE", 16), entry("NOT_JOINED", 17),
            entry("LEAVE_FAILED", 18));

    @Test
    void everyRefusalKeepsItsNameAndNumber() {
        Map<String, Integer> numbers = Arrays.stream(OrdererAdminRefusal.values())
                .filter(code -> code != OrdererAdminRefusal.UNRECOGNIZED)
                .collect(Collectors.toMap(Enum::name, OrdererAdminRefusal::getNumber));

        assertThat(numbers).isEqualTo(WIRE);
    }
}
