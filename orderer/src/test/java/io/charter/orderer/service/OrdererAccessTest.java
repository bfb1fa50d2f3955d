package io.charter.orderer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.testing.TestPki;
import io.charter.common.testing.TransportCalls;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.MethodAccess;
import io.charter.common.transport.TransportClient;
import io.charter.common.transport.TransportRefusals;
import io.charter.orderer.testing.OrdererCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orderer's access table over its real transport (issue #12): every method admits exactly the roles
 * and organizations of its entry, and refuses everyone else before the request is read, with nothing
 * joined or ordered.
 */
class OrdererAccessTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private OrdererCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyMethodAdmitsExactlyTheRolesAndOrganizationsOfItsEntryInTheAccessTable() throws Exception {
        cluster = ServiceClusters.of(dir, 1);
        cluster.genesis(10, 1 << 20, 2 << 20, Duration.ofMillis(200));
        OrdererServer orderer = cluster.start(0);

        assertThat(orderer.accessTable()).as("the served methods are the table's").isEqualTo(OrdererMethods.ACCESS);

        int checked = 0;
        int denied = 0;
        for (String organization : List.of("OrdererOrg", "ClientOrg")) {
            for (Role role : Role.values()) {
                TestPki.Credential tls = cluster.pki().organization(organization).enrollTls("caller-" + role.label(), role);
                TransportClient client = cluster.connect(0, tls);
                for (Map.Entry<String, MethodAccess> entry : OrdererMethods.ACCESS.entrySet()) {
                    boolean admitted = entry.getValue().roles().contains(role)
                            && (entry.getValue().scope() == MethodAccess.Scope.TRUSTED_ORGANIZATION
                                || organization.equals("OrdererOrg"));
                    String outcome = call(client, entry.getKey());
                    boolean deniedByTable = outcome.startsWith("PERMISSION_DENIED " + entry.getKey() + " is for ");
                    assertThat(deniedByTable).as("%s by %s of %s: %s", entry.getKey(), role, organization, outcome)
                            .isEqualTo(!admitted);
                    checked++;
                    denied += deniedByTable ? 1 : 0;
                }
            }
        }
        System.out.printf("orderer access table: %d calls checked, %d denied by the table%n", checked, denied);
        assertThat(checked).isEqualTo(OrdererMethods.ACCESS.size() * Role.values().length * 2);
        assertThat(orderer.transportRefusals().total(TransportRefusals.Reason.PERMISSION_DENIED)).isEqualTo(denied);
        assertThat(orderer.channels()).as("nothing joined by a garbage request").isEmpty();
    }

    /** Calls {@code method} with a body no handler accepts; returns the code and detail of the answer. */
    private static String call(TransportClient client, String method) throws Exception {
        return TransportCalls.describe(TransportCalls.failure(client, method, ByteString.copyFromUtf8("\u0008not a message"),
                method.equals(OrdererMethodNames.DELIVER), CALL));
    }
}
