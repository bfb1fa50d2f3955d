package io.charter.deploy.kubernetes;

import static io.charter.deploy.kubernetes.ManifestTest.containers;
import static io.charter.deploy.kubernetes.ManifestTest.kustomize;
import static io.charter.deploy.kubernetes.ManifestTest.name;
import static io.charter.deploy.kubernetes.ManifestTest.namespace;
import static io.charter.deploy.kubernetes.ManifestTest.path;
import static io.charter.deploy.kubernetes.ManifestTest.resolvedEnv;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered overlays' NetworkPolicies, evaluated as Kubernetes would, namespaces included: every Charter pod is
 * isolated in both directions by its unit's default deny, every policy selects a pod, each connection a node is
 * configured to make (read from its environment, so a new address in a manifest needs its allowance) is allowed at
 * both ends, across the units' namespaces too, and the connections no role needs are not: another organization's
 * database and admin API (even from a pod there labelled as a peer and an admin, as an attacker holding a valid
 * certificate of that organization could make), Raft and the admin APIs from ordinary pods, the operations ports
 * from outside the monitoring namespace.
 */
@SuppressWarnings("unchecked")
class NetworkPolicyTest {

    private static final Map<String, String> MONITORING = Map.of("kubernetes.io/metadata.name", "monitoring");
    private static final Map<String, String> KUBE_SYSTEM = Map.of("kubernetes.io/metadata.name", "kube-system");
    private static final Map<String, String> CHARTER_NAMESPACE = Map.of("kubernetes.io/metadata.name", "charter");
    private static final Endpoint OUTSIDE = new Endpoint.External("203.0.113.7");
    private static final Endpoint PROMETHEUS = new Endpoint.Pod("prometheus", MONITORING, Map.of("app", "prometheus"));
    private static final Endpoint DNS = new Endpoint.Pod("coredns", KUBE_SYSTEM, Map.of("k8s-app", "kube-dns"));
    private static final Endpoint EXTERNAL_DATABASE = new Endpoint.External("10.20.0.5");
    /** Org2's namespace, a pod there dressed as a peer and an admin of its unit (an attacker with Org2's certificate). */
    private static final Endpoint INTRUDER = new Endpoint.Pod("org2/intruder", Map.of("kubernetes.io/metadata.name", "org2"),
            Map.of("app.kubernetes.io/component", "peer", "app.kubernetes.io/name", "peer", "charter.io/admin", "true",
                    "charter.io/unit", "peer-organization", "app.kubernetes.io/part-of", "charter"));
    private static final List<String> ORGANIZATIONS = List.of("org1", "org2");

    private static Cluster dev;
    private static Cluster prod;

    @BeforeAll
    static void render() throws Exception {
        dev = new Cluster(kustomize("overlays/dev"));
        prod = new Cluster(kustomize("overlays/prod"));
    }

    @Test
    void everyPodIsIsolatedForIngressAndEgressByItsUnitsDefaultDeny() {
        for (Cluster cluster : List.of(dev, prod)) {
            assertThat(cluster.pods).isNotEmpty();
            for (Endpoint.Pod pod : cluster.pods.values()) {
                assertThat(cluster.policies).as("a default deny selecting " + pod.name())
                        .anyMatch(policy -> policy.name().endsWith("-default-deny") && policy.selects(pod)
                                && policy.types().containsAll(List.of("Ingress", "Egress"))
                                && policy.ingress().isEmpty() && policy.egress().isEmpty());
            }
            // the pods of every namespace, each unit's: the consortium's and one per organization
            assertThat(cluster.pods.values().stream().map(Endpoint.Pod::namespace).distinct())
                    .containsExactlyInAnyOrder("charter", "org1", "org2");
        }
    }

    @Test
    void everyPolicySelectsAtLeastOnePod() {
        for (Cluster cluster : List.of(dev, prod)) {
            for (Policy policy : cluster.policies) {
                assertThat(cluster.pods.values()).as(policy.namespace() + "/" + policy.name() + " selects a pod")
                        .anyMatch(policy::selects);
            }
        }
    }

