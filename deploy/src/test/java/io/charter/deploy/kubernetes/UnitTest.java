package io.charter.deploy.kubernetes;

import static io.charter.deploy.kubernetes.ManifestTest.DEPLOY;
import static io.charter.deploy.kubernetes.ManifestTest.charterNode;
import static io.charter.deploy.kubernetes.ManifestTest.containers;
import static io.charter.deploy.kubernetes.ManifestTest.find;
import static io.charter.deploy.kubernetes.ManifestTest.kustomize;
import static io.charter.deploy.kubernetes.ManifestTest.name;
import static io.charter.deploy.kubernetes.ManifestTest.namespace;
import static io.charter.deploy.kubernetes.ManifestTest.path;
import static io.charter.deploy.kubernetes.ManifestTest.resolvedEnv;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.deploy.kubernetes.ManifestTest.Container;
import io.charter.deploy.kubernetes.NetworkPolicyTest.Cluster;
import io.charter.deploy.kubernetes.NetworkPolicyTest.Connection;
import io.charter.deploy.kubernetes.NetworkPolicyTest.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The units over the rendered overlays: the membership service, the orderer organization and each organization in
 * a namespace of its own with Secrets that do not name it; every node advertising, in the index, a fully qualified
 * name that its TLS certificate carries and that pods of other namespaces resolve; an organization's peers counted
 * by one number (changing it changes nothing else); and a new organization made by one new small kustomization,
 * whose pods the policies isolate and connect as the others'.
 */
@SuppressWarnings("unchecked")
class UnitTest {

    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    private static List<Map<String, Object>> dev;
    private static List<Map<String, Object>> prod;
    private static Path scratch;

    @BeforeAll
    static void render() throws Exception {
        dev = kustomize("overlays/dev");
        prod = kustomize("overlays/prod");
        Files.createDirectories(DEPLOY.resolve("target"));
        scratch = Files.createTempDirectory(DEPLOY.resolve("target"), "kustomize-units");
    }

