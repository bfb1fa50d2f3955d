package io.charter.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aBaseWhoseRangeHoldsAPortInUseIsPassedOver() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            int base = FreePorts.base(port - 2, 5);
            assertThat(base).isGreaterThan(port - 2);
            assertThat((base - (port - 2)) % 100).as("steps of 100 from the base asked").isZero();
            assertThat(port).as("the port in use").isNotIn(base, base + 1, base + 2, base + 3, base + 4);
        }
    }

    @Test
    void aLoopbackPortCanBeBoundAgain() throws Exception {
        try (ServerSocket socket = new ServerSocket(FreePorts.loopback(), 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.isBound()).isTrue();
        }
    }
}
