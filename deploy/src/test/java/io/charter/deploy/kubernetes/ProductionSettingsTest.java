package io.charter.deploy.kubernetes;

import static io.charter.deploy.kubernetes.ManifestTest.charterNode;
import static io.charter.deploy.kubernetes.ManifestTest.containerPort;
import static io.charter.deploy.kubernetes.ManifestTest.containers;
import static io.charter.deploy.kubernetes.ManifestTest.find;
import static io.charter.deploy.kubernetes.ManifestTest.kustomize;
import static io.charter.deploy.kubernetes.ManifestTest.name;
import static io.charter.deploy.kubernetes.ManifestTest.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.deploy.kubernetes.ManifestTest.Container;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the rendered overlays give a production cluster beyond the basics {@link ManifestTest} checks: JVMs sized
 * against their containers' memory limits, the Pod Security "restricted" profile enforced in prod and met by every
 * pod, zone spread, JSON logs, images pulled again while their tags are mutable, and scrape annotations on the
 * ports that serve the metrics.
 */
@SuppressWarnings("unchecked")
class ProductionSettingsTest {

    /** What a JVM needs beyond its heap and direct buffers: metaspace, code cache, thread stacks, GC structures. */
    private static final long NON_HEAP_HEADROOM = 320L << 20;
    private static final Set<String> RESTRICTED_VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");

    private static List<Map<String, Object>> dev;
    private static List<Map<String, Object>> prod;

    @BeforeAll
    static void render() throws Exception {
        dev = kustomize("overlays/dev");
        prod = kustomize("overlays/prod");
    }

