package io.charter.membership.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.pki.Role;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void approvalsAreCanonicalSortedAndWithoutDuplicates() {
        assertThat(HostNames.approve(List.of("Peer0.Org1.Example.COM", "127.0.0.1", "peer0.org1.example.com",
                "0:0:0:0:0:0:0:1", "*.org1.example.com")))
                .containsExactly("*.org1.example.com", "0:0:0:0:0:0:0:1", "127.0.0.1", "peer0.org1.example.com");
        assertThat(HostNames.canonical("::1")).isEqualTo(HostNames.canonical("0:0:0:0:0:0:0:1"));
    }

    @Test
    void wildcardOnlyAsALeadingLabelOverAtLeastTwoLabels() {
        for (String bad : List.of("*", "*.com", "peer.*.example.com", "*peer.example.com", "**.example.com",
                "*.*.example.com", "peer*.example.com", "*.")) {
            assertRefused(ErrorCode.HOST_INVALID, List.of(bad));
        }
        assertThat(HostNames.approve(List.of("*.example.com"))).containsExactly("*.example.com");
        assertThat(HostNames.wildcard("*.example.com")).isTrue();
        assertThat(HostNames.wildcard("example.com")).isFalse();
    }

    @Test
    void namesOfTheWrongShapeOrLengthAreRefused() {
        String label63 = "a".repeat(63);
        String longest = String.join(".", label63, label63, label63, "a".repeat(61)); // 253 characters
        assertThat(HostNames.approve(List.of(longest))).containsExactly(longest);
        for (String bad : Arrays.asList("", " ", "peer 0.example.com", "-peer.example.com", "peer-.example.com",
                "peer..example.com", "peer.example.com.", "a".repeat(64) + ".example.com", longest + "a",
                "peer_0.example.com", "xn--\u00e9.example.com", "https://peer0.example.com", "peer0.example.com:7051",
                "300.1.1.1", null)) {
            assertRefused(ErrorCode.HOST_INVALID, Arrays.asList(bad));
        }
    }

    @Test
    void atMostThirtyTwoHostsPerNode() {
        List<String> hosts = new ArrayList<>(IntStream.range(0, HostNames.MAX_APPROVED_HOSTS)
                .mapToObj(i -> "peer" + i + ".example.com").toList());
        assertThat(HostNames.approve(hosts)).hasSize(32);
        hosts.add("one-more.example.com");
        assertRefused(ErrorCode.TOO_MANY_HOSTS, hosts);
    }

    @Test
    void onlyNodesMayHaveHosts() {
        assertThat(TlsIssuance.approvals("peer0", Role.PEER, List.of("peer0.example.com"))).containsExactly("peer0.example.com");
        assertThat(TlsIssuance.approvals("orderer0", Role.ORDERER, List.of("10.0.0.1"))).containsExactly("10.0.0.1");
        assertThat(TlsIssuance.approvals("alice", Role.CLIENT, List.of())).isEmpty();
        for (Role role : List.of(Role.CLIENT, Role.ADMIN)) {
            assertThatThrownBy(() -> TlsIssuance.approvals("alice", role, List.of("alice.example.com")))
                    .isInstanceOfSatisfying(MembershipException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE));
        }
    }

    @Test
    void aRefusalQuotesAtMostEightyCharactersOfTheHost() {
        String huge = "x".repeat(10_000);
        assertThatThrownBy(() -> HostNames.approve(List.of(huge))).isInstanceOfSatisfying(MembershipException.class,
                e -> assertThat(e.getMessage()).hasSizeLessThan(400).contains("x".repeat(80) + "..."));
    }

    @Test
    void aHostOfEightyCharactersIsQuotedWholeAndNullAsNull() {
        String eighty = "x".repeat(80);
        assertThat(HostNames.quote(eighty)).isEqualTo("'" + eighty + "'");
        assertThat(HostNames.quote(eighty + "y")).isEqualTo("'" + eighty + "...'");
        assertThat(HostNames.quote(null)).isEqualTo("null");
    }

    private static void assertRefused(ErrorCode code, List<String> hosts) {
        assertThatThrownBy(() -> HostNames.approve(hosts)).as("%s", hosts)
                .isInstanceOfSatisfying(MembershipException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
