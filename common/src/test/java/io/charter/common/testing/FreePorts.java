package io.charter.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports on loopback that nothing listens on, for servers a test configures before it starts them (a Raft
 * endpoint that must be in the genesis block, a Spring property). A port is free when it is asked for; another
 * process may take it before the test's server binds it, which the tests accept.
 */
public final class FreePorts {

    private static final int STEP = 100;

    private FreePorts() {}

    /** A port the system handed out and this method released again. */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first base from {@code from} on, in steps of 100, whose {@code span} ports ({@code base} to
     * {@code base + span - 1}) are all free: for a network whose ports are derived from one base.
     */
    public static int base(int from, int span) {
        for (int base = from; base + span <= 65536; base += STEP) {
            if (allFree(base, span)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + span + " free ports in a row from " + from + " on");
    }

    private static boolean allFree(int base, int span) {
        for (int port = base; port < base + span; port++) {
            if (!free(port)) {
                return false;
            }
        }
        return true;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