    @Test
    void everyJavaContainersHeapAndDirectMemoryFitUnderItsLimitWithRoomForTheRest() {
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            for (Container c : containers(overlay)) {
                Optional<String> options = env(c, "JDK_JAVA_OPTIONS");
                if (options.isEmpty()) {
                    continue; // not a JVM (PostgreSQL)
                }
                long limit = bytes((String) path(c.spec(), "resources", "limits", "memory"));
                String jvm = options.get();
                assertThat(jvm).as(c + " dies on OutOfMemoryError").contains("-XX:+ExitOnOutOfMemoryError");
                double heapShare = Double.parseDouble(option(jvm, "-XX:MaxRAMPercentage=([0-9.]+)").orElseThrow()) / 100;
                long direct = option(jvm, "-XX:MaxDirectMemorySize=([0-9]+[kmgKMG]?)").map(ProductionSettingsTest::bytes)
                        .orElse(0L);
                if (charterNode(c.image()) != null) {
                    assertThat(direct).as(c + " caps its direct buffers").isPositive();
                }
                assertThat((long) (limit * heapShare) + direct + NON_HEAP_HEADROOM).as(c + ": heap + direct + headroom")
                        .isLessThanOrEqualTo(limit);
            }
        }
    }

    @Test
    void prodEnforcesTheRestrictedPodSecurityProfileAndEveryPodMeetsIt() {
        // every unit's namespace: the consortium's and each organization's
        for (String namespace : List.of("charter", "org1", "org2")) {
            Map<String, Object> labels = (Map<String, Object>) path(find(prod, "Namespace", namespace), "metadata", "labels");
            assertThat(labels).as(namespace).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
            assertThat((Map<String, Object>) path(find(dev, "Namespace", namespace), "metadata", "labels")).as(namespace)
                    .containsEntry("pod-security.kubernetes.io/warn", "restricted");
        }
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            Set<String> namespaces = new java.util.HashSet<>();
            overlay.stream().filter(d -> "Namespace".equals(d.get("kind"))).forEach(d -> namespaces.add(name(d)));
            overlay.stream().filter(d -> !"Namespace".equals(d.get("kind"))).forEach(d ->
                    assertThat(namespaces).as(d.get("kind") + " " + name(d) + " in a namespace of the overlay")
                            .contains((String) path(d, "metadata", "namespace")));
        }
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            for (Container c : containers(overlay)) {
                Map<String, Object> pod = c.pod();
                assertThat(pod).as(c.toString()).doesNotContainKeys("hostNetwork", "hostPID", "hostIPC");
                Object runAsNonRoot = Optional.ofNullable(path(c.spec(), "securityContext", "runAsNonRoot"))
                        .orElse(path(pod, "securityContext", "runAsNonRoot"));
                assertThat(runAsNonRoot).as(c + " runAsNonRoot").isEqualTo(true);
                Object seccomp = Optional.ofNullable(path(c.spec(), "securityContext", "seccompProfile", "type"))
                        .orElse(path(pod, "securityContext", "seccompProfile", "type"));
                assertThat(seccomp).as(c + " seccomp").isIn("RuntimeDefault", "Localhost");
                assertThat(path(c.spec(), "securityContext", "allowPrivilegeEscalation")).as(c.toString()).isEqualTo(false);
                assertThat((List<String>) path(c.spec(), "securityContext", "capabilities", "drop")).as(c.toString())
                        .contains("ALL");
                assertThat((List<String>) Optional.ofNullable(path(c.spec(), "securityContext", "capabilities", "add"))
                        .orElse(List.of())).as(c.toString()).isSubsetOf("NET_BIND_SERVICE");
                for (Map<String, Object> volume : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
                    assertThat(volume.keySet().stream().filter(key -> !key.equals("name")))
                            .as(c + " volume " + volume.get("name")).isSubsetOf(RESTRICTED_VOLUME_TYPES);
                }
            }
        }
    }

    @Test
    void prodSpreadsNodesOverZonesAndOrderersStrictly() {
        for (Map<String, Object> doc : prod) {
            if (!List.of("Deployment", "StatefulSet").contains(doc.get("kind"))) {
                continue;
            }
            List<Map<String, Object>> spread = (List<Map<String, Object>>) path(doc, "spec", "template", "spec",
                    "topologySpreadConstraints");
            Object pods = path(doc, "spec", "selector", "matchLabels", "app.kubernetes.io/name");
            assertThat(spread).as(name(doc) + " zone spread").isNotNull().anySatisfy(constraint -> {
                assertThat(constraint).containsEntry("topologyKey", "topology.kubernetes.io/zone").containsEntry("maxSkew", 1);
                assertThat(path(constraint, "labelSelector", "matchLabels", "app.kubernetes.io/name")).isEqualTo(pods);
                assertThat(constraint.get("whenUnsatisfiable"))
                        .isEqualTo(name(doc).equals("orderer") ? "DoNotSchedule" : "ScheduleAnyway");
            });
        }
    }

    @Test
    void prodNodesLogJsonAndMutableTagsArePulledAgain() {
        for (Container c : containers(prod)) {
            if (charterNode(c.image()) != null) {
                assertThat(env(c, "CHARTER_LOG_FORMAT")).as(c + " log format").contains("ecs");
            }
            if (!c.image().contains("@sha256:")) {
                assertThat(c.spec().get("imagePullPolicy")).as(c + " has a mutable tag").isEqualTo("Always");
            }
        }
        for (Container c : containers(dev)) {
            assertThat(env(c, "CHARTER_LOG_FORMAT")).as(c + ": text logs in development").isEmpty();
        }
    }

    @Test
    void prodPeersReachTheirDatabaseOverVerifiedTlsWithTheCaMountedWhereTheUrlSays() {
        int peers = 0;
        for (Container c : containers(prod)) {
            String node = charterNode(c.image());
            if (!"peer".equals(node) && !"membership".equals(node)) {
                continue;
            }
            Map<String, Object> mount = ((List<Map<String, Object>>) c.spec().getOrDefault("volumeMounts", List.of())).stream()
                    .filter(m -> "/etc/charter/database".equals(m.get("mountPath"))).findFirst().orElse(null);
            assertThat(mount).as(c + " mounts the database CA").isNotNull();
            Map<String, Object> volume = ((List<Map<String, Object>>) path(c.pod(), "volumes")).stream()
                    .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
            assertThat(path(volume, "configMap", "name")).isEqualTo("charter-database-ca");
            if (node.equals("peer")) {
                peers++;
                assertThat(env(c, "CHARTER_PEER_DATABASE_URL")).as(c.toString())
                        .contains("$(PEER_DATABASE_SERVER)$(POD_NAME)?sslmode=verify-full&sslrootcert=/etc/charter/database/root.crt");
            }
        }
        assertThat(peers).as("a peer StatefulSet per organization").isEqualTo(2);
        for (Container c : containers(dev)) {
            assertThat(env(c, "CHARTER_PEER_DATABASE_URL").orElse("")).as(c + ": the dev database has no TLS")
                    .doesNotContain("sslmode");
        }
    }

    @Test
    void nodesAreAnnotatedForScrapingOnThePortThatServesTheirMetrics() {
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            for (Container c : containers(overlay)) {
                String node = charterNode(c.image());
                if (node == null) {
                    continue;
                }
                Map<String, Object> annotations = (Map<String, Object>) path(c.workload(), "spec", "template", "metadata",
                        "annotations");
                assertThat(annotations).as(c.toString()).containsEntry("prometheus.io/scrape", "true")
                        .containsEntry("prometheus.io/path", "/actuator/prometheus")
                        .containsEntry("prometheus.io/scheme", node.equals("membership") ? "https" : "http");
                int operations = containerPort(c, path(c.spec(), "readinessProbe", "httpGet", "port"));
                assertThat(annotations.get("prometheus.io/port")).as(c.toString()).isEqualTo(String.valueOf(operations));
            }
        }
    }

    @Test
    void memoryQuantitiesAreReadAsKubernetesWritesThem() {
        assertThat(bytes("1536Mi")).isEqualTo(1536L << 20);
        assertThat(bytes("2Gi")).isEqualTo(2L << 30);
        assertThat(bytes("256m")).as("a JVM size").isEqualTo(256L << 20);
        assertThat(bytes("1G")).isEqualTo(1_000_000_000L);
    }

    private static Optional<String> env(Container c, String name) {
        for (Map<String, Object> variable : (List<Map<String, Object>>) c.spec().getOrDefault("env", List.of())) {
            if (name.equals(variable.get("name"))) {
                return Optional.of(String.valueOf(variable.get("value")));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> option(String options, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(options);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** A Kubernetes quantity (Mi, Gi, M, G) or a JVM size (m, g, k: binary). */
    static long bytes(String quantity) {
        Matcher m = Pattern.compile("([0-9]+)(Ki|Mi|Gi|K|M|G|k|m|g)?").matcher(quantity);
        assertThat(m.matches()).as("a quantity: " + quantity).isTrue();
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return number * switch (unit) {
            case "Ki", "k" -> 1L << 10;
            case "Mi", "m" -> 1L << 20;
            case "Gi", "g" -> 1L << 30;
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1L;
        };
    }
}