    @Test
    void theConnectionsEachNodeIsConfiguredToMakeAreAllowedAtBothEnds() {
        for (Cluster cluster : List.of(dev, prod)) {
            List<Connection> needed = new ArrayList<>();
            Map<String, String> orderer = cluster.env("charter/orderer", 0);
            int orderers = cluster.replicas("charter/orderer");
            for (String org : ORGANIZATIONS) {
                String peers = org + "/" + org + "-peer";
                Map<String, String> env = cluster.env(peers, 0);
                // discovered through the index: every orderer and every other peer of the organization, at the
                // addresses they advertise there
                assertThat(env).as(org + " has no fixed lists").doesNotContainKeys("CHARTER_PEER_ORDERERS",
                        "CHARTER_PEER_ORGANIZATION_PEERS");
                for (int i = 0; i < orderers; i++) {
                    needed.add(cluster.to(peers, cluster.env("charter/orderer", i).get("CHARTER_ORDERER_MEMBERSHIP_ADVERTISED_HOST") + ":7050"));
                }
                for (int i = 0; i < cluster.replicas(peers); i++) {
                    needed.add(cluster.to(peers, cluster.env(peers, i).get("CHARTER_PEER_MEMBERSHIP_ADVERTISED_HOST") + ":7060"));
                }
                needed.add(cluster.toUrl(peers, env.get("CHARTER_PEER_MEMBERSHIP_URL")));
            }
            needed.add(cluster.toUrl("charter/orderer", orderer.get("CHARTER_ORDERER_MEMBERSHIP_URL")));
            needed.add(cluster.to("charter/orderer", cluster.env("charter/orderer", 1).get("CHARTER_ORDERER_MEMBERSHIP_ADVERTISED_HOST") + ":7050"));
            needed.add(cluster.to("charter/orderer", cluster.env("charter/orderer", 1).get("CHARTER_ORDERER_CLUSTER_HOST") + ":7051"));
            Map<String, String> job = cluster.env("charter/channel-setup", 0);
            for (String consenter : job.get("CHANNEL_CONSENTERS").split(",")) {
                needed.add(cluster.to("charter/orderer", consenter));
            }
            // private data: every organization's peers reach the other organizations' anchor peers
            for (String anchor : job.get("CHANNEL_ANCHOR_PEERS").split(",")) {
                String address = anchor.substring(anchor.indexOf('=') + 1);
                for (String org : ORGANIZATIONS) {
                    needed.add(cluster.to(org + "/" + org + "-peer", address));
                }
            }
            needed.add(cluster.toUrl("charter/channel-setup", job.get("CHARTER_MEMBERSHIP_URL")));
            for (String url : job.get("ORDERER_ADMIN_URLS").split(" ")) {
                needed.add(cluster.toUrl("charter/channel-setup", url));
            }
            for (String admin : job.get("PEER_ADMINS").split(" ")) {
                needed.add(cluster.to("charter/channel-setup", admin.substring(admin.indexOf('=') + 1)));
            }
            for (Endpoint.Pod pod : cluster.pods.values()) {
                if (!"database".equals(pod.labels().get("app.kubernetes.io/component"))) { // PostgreSQL calls nothing
                    needed.add(new Connection(pod, DNS, 53, "UDP"));
                }
            }
            needed.add(new Connection(OUTSIDE, cluster.pod("charter/membership"), 7054, "TCP"));
            needed.add(new Connection(OUTSIDE, cluster.pod("charter/orderer"), 7050, "TCP"));
            needed.add(new Connection(OUTSIDE, cluster.pod("org1/org1-peer"), 7060, "TCP"));
            needed.add(new Connection(PROMETHEUS, cluster.pod("charter/orderer"), 9444, "TCP"));
            needed.add(new Connection(PROMETHEUS, cluster.pod("org2/org2-peer"), 9446, "TCP"));
            for (String client : List.of("charter/membership", "org1/org1-peer", "org2/org2-peer")) {
                // each unit's own PostgreSQL, in its namespace (dev), or outside the cluster (prod)
                Endpoint database = cluster == dev ? cluster.pod(client.substring(0, client.indexOf('/')) + "/postgres")
                        : EXTERNAL_DATABASE;
                needed.add(new Connection(cluster.pod(client), database, 5432, "TCP"));
            }

            for (Connection connection : needed) {
                assertThat(cluster.allows(connection)).as(connection + " allowed").isTrue();
            }
        }
    }