    @AfterAll
    static void clean() throws IOException {
        if (scratch != null) {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void eachUnitRunsInItsOwnNamespaceWithSecretsThatDoNotNameTheOrganization() {
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            Map<String, Set<String>> workloads = new LinkedHashMap<>();
            for (Container c : containers(overlay)) {
                if (charterNode(c.image()) != null || c.kind().equals("Job")) {
                    workloads.computeIfAbsent(namespace(c.workload()), n -> new HashSet<>())
                            .add(c.kind() + "/" + c.workloadName());
                }
            }
            assertThat(workloads).containsOnlyKeys("charter", "org1", "org2");
            assertThat(workloads.get("charter")).containsExactlyInAnyOrder("Deployment/membership", "StatefulSet/orderer",
                    "Job/channel-setup");
            for (String org : List.of("org1", "org2")) {
                assertThat(workloads.get(org)).as(org + " holds its own peers only").containsExactly("StatefulSet/" + org + "-peer");
            }
            for (Map<String, Object> doc : overlay) {
                if (List.of("Secret", "ConfigMap").contains(doc.get("kind"))) {
                    assertThat(name(doc)).as("each namespace has its own: no organization in the name")
                            .doesNotContain("org1", "org2");
                }
                if (List.of("Deployment", "StatefulSet", "Job").contains(doc.get("kind"))) {
                    assertThat((Map<String, Object>) path(doc, "spec", "template", "metadata", "labels"))
                            .as(name(doc) + " belongs to a unit").containsKey("charter.io/unit")
                            .containsEntry("app.kubernetes.io/part-of", "charter");
                }
            }
            // an organization's namespace is its MSP id in lower case without "msp": bootstrap.sh's {org} in the host
            // templates, and the node ids <namespace>-peer-N
            for (Container c : containers(overlay)) {
                if ("peer".equals(charterNode(c.image())) && !c.init()) {
                    String mspId = resolvedEnv(overlay, c).get("CHARTER_PEER_MSP_ID");
                    assertThat(mspId).as(c + " MSP id").isNotBlank();
                    String namespace = namespace(c.workload());
                    assertThat(mspId.toLowerCase(java.util.Locale.ROOT).replaceFirst("msp$", "")).isEqualTo(namespace);
                    assertThat(c.workloadName()).isEqualTo(namespace + "-peer");
                }
            }
            // every reference from a pod to a Secret or ConfigMap stays in its namespace, where the unit's inputs are
            for (Container c : containers(overlay)) {
                for (Map<String, Object> variable : (List<Map<String, Object>>) c.spec().getOrDefault("env", List.of())) {
                    String map = (String) path(variable, "valueFrom", "configMapKeyRef", "name");
                    if (map != null) {
                        find(overlay, "ConfigMap", namespace(c.workload()), map);
                    }
                }
            }
        }
    }

    @Test
    void nodesAdvertiseFullyQualifiedNamesTheirCertificatesCarryAndTheChannelNamesTheSame() {
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            Container membership = node(overlay, "membership");
            List<String> membershipHosts = List.of(resolvedEnv(overlay, membership).get("CHARTER_MEMBERSHIP_HTTP_TLS_HOSTS")
                    .split(","));
            Set<String> consenters = new HashSet<>();
            for (Container c : containers(overlay)) {
                String node = charterNode(c.image());
                if (c.init() || !"orderer".equals(node) && !"peer".equals(node)) {
                    continue;
                }
                String prefix = node.equals("orderer") ? "CHARTER_ORDERER_" : "CHARTER_PEER_";
                String service = (String) path(c.workload(), "spec", "serviceName");
                for (int i = 0; i < (Integer) path(c.workload(), "spec", "replicas"); i++) {
                    Map<String, String> env = resolvedEnv(overlay, c, i);
                    String advertised = env.get(prefix + "MEMBERSHIP_ADVERTISED_HOST");
                    assertThat(advertised).as(c + " #" + i + " advertises its fully qualified name")
                            .isEqualTo(c.workloadName() + "-" + i + "." + service + "." + namespace(c.workload())
                                    + ".svc.cluster.local");
                    assertThat(List.of(env.get(prefix + "MEMBERSHIP_TLS_HOSTS").split(","))).as(c + " certificate")
                            .contains(advertised);
                    if (node.equals("orderer")) {
                        assertThat(env.get("CHARTER_ORDERER_CLUSTER_HOST")).as(c + " Raft address").isEqualTo(advertised);
                        consenters.add(advertised + ":7051");
                    }
                    String membershipUrl = env.get(prefix + "MEMBERSHIP_URL");
                    assertThat(membershipHosts).as(c + " calls the membership service by a name its certificate carries")
                            .contains(URI.create(membershipUrl).getHost());
                    assertThat(URI.create(membershipUrl).getHost()).as(c + ": resolvable from any namespace")
                            .endsWith("." + namespace(membership.workload()) + ".svc.cluster.local");
                }
            }
            Container job = containers(overlay).stream().filter(c -> c.workloadName().equals("channel-setup")).findFirst()
                    .orElseThrow();
            Map<String, String> jobEnv = resolvedEnv(overlay, job);
            assertThat(Set.of(jobEnv.get("CHANNEL_CONSENTERS").split(","))).as("the consenters are the orderers' Raft addresses")
                    .isEqualTo(consenters);
            assertThat(membershipHosts).contains(URI.create(jobEnv.get("CHARTER_MEMBERSHIP_URL")).getHost());
            // the channel setup joins every peer of every organization, at its advertised name
            Set<String> peers = new HashSet<>();
            for (String pair : jobEnv.get("PEER_ADMINS").split(" ")) {
                peers.add(pair.substring(pair.indexOf('=') + 1, pair.lastIndexOf(':')));
            }
            Set<String> advertisedPeers = new HashSet<>();
            for (Container c : containers(overlay)) {
                if ("peer".equals(charterNode(c.image())) && !c.init()) {
                    for (int i = 0; i < (Integer) path(c.workload(), "spec", "replicas"); i++) {
                        advertisedPeers.add(resolvedEnv(overlay, c, i).get("CHARTER_PEER_MEMBERSHIP_ADVERTISED_HOST"));
                    }
                }
            }
            assertThat(peers).isEqualTo(advertisedPeers);
        }
    }

    @Test
    void anOrganizationsPeerCountIsOneNumberAndChangingItChangesNothingElse() throws Exception {
        for (String environment : List.of("dev", "prod")) {
            String original = Files.readString(KUBERNETES.resolve("overlays/" + environment + "/org1/kustomization.yaml"));
            assertThat(original).contains("count: 2");
            Path copy = instance(environment + "-org1", original.replace("count: 2", "count: 3"));
            List<Map<String, Object>> three = kustomize(copy.toString());
            List<Map<String, Object>> two = kustomize("overlays/" + environment + "/org1");
            assertThat(path(find(three, "StatefulSet", "org1", "org1-peer"), "spec", "replicas")).isEqualTo(3);
            ((Map<String, Object>) path(find(three, "StatefulSet", "org1", "org1-peer"), "spec")).put("replicas", 2);
            assertThat(three).as(environment + ": one number, nothing else changes").isEqualTo(two);
        }
    }

