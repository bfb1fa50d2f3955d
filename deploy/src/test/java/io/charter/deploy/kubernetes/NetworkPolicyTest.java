package io.charter.deploy.kubernetes;

import static io.charter.deploy.kubernetes.ManifestTest.kustomize;
import static io.charter.deploy.kubernetes.ManifestTest.name;
import static io.charter.deploy.kubernetes.ManifestTest.path;
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
 * The rendered overlays' NetworkPolicies, evaluated as Kubernetes would: every Charter pod is isolated in both
 * directions, every policy selects a pod, each connection a node is configured to make (read from its environment,
 * so a new address in a manifest needs its allowance) is allowed at both ends, and the connections no role needs
 * are not: another organization's peers, Raft and the admin APIs from ordinary pods, the operations ports from
 * outside the monitoring namespace.
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

    private static Cluster dev;
    private static Cluster prod;

    @BeforeAll
    static void render() throws Exception {
        dev = new Cluster(kustomize("overlays/dev"));
        prod = new Cluster(kustomize("overlays/prod"));
    }

    @Test
    void everyPodIsIsolatedForIngressAndEgressByAPolicyWithNoRule() {
        for (Cluster cluster : List.of(dev, prod)) {
            assertThat(cluster.pods).isNotEmpty();
            for (Endpoint.Pod pod : cluster.pods.values()) {
                assertThat(cluster.policies).as("a default deny selecting " + pod.name())
                        .anyMatch(policy -> policy.selects(pod) && policy.types().containsAll(List.of("Ingress", "Egress"))
                                && policy.ingress().isEmpty() && policy.egress().isEmpty());
            }
        }
    }

    @Test
    void everyPolicySelectsAtLeastOnePod() {
        for (Cluster cluster : List.of(dev, prod)) {
            for (Policy policy : cluster.policies) {
                assertThat(cluster.pods.values()).as(policy.name() + " selects a pod").anyMatch(policy::selects);
            }
        }
    }

    @Test
    void theConnectionsEachNodeIsConfiguredToMakeAreAllowedAtBothEnds() {
        for (Cluster cluster : List.of(dev, prod)) {
            List<Connection> needed = new ArrayList<>();
            for (String org : List.of("org1-peer", "org2-peer")) {
                Map<String, String> env = cluster.env(org);
                // discovered through the index: every orderer and every other peer of the organization
                assertThat(env).as(org + " has no fixed lists").doesNotContainKeys("CHARTER_PEER_ORDERERS",
                        "CHARTER_PEER_ORGANIZATION_PEERS");
                for (int i = 0; i < 3; i++) {
                    needed.add(cluster.to(org, "orderer-" + i + ".orderer:7050"));
                }
                for (int i = 0; i < 2; i++) {
                    needed.add(cluster.to(org, org + "-" + i + "." + org + ":7060"));
                }
                needed.add(cluster.toUrl(org, env.get("CHARTER_PEER_MEMBERSHIP_URL")));
            }
            Map<String, String> orderer = cluster.env("orderer");
            needed.add(cluster.toUrl("orderer", orderer.get("CHARTER_ORDERER_MEMBERSHIP_URL")));
            needed.add(cluster.to("orderer", "orderer-1.orderer:7050"));
            needed.add(cluster.to("orderer", "orderer-1.orderer:7051"));
            Map<String, String> job = cluster.env("channel-setup");
            // private data: every organization's peers reach the other organizations' anchor peers
            for (String anchor : job.get("CHANNEL_ANCHOR_PEERS").split(",")) {
                String mspId = anchor.substring(0, anchor.indexOf('='));
                String address = anchor.substring(anchor.indexOf('=') + 1);
                for (String org : List.of("org1-peer", "org2-peer")) {
                    if (!org.startsWith(mspId.substring(0, 4).toLowerCase(java.util.Locale.ROOT))) {
                        needed.add(cluster.to(org, address));
                    }
                }
            }
            needed.add(cluster.toUrl("channel-setup", job.get("CHARTER_MEMBERSHIP_URL")));
            for (String url : job.get("ORDERER_ADMIN_URLS").split(" ")) {
                needed.add(cluster.toUrl("channel-setup", url));
            }
            for (String admin : job.get("PEER_ADMINS").split(" ")) {
                needed.add(cluster.to("channel-setup", admin.substring(admin.indexOf('=') + 1)));
            }
            for (Endpoint.Pod pod : cluster.pods.values()) {
                needed.add(new Connection(pod, DNS, 53, "UDP"));
            }
            needed.add(new Connection(OUTSIDE, cluster.pod("membership"), 7054, "TCP"));
            needed.add(new Connection(OUTSIDE, cluster.pod("orderer"), 7050, "TCP"));
            needed.add(new Connection(OUTSIDE, cluster.pod("org1-peer"), 7060, "TCP"));
            needed.add(new Connection(PROMETHEUS, cluster.pod("orderer"), 9444, "TCP"));
            needed.add(new Connection(PROMETHEUS, cluster.pod("org2-peer"), 9446, "TCP"));
            Endpoint database = cluster == dev ? cluster.pod("postgres") : EXTERNAL_DATABASE;
            for (String client : List.of("membership", "org1-peer", "org2-peer")) {
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
            Endpoint.Pod org1 = cluster.pod("org1-peer");
            Endpoint.Pod org2 = cluster.pod("org2-peer");
            Endpoint.Pod orderer = cluster.pod("orderer");
            Endpoint.Pod membership = cluster.pod("membership");
            Endpoint.Pod job = cluster.pod("channel-setup");
            List<Connection> refused = List.of(
                    new Connection(org1, orderer, 7051, "TCP"),       // Raft is between orderers
                    new Connection(org1, orderer, 9443, "TCP"),       // admin APIs from admin pods only
                    new Connection(org1, org2, 9445, "TCP"),
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
                Endpoint.Pod postgres = cluster.pod("postgres");
                assertThat(cluster.allows(new Connection(orderer, postgres, 5432, "TCP"))).isFalse();
                assertThat(cluster.allows(new Connection(OUTSIDE, postgres, 5432, "TCP"))).isFalse();
                assertThat(cluster.allows(new Connection(postgres, OUTSIDE, 443, "TCP"))).isFalse();
            }
        }
    }

    @Test
    void theEvaluatorRefusesWhatNoPolicyAllowsAndAllowsAnUnisolatedPod() {
        // The evaluator itself: a pod no policy selects is open; an isolated one only through a rule.
        Cluster bare = new Cluster(List.of());
        Endpoint.Pod a = new Endpoint.Pod("a", CHARTER_NAMESPACE, Map.of("app", "a"));
        Endpoint.Pod b = new Endpoint.Pod("b", CHARTER_NAMESPACE, Map.of("app", "b"));
        assertThat(bare.allows(new Connection(a, b, 1, "TCP"))).isTrue();

        Policy denyB = new Policy("deny-b", Map.of("app", "b"), List.of(), List.of("Ingress"), List.of(), List.of());
        Policy allowA = new Policy("allow-a", Map.of("app", "b"), List.of(), List.of("Ingress"),
                List.of(new Rule(List.of(new Peer(Map.of("app", "a"), null, null)), List.of(new Port(1, "TCP")))), List.of());
        Cluster denying = Cluster.ofPolicies(List.of(denyB));
        assertThat(denying.allows(new Connection(a, b, 1, "TCP"))).isFalse();
        Cluster allowing = Cluster.ofPolicies(List.of(denyB, allowA));
        assertThat(allowing.allows(new Connection(a, b, 1, "TCP"))).isTrue();
        assertThat(allowing.allows(new Connection(a, b, 2, "TCP"))).isFalse();
        assertThat(allowing.allows(new Connection(a, b, 1, "UDP"))).isFalse();
        assertThat(allowing.allows(new Connection(b, b, 1, "TCP"))).isFalse();
    }

    // ---- a NetworkPolicy evaluator over the rendered documents ----

    sealed interface Endpoint {
        /** A pod: its namespace's labels and its own. */
        record Pod(String name, Map<String, String> namespaceLabels, Map<String, String> labels) implements Endpoint {}

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

    /** {@code podSelector} and {@code namespaceSelector} as label maps (null: absent), {@code cidr} for an ipBlock. */
    record Peer(Map<String, String> podSelector, Map<String, String> namespaceSelector, String cidr) {

        boolean matches(Endpoint endpoint) {
            return switch (endpoint) {
                case Endpoint.External external -> cidr != null && inCidr(external.address(), cidr);
                case Endpoint.Pod pod -> cidr == null
                        && (namespaceSelector == null ? pod.namespaceLabels().equals(CHARTER_NAMESPACE)
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

    record Policy(String name, Map<String, String> matchLabels, List<Map<String, Object>> matchExpressions,
                  List<String> types, List<Rule> ingress, List<Rule> egress) {

        boolean selects(Endpoint endpoint) {
            if (!(endpoint instanceof Endpoint.Pod pod) || !pod.namespaceLabels().equals(CHARTER_NAMESPACE)
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
        final Map<String, Map<String, String>> serviceSelectors = new LinkedHashMap<>();
        final List<Policy> policies = new ArrayList<>();

        Cluster(List<Map<String, Object>> docs) {
            for (Map<String, Object> doc : docs) {
                String kind = (String) doc.get("kind");
                switch (kind) {
                    case "Deployment", "StatefulSet", "Job" -> {
                        workloads.put(name(doc), doc);
                        pods.put(name(doc), new Endpoint.Pod(name(doc), CHARTER_NAMESPACE,
                                strings(path(doc, "spec", "template", "metadata", "labels"))));
                    }
                    case "Service" -> serviceSelectors.put(name(doc), strings(path(doc, "spec", "selector")));
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

        Endpoint.Pod pod(String workload) {
            return Objects.requireNonNull(pods.get(workload), "no workload " + workload);
        }

        Map<String, String> env(String workload) {
            Map<String, String> env = new LinkedHashMap<>();
            List<Map<String, Object>> containers = (List<Map<String, Object>>) path(workloads.get(workload), "spec",
                    "template", "spec", "containers");
            for (Map<String, Object> container : containers) {
                for (Map<String, Object> variable : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
                    env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
                }
            }
            return env;
        }

        /** From a workload's pod to {@code host:port}, the host a pod of a Service ({@code pod.service} or {@code service}). */
        Connection to(String workload, String hostAndPort) {
            int colon = hostAndPort.lastIndexOf(':');
            return new Connection(pod(workload), podBehind(hostAndPort.substring(0, colon)),
                    Integer.parseInt(hostAndPort.substring(colon + 1)), "TCP");
        }

        Connection toUrl(String workload, String url) {
            URI uri = URI.create(url);
            return new Connection(pod(workload), podBehind(uri.getHost()), uri.getPort(), "TCP");
        }

        private Endpoint.Pod podBehind(String host) {
            String[] labels = host.split("\\.");
            String service = labels.length > 1 ? labels[1] : labels[0];
            Map<String, String> selector = Objects.requireNonNull(serviceSelectors.get(service), "no Service " + service);
            return pods.values().stream().filter(pod -> contains(pod.labels(), selector)).findFirst()
                    .orElseThrow(() -> new AssertionError("Service " + service + " selects no pod"));
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
            return new Policy(name(doc), strings(selector.get("matchLabels")),
                    (List<Map<String, Object>>) selector.getOrDefault("matchExpressions", List.of()), types,
                    rules(spec.get("ingress"), "from"), rules(spec.get("egress"), "to"));
        }

        private static List<Rule> rules(Object list, String peersKey) {
            List<Rule> rules = new ArrayList<>();
            for (Map<String, Object> rule : (List<Map<String, Object>>) (list == null ? List.of() : list)) {
                List<Peer> peers = new ArrayList<>();
                for (Map<String, Object> peer : (List<Map<String, Object>>) rule.getOrDefault(peersKey, List.of())) {
                    peers.add(new Peer(
                            peer.containsKey("podSelector") ? strings(path(peer, "podSelector", "matchLabels")) : null,
                            peer.containsKey("namespaceSelector") ? strings(path(peer, "namespaceSelector", "matchLabels")) : null,
                            (String) path(peer, "ipBlock", "cidr")));
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