    @Test
    void connectionsNoRoleNeedsAreRefused() {
        for (Cluster cluster : List.of(dev, prod)) {
            Endpoint.Pod org1 = cluster.pod("org1/org1-peer");
            Endpoint.Pod org2 = cluster.pod("org2/org2-peer");
            Endpoint.Pod orderer = cluster.pod("charter/orderer");
            Endpoint.Pod membership = cluster.pod("charter/membership");
            Endpoint.Pod job = cluster.pod("charter/channel-setup");
            List<Connection> refused = List.of(
                    new Connection(org1, orderer, 7051, "TCP"),       // Raft is between orderers
                    new Connection(org1, orderer, 9443, "TCP"),       // admin APIs from the unit's admin pods only
                    new Connection(org1, org2, 9445, "TCP"),
                    new Connection(job, org1, 9445, "TCP"),           // even the orderer organization's admin step
                    new Connection(INTRUDER, org1, 9445, "TCP"),      // another organization's "admin"
                    new Connection(INTRUDER, org1, 9446, "TCP"),
                    new Connection(INTRUDER, orderer, 9443, "TCP"),
                    new Connection(INTRUDER, orderer, 7051, "TCP"),
                    new Connection(OUTSIDE, orderer, 7051, "TCP"),
                    new Connection(OUTSIDE, orderer, 9443, "TCP"),
                    new Connection(OUTSIDE, org1, 9445, "TCP"),
                    new Connection(OUTSIDE, orderer, 9444, "TCP"),    // operations from monitoring only
                    new Connection(OUTSIDE, org1, 9446, "TCP"),
                    new Connection(org1, orderer, 9444, "TCP"),
                    new Connection(membership, orderer, 7050, "TCP"), // the membership service calls no node
                    new Connection(membership, org1, 7060, "TCP"),
                    new Connection(membership, OUTSIDE, 443, "TCP"),  // nor the internet
                    new Connection(org1, OUTSIDE, 443, "TCP"),
                    new Connection(orderer, org1, 7060, "TCP"),       // orderers are pulled from, they push nothing
                    new Connection(orderer, EXTERNAL_DATABASE, 5432, "TCP"),
                    new Connection(OUTSIDE, job, 8080, "TCP"),        // the Job accepts nothing
                    new Connection(org1, DNS, 80, "TCP"));
            for (Connection connection : refused) {
                assertThat(cluster.allows(connection)).as(connection + " refused").isFalse();
            }
            if (cluster == dev) {
                Endpoint.Pod consortiumDatabase = cluster.pod("charter/postgres");
                Endpoint.Pod org1Database = cluster.pod("org1/postgres");
                for (Connection connection : List.of(
                        new Connection(orderer, consortiumDatabase, 5432, "TCP"),
                        new Connection(OUTSIDE, consortiumDatabase, 5432, "TCP"),
                        new Connection(consortiumDatabase, OUTSIDE, 443, "TCP"),
                        new Connection(org2, org1Database, 5432, "TCP"),       // another organization's database
                        new Connection(INTRUDER, org1Database, 5432, "TCP"),
                        new Connection(org1, consortiumDatabase, 5432, "TCP"),
                        new Connection(membership, org1Database, 5432, "TCP"))) {
                    assertThat(cluster.allows(connection)).as(connection + " refused").isFalse();
                }
            }
        }
    }

