package io.charter.client.cli.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local network's TCP ports, all on 127.0.0.1, derived from one base (default 7050) so that a
 * second network or another program can be avoided with one option ({@code charter up --port-base}):
 *
 * <pre>
 * base+0..2    orderer1..3  broadcast and deliver (mTLS transport)
 * base+4       membership service (HTTPS)
 * base+10..12  orderer1..3  Raft (mTLS)
 * base+13..15  orderer1..3  operations: health and metrics (HTTP)
 * base+20..23  peer0.org1, peer1.org1, peer0.org2, peer1.org2 (mTLS transport)
 * base+24..27  peer0.org1, peer1.org1, peer0.org2, peer1.org2 operations: health and metrics (HTTP)
 * base+30      PostgreSQL
 * </pre>
 */
public record NetworkPorts(int base) {

    public static final int DEFAULT_BASE = 7050;
    public static final List<String> PEERS = List.of("peer0.org1", "peer1.org1", "peer0.org2", "peer1.org2");

    public NetworkPorts {
        if (base < 1024 || base + 30 > 65535) {
            throw new IllegalArgumentException("the port base must be between 1024 and 65505, not " + base);
        }
    }

    public int orderer(int index) {
        return base + index;
    }

    public int ordererCluster(int index) {
        return base + 10 + index;
    }

    public int ordererOperations(int index) {
        return base + 13 + index;
    }

    public int peerOperations(int index) {
        return base + 24 + index;
    }

    public int membership() {
        return base + 4;
    }

    public int peer(int index) {
        return base + 20 + index;
    }

    public int postgres() {
        return base + 30;
    }

    /** Every port with what uses it. */
    public Map<Integer, String> all() {
        Map<Integer, String> all = new LinkedHashMap<>();
        all.put(membership(), "membership service");
        for (int i = 0; i < 3; i++) {
            all.put(orderer(i), "orderer" + (i + 1));
            all.put(ordererCluster(i), "orderer" + (i + 1) + " Raft");
            all.put(ordererOperations(i), "orderer" + (i + 1) + " operations");
        }
        for (int i = 0; i < PEERS.size(); i++) {
            all.put(peer(i), PEERS.get(i));
            all.put(peerOperations(i), PEERS.get(i) + " operations");
        }
        all.put(postgres(), "PostgreSQL");
        return all;
    }

    /** The ports another program holds, each as "7054 (membership service)"; empty when all are free. */
    public List<String> inUse() {
        List<String> busy = new ArrayList<>();
        all().forEach((port, user) -> {
            if (!free(port)) {
                busy.add(port + " (" + user + ")");
            }
        });
        return busy;
    }

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