    @Test
    void anOrganizationIsAddedByOneNewKustomizationAndIsIsolatedAndConnectedAsTheOthers() throws Exception {
        String org2 = Files.readString(KUBERNETES.resolve("overlays/dev/org2/kustomization.yaml"));
        Path org3 = instance("org3", org2.replace("org2", "org3").replace("Org2", "Org3"));
        // the consortium as deployed, and the new organization beside it
        Path consortium = scratch.resolve("with-org3");
        Files.createDirectories(consortium);
        Files.writeString(consortium.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                  - %s
                """.formatted(consortium.relativize(KUBERNETES.resolve("overlays/dev")), consortium.relativize(org3)));
        List<Map<String, Object>> docs = kustomize(consortium.toString());

        Container peer = containers(docs).stream().filter(c -> c.workloadName().equals("org3-peer") && !c.init())
                .findFirst().orElseThrow();
        assertThat(namespace(peer.workload())).isEqualTo("org3");
        Map<String, String> env = resolvedEnv(docs, peer);
        assertThat(env).containsEntry("CHARTER_PEER_MSP_ID", "Org3MSP")
                .containsEntry("CHARTER_PEER_MEMBERSHIP_ADVERTISED_HOST", "org3-peer-0.peer.org3.svc.cluster.local");
        find(docs, "Namespace", "org3");

        Cluster cluster = new Cluster(docs);
        for (Endpoint.Pod pod : cluster.pods.values()) {
            assertThat(cluster.policies).as("a default deny selecting " + pod.name())
                    .anyMatch(policy -> policy.name().endsWith("-default-deny") && policy.selects(pod));
        }
        for (String allowed : List.of("orderer-0.orderer.charter.svc.cluster.local:7050",
                "org3-peer-1.peer.org3.svc.cluster.local:7060", "org1-peer-0.peer.org1.svc.cluster.local:7060")) {
            assertThat(cluster.allows(cluster.to("org3/org3-peer", allowed))).as("org3 -> " + allowed).isTrue();
        }
        assertThat(cluster.allows(cluster.toUrl("org3/org3-peer", env.get("CHARTER_PEER_MEMBERSHIP_URL")))).isTrue();
        assertThat(cluster.allows(cluster.to("org1/org1-peer", "org3-peer-0.peer.org3.svc.cluster.local:7060"))).isTrue();
        assertThat(cluster.allows(new Connection(cluster.pod("org3/org3-peer"), cluster.pod("org3/postgres"), 5432, "TCP")))
                .isTrue();
        for (Connection refused : List.of(
                new Connection(cluster.pod("org3/org3-peer"), cluster.pod("org1/postgres"), 5432, "TCP"),
                new Connection(cluster.pod("org3/org3-peer"), cluster.pod("org1/org1-peer"), 9445, "TCP"),
                new Connection(cluster.pod("org1/org1-peer"), cluster.pod("org3/postgres"), 5432, "TCP"),
                new Connection(cluster.pod("org1/org1-peer"), cluster.pod("org3/org3-peer"), 9445, "TCP"))) {
            assertThat(cluster.allows(refused)).as(refused + " refused").isFalse();
        }
    }

    /** A copy of an organization's kustomization in the scratch directory, its path to the units rewritten. */
    private static Path instance(String name, String kustomization) throws IOException {
        Path dir = scratch.resolve(name);
        Files.createDirectories(dir);
        String units = dir.relativize(KUBERNETES.resolve("units")).toString();
        Files.writeString(dir.resolve("kustomization.yaml"), kustomization.replace("../../../units", units));
        return dir;
    }

    private static Container node(List<Map<String, Object>> overlay, String kind) {
        List<Container> found = new ArrayList<>();
        for (Container c : containers(overlay)) {
            if (kind.equals(charterNode(c.image())) && !c.init()) {
                found.add(c);
            }
        }
        assertThat(found).isNotEmpty();
        return found.getFirst();
    }
}