    @Test
    void theEvaluatorRefusesWhatNoPolicyAllowsAndAllowsAnUnisolatedPod() {
        // The evaluator itself: a pod no policy selects is open; an isolated one only through a rule.
        Cluster bare = new Cluster(List.of());
        Endpoint.Pod a = new Endpoint.Pod("a", CHARTER_NAMESPACE, Map.of("app", "a"));
        Endpoint.Pod b = new Endpoint.Pod("b", CHARTER_NAMESPACE, Map.of("app", "b"));
        Endpoint.Pod elsewhere = new Endpoint.Pod("c", MONITORING, Map.of("app", "a"));
        assertThat(bare.allows(new Connection(a, b, 1, "TCP"))).isTrue();

        Policy denyB = new Policy("deny-b", "charter", Map.of("app", "b"), List.of(), List.of("Ingress"), List.of(), List.of());
        Policy allowA = new Policy("allow-a", "charter", Map.of("app", "b"), List.of(), List.of("Ingress"),
                List.of(new Rule(List.of(new Peer(Map.of("app", "a"), null, null, "charter")), List.of(new Port(1, "TCP")))),
                List.of());
        Cluster denying = Cluster.ofPolicies(List.of(denyB));
        assertThat(denying.allows(new Connection(a, b, 1, "TCP"))).isFalse();
        Cluster allowing = Cluster.ofPolicies(List.of(denyB, allowA));
        assertThat(allowing.allows(new Connection(a, b, 1, "TCP"))).isTrue();
        assertThat(allowing.allows(new Connection(a, b, 2, "TCP"))).isFalse();
        assertThat(allowing.allows(new Connection(a, b, 1, "UDP"))).isFalse();
        assertThat(allowing.allows(new Connection(b, b, 1, "TCP"))).isFalse();
        // a podSelector alone means the policy's namespace; namespaceSelector {} every namespace
        assertThat(allowing.allows(new Connection(elsewhere, b, 1, "TCP"))).isFalse();
        Policy allowAnywhere = new Policy("allow-any-a", "charter", Map.of("app", "b"), List.of(), List.of("Ingress"),
                List.of(new Rule(List.of(new Peer(Map.of("app", "a"), Map.of(), null, "charter")), List.of(new Port(1, "TCP")))),
                List.of());
        assertThat(Cluster.ofPolicies(List.of(denyB, allowAnywhere)).allows(new Connection(elsewhere, b, 1, "TCP"))).isTrue();
        // a policy isolates the pods of its own namespace only
        Endpoint.Pod bElsewhere = new Endpoint.Pod("b2", MONITORING, Map.of("app", "b"));
        assertThat(denying.allows(new Connection(a, bElsewhere, 1, "TCP"))).isTrue();
    }

    // ---- a NetworkPolicy evaluator over the rendered documents ----

    sealed interface Endpoint {
        /** A pod: its namespace's labels and its own. */
        record Pod(String name, Map<String, String> namespaceLabels, Map<String, String> labels) implements Endpoint {
            String namespace() {
                return namespaceLabels.get("kubernetes.io/metadata.name");
            }
        }

        /** An address outside the cluster. */
        record External(String address) implements Endpoint {}
    }

    record Connection(Endpoint from, Endpoint to, int port, String protocol) {
        @Override
        public String toString() {
            return describe(from) + " -> " + describe(to) + ":" + port + "/" + protocol;
        }

        private static String describe(Endpoint endpoint) {
            return switch (endpoint) {
                case Endpoint.Pod pod -> pod.name();
                case Endpoint.External external -> external.address();
            };
        }
    }

    /**
     * {@code podSelector} and {@code namespaceSelector} as label maps (null: absent), {@code cidr} for an ipBlock;
     * {@code policyNamespace}: where a podSelector without namespaceSelector looks.
     */
    record Peer(Map<String, String> podSelector, Map<String, String> namespaceSelector, String cidr, String policyNamespace) {

        boolean matches(Endpoint endpoint) {
            return switch (endpoint) {
                case Endpoint.External external -> cidr != null && inCidr(external.address(), cidr);
                case Endpoint.Pod pod -> cidr == null
                        && (namespaceSelector == null ? policyNamespace.equals(pod.namespace())
                                : contains(pod.namespaceLabels(), namespaceSelector))
                        && (podSelector == null || contains(pod.labels(), podSelector));
            };
        }
    }

