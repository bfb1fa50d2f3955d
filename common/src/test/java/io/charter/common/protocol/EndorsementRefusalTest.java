package io.charter.common.protocol;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.protocol.EndorsementRefusal;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EndorsementRefusalTest {

    /** The numbers deployed peers and clients agree on: a change here is a break of the wire contract. */
    private static final Map<String, Integer> WIRE = Map.ofEntries(
            entry("REFUSAL_NONE", 0), entry("MALFORMED_PROPOSAL", 1), entry("UNKNOWN_CHANNEL", 2),
            entry("PEER_NOT_IN_CHANNEL", 3), entry("BAD_TXID", 4), entry("STALE_PROPOSAL", 5),
            entry("CREATOR_REVOKED", 6), entry("CREATOR_EXPIRED", 7), entry("CREATOR_INVALID", 8),
            entry("CREATOR_NOT_WRITER", 9), entry("CREATOR_NOT_ADMIN", 10), entry("APPROVAL_NOT_OWN_ORGANIZATION", 11),
            entry("DEFINE_RETIRED", 12), entry("BAD_SIGNATURE", 13), entry("REPLAYED_PROPOSAL", 14),
            entry("UNDEFINED_CONTRACT", 15), entry("CONTRACT_NOT_INSTALLED", 16), entry("LEDGER_UNAVAILABLE", 17),
            entry("UNKNOWN_FUNCTION", 18), entry("BAD_ARGUMENTS", 19), entry("CONTRACT_ERROR", 20),
            entry("CONTRACT_TIMEOUT", 21), entry("CONTRACT_UNAVAILABLE", 22),
            entry("PRIVATE_DATA_NOT_DISSEMINATED", 23));

    @Test
    void everyRefusalKeepsItsNumber() {
        Map<String, Integer> numbers = Arrays.stream(EndorsementRefusal.values())
                .filter(code -> code != EndorsementRefusal.UNRECOGNIZED)
                .collect(Collectors.toMap(Enum::name, EndorsementRefusal::getNumber));

        assertThat(numbers).isEqualTo(WIRE);
    }
}