    record Port(int port, String protocol) {}

    /** A rule: no peers means every source or destination; no ports means every port. */
    record Rule(List<Peer> peers, List<Port> ports) {
        boolean admits(Endpoint other, int port, String protocol) {
            return (peers.isEmpty() || peers.stream().anyMatch(peer -> peer.matches(other)))
                    && (ports.isEmpty() || ports.stream().anyMatch(p -> p.port() == port && p.protocol().equals(protocol)));
        }
    }

    record Policy(String name, String namespace, Map<String, String> matchLabels, List<Map<String, Object>> matchExpressions,
                  List<String> types, List<Rule> ingress, List<Rule> egress) {

        boolean selects(Endpoint endpoint) {
            if (!(endpoint instanceof Endpoint.Pod pod) || !namespace.equals(pod.namespace())
                    || !contains(pod.labels(), matchLabels)) {
                return false;
            }
            for (Map<String, Object> expression : matchExpressions) {
                assertThat(expression.get("operator")).as(name + ": only In is evaluated").isEqualTo("In");
                if (!((List<?>) expression.get("values")).contains(pod.labels().get((String) expression.get("key")))) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class Cluster {
        final Map<String, Endpoint.Pod> pods = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> workloads = new LinkedHashMap<>();
        /** namespace/name of each Service: its selector. */
        final Map<String, Map<String, String>> serviceSelectors = new LinkedHashMap<>();
        final List<Policy> policies = new ArrayList<>();
        final List<Map<String, Object>> docs;

        Cluster(List<Map<String, Object>> docs) {
            this.docs = docs;
            for (Map<String, Object> doc : docs) {
                String kind = (String) doc.get("kind");
                switch (kind) {
                    case "Deployment", "StatefulSet", "Job" -> {
                        String key = namespace(doc) + "/" + name(doc);
                        workloads.put(key, doc);
                        pods.put(key, new Endpoint.Pod(key, Map.of("kubernetes.io/metadata.name", namespace(doc)),
                                strings(path(doc, "spec", "template", "metadata", "labels"))));
                    }
                    case "Service" -> serviceSelectors.put(namespace(doc) + "/" + name(doc), strings(path(doc, "spec", "selector")));
                    case "NetworkPolicy" -> policies.add(policy(doc));
                    default -> { }
                }
            }
        }

        /** A cluster of the given policies only (the evaluator's own test). */
        static Cluster ofPolicies(List<Policy> policies) {
            Cluster cluster = new Cluster(List.of());
            cluster.policies.addAll(policies);
            return cluster;
        }

        /** The pod of a workload, by namespace/name. */
        Endpoint.Pod pod(String workload) {
            return Objects.requireNonNull(pods.get(workload), "no workload " + workload);
        }

        int replicas(String workload) {
            return (Integer) path(workloads.get(workload), "spec", "replicas");
        }

        /** The main container's variables as its pod number {@code ordinal} gets them (secrets left out). */
        Map<String, String> env(String workload, int ordinal) {
            Map<String, Object> doc = Objects.requireNonNull(workloads.get(workload), "no workload " + workload);
            return resolvedEnv(docs, containers(List.of(doc)).stream().filter(c -> !c.init()).findFirst().orElseThrow(),
                    ordinal);
        }

        /** From a workload's pod to {@code host:port}, the host a pod of a Service (see {@link #podBehind}). */
        Connection to(String workload, String hostAndPort) {
            int colon = hostAndPort.lastIndexOf(':');
            return new Connection(pod(workload), podBehind(hostAndPort.substring(0, colon), pod(workload).namespace()),
                    Integer.parseInt(hostAndPort.substring(colon + 1)), "TCP");
        }

        Connection toUrl(String workload, String url) {
            URI uri = URI.create(url);
            return new Connection(pod(workload), podBehind(uri.getHost(), pod(workload).namespace()), uri.getPort(), "TCP");
        }

        /**
         * The pod a name resolves to, as the cluster DNS resolves it: {@code service}, {@code pod.service} in the
         * caller's namespace; {@code service.namespace[.svc[.cluster.local]]},
         * {@code pod.service.namespace.svc[.cluster.local]} in another.
         */
        private Endpoint.Pod podBehind(String host, String callerNamespace) {
            List<String> labels = List.of(host.split("\\."));
            int svc = labels.indexOf("svc");
            String service;
            String namespace;
            if (svc >= 0) {
                assertThat(labels.subList(svc, labels.size())).as(host).isIn(List.of("svc"), List.of("svc", "cluster", "local"));
                namespace = labels.get(svc - 1);
                service = labels.get(svc - 2);
            } else if (labels.size() <= 2) {
                namespace = callerNamespace;
                service = labels.getLast();
            } else {
                namespace = labels.get(2);
                service = labels.get(1);
            }
            String key = namespace + "/" + service;
            Map<String, String> selector = Objects.requireNonNull(serviceSelectors.get(key), "no Service " + key + " for " + host);
            return pods.values().stream().filter(pod -> pod.namespace().equals(namespace) && contains(pod.labels(), selector))
                    .findFirst().orElseThrow(() -> new AssertionError("Service " + key + " selects no pod"));
        }

        /** Whether Kubernetes lets {@code connection} through: the source's egress and the destination's ingress. */
        boolean allows(Connection c) {
            return allowedBy(c.from(), "Egress", Policy::egress, c.to(), c.port(), c.protocol())
                    && allowedBy(c.to(), "Ingress", Policy::ingress, c.from(), c.port(), c.protocol());
        }

        private boolean allowedBy(Endpoint self, String type, java.util.function.Function<Policy, List<Rule>> rules,
                                  Endpoint other, int port, String protocol) {
            List<Policy> isolating = policies.stream().filter(p -> p.selects(self) && p.types().contains(type)).toList();
            return isolating.isEmpty() || isolating.stream().flatMap(p -> rules.apply(p).stream())
                    .anyMatch(rule -> rule.admits(other, port, protocol));
        }

        private static Policy policy(Map<String, Object> doc) {
            Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
            Map<String, Object> selector = (Map<String, Object>) spec.get("podSelector");
            List<String> types = (List<String>) spec.get("policyTypes");
            assertThat(types).as(name(doc) + " names its policy types").isNotNull();
            return new Policy(name(doc), namespace(doc), strings(selector.get("matchLabels")),
                    (List<Map<String, Object>>) selector.getOrDefault("matchExpressions", List.of()), types,
                    rules(spec.get("ingress"), "from", namespace(doc)), rules(spec.get("egress"), "to", namespace(doc)));
        }

        private static List<Rule> rules(Object list, String peersKey, String namespace) {
            List<Rule> rules = new ArrayList<>();
            for (Map<String, Object> rule : (List<Map<String, Object>>) (list == null ? List.of() : list)) {
                List<Peer> peers = new ArrayList<>();
                for (Map<String, Object> peer : (List<Map<String, Object>>) rule.getOrDefault(peersKey, List.of())) {
                    peers.add(new Peer(
                            peer.containsKey("podSelector") ? strings(path(peer, "podSelector", "matchLabels")) : null,
                            peer.containsKey("namespaceSelector") ? strings(path(peer, "namespaceSelector", "matchLabels")) : null,
                            (String) path(peer, "ipBlock", "cidr"), namespace));
                }
                List<Port> ports = new ArrayList<>();
                for (Map<String, Object> port : (List<Map<String, Object>>) rule.getOrDefault("ports", List.of())) {
                    ports.add(new Port((Integer) port.get("port"), (String) port.getOrDefault("protocol", "TCP")));
                }
                rules.add(new Rule(peers, ports));
            }
            return rules;
        }
    }

    private static Map<String, String> strings(Object map) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (map != null) {
            ((Map<String, Object>) map).forEach((key, value) -> strings.put(key, String.valueOf(value)));
        }
        return strings;
    }

    private static boolean contains(Map<String, String> labels, Map<String, String> selector) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    private static boolean inCidr(String address, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
        return (ipv4(address) & mask) == (ipv4(parts[0]) & mask);
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }
}
