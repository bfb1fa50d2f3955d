package io.charter.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.charter.deploy.DeployedEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders each kustomize overlay with {@code kubectl kustomize} and checks what Kubernetes would be given:
 * probes on every long-running container (on the actuator endpoints for Charter's nodes), limits in prod, no
 * {@code latest} or missing tags, Charter's images at the project's version, hardened security contexts, and
 * environment variable names that the applications read (derived from the configuration tables of
 * docs/membership-service.md, docs/orderer.md and docs/peer.md, which list every key) and that the whole-network tests set
 * ({@link DeployedEnvironment}). Without kubectl it is skipped locally and fails under {@code CI=true}.
 */
class ManifestTest {

    static final Path DEPLOY = Path.of(System.getProperty("charter.deploy.directory", ".")).toAbsolutePath();
    static final Path DOCS = DEPLOY.resolveSibling("docs");
    static final String VERSION = System.getProperty("charter.version", "0.1.0-SNAPSHOT");
    static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    /** Variables read by the JVM or by Spring Boot itself, allowed on every Charter node. */
    static final Set<String> GENERIC = Set.of("JDK_JAVA_OPTIONS", "SPRING_CONFIG_IMPORT", "CHARTER_LOG_FORMAT");

    static List<Map<String, Object>> dev;
    static List<Map<String, Object>> prod;

    @BeforeAll
    static void render() throws Exception {
        dev = kustomize("overlays/dev");
        prod = kustomize("overlays/prod");
    }

    @Test
    void everyLongRunningContainerHasLivenessAndReadinessProbesAndCharterNodesProbeTheActuator() {
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            for (Container c : containers(overlay)) {
                if (c.kind().equals("Job") || c.init()) {
                    continue; // runs to completion: its status is the Job's or the pod's, it serves nothing to probe
                }
                assertThat(c.spec()).as(c + " liveness").containsKey("livenessProbe");
                assertThat(c.spec()).as(c + " readiness").containsKey("readinessProbe");
                String node = charterNode(c.image());
                if (node != null) {
                    assertThat(path(c.spec(), "livenessProbe", "httpGet", "path")).as(c.toString()).isEqualTo("/actuator/health/liveness");
                    assertThat(path(c.spec(), "readinessProbe", "httpGet", "path")).as(c.toString()).isEqualTo("/actuator/health/readiness");
                    Object port = path(c.spec(), "readinessProbe", "httpGet", "port");
                    assertThat(containerPort(c, port)).as(c + " probe port").isEqualTo(switch (node) {
                        case "membership" -> 7054;
                        case "orderer" -> 9444;
                        default -> 9446;
                    });
                }
            }
        }
    }

    @Test
    void prodSetsRequestsAndLimitsOnEveryContainer() {
        for (Container c : containers(prod)) {
            assertThat((Map<String, Object>) path(c.spec(), "resources", "limits")).as(c + " limits").containsKeys("cpu", "memory");
            assertThat((Map<String, Object>) path(c.spec(), "resources", "requests")).as(c + " requests").containsKeys("cpu", "memory");
        }
    }

    @Test
    void prodHasDisruptionBudgetsAndAntiAffinityForEveryNodeKind() {
        Set<String> budgets = new HashSet<>();
        for (Map<String, Object> doc : prod) {
            if ("PodDisruptionBudget".equals(doc.get("kind"))) {
                budgets.add(namespace(doc) + "/" + path(doc, "spec", "selector", "matchLabels", "app.kubernetes.io/name"));
            }
        }
        // one per unit, in the unit's namespace: each organization's budget counts its own peers only
        assertThat(budgets).containsExactlyInAnyOrder("charter/membership", "charter/orderer", "org1/peer", "org2/peer");
        for (Map<String, Object> doc : prod) {
            if (List.of("Deployment", "StatefulSet").contains(doc.get("kind"))) {
                assertThat(path(doc, "spec", "template", "spec", "affinity", "podAntiAffinity"))
                        .as(name(doc) + " anti-affinity").isNotNull();
            }
        }
        assertThat(dev.stream().anyMatch(d -> "PodDisruptionBudget".equals(d.get("kind")))).isFalse();
    }

    @Test
    void everyImageHasAPinnedTagAndCharterImagesAreAtTheProjectVersion() {
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            Set<String> nodes = new HashSet<>();
            for (Container c : containers(overlay)) {
                String image = c.image();
                String lastSegment = image.substring(image.lastIndexOf('/') + 1);
                assertThat(lastSegment).as(c + " has a tag").contains(":");
                assertThat(lastSegment).as(c + " tag").doesNotEndWith(":latest");
                String node = charterNode(image);
                if (node != null) {
                    nodes.add(node);
                    assertThat(image).as(c.toString()).endsWith("charter/" + node + ":" + VERSION);
                }
            }
            assertThat(nodes).containsExactlyInAnyOrder("membership", "orderer", "peer");
        }
        assertThat(containers(prod).stream().filter(c -> charterNode(c.image()) != null))
                .allSatisfy(c -> assertThat(c.image()).startsWith("registry.example.com/"));
    }

    @Test
    void charterNodesRunNonRootOnAReadOnlyRootFileSystemWithDataOnTheirVolume() {
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            for (Container c : containers(overlay)) {
                String node = charterNode(c.image());
                if (node == null) {
                    continue;
                }
                assertThat(path(c.spec(), "securityContext", "readOnlyRootFilesystem")).as(c.toString()).isEqualTo(true);
                assertThat(path(c.spec(), "securityContext", "allowPrivilegeEscalation")).as(c.toString()).isEqualTo(false);
                assertThat(path(c.pod(), "securityContext", "runAsNonRoot")).as(c.toString()).isEqualTo(true);
                assertThat(path(c.pod(), "securityContext", "runAsUser")).as(c.toString()).isEqualTo(10001);
                List<String> mounts = ((List<Map<String, Object>>) c.spec().get("volumeMounts")).stream()
                        .map(m -> (String) m.get("mountPath")).toList();
                assertThat(mounts).as(c.toString()).contains("/tmp");
                if (!node.equals("membership")) {
                    assertThat(mounts).as(c.toString()).contains("/var/lib/charter");
                    assertThat(c.workload().get("kind")).isEqualTo("StatefulSet");
                    assertThat(path(c.workload(), "spec", "volumeClaimTemplates")).as(c + " volume claim").isNotNull();
                    assertThat(path(c.workload(), "spec", "podManagementPolicy")).isEqualTo("Parallel");
                }
            }
        }
    }

    @Test
    void headlessServicesGiveOrderersAndPeersStableAddressesBeforeTheyAreReady() {
        for (String statefulSet : List.of("charter/orderer", "org1/org1-peer", "org2/org2-peer")) {
            String namespace = statefulSet.substring(0, statefulSet.indexOf('/'));
            Map<String, Object> set = find(dev, "StatefulSet", namespace, statefulSet.substring(namespace.length() + 1));
            String service = (String) path(set, "spec", "serviceName");
            Map<String, Object> doc = find(dev, "Service", namespace, service);
            assertThat(path(doc, "spec", "clusterIP")).as(service).isEqualTo("None");
            assertThat(path(doc, "spec", "publishNotReadyAddresses")).as(service).isEqualTo(true);
            assertThat((Map<String, Object>) path(doc, "spec", "selector")).as(service + " selects the StatefulSet's pods")
                    .isEqualTo(path(set, "spec", "selector", "matchLabels"));
        }
        assertThat(path(find(dev, "Deployment", "membership"), "spec", "replicas")).isEqualTo(2);
    }

    @Test
    void environmentVariablesAreOnesTheApplicationsReadAndTheOnesTheNetworkTestsSet() throws IOException {
        Set<String> membershipReads = documentedVariables("membership-service.md", "CHARTER_MEMBERSHIP_", "## Configuration");
        Set<String> ordererReads = documentedVariables("orderer.md", "CHARTER_ORDERER_", "Configuration (`OrdererProperties`");
        Set<String> peerReads = documentedVariables("peer.md", "", "### Configuration (`charter.peer.*`");
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            for (Container c : containers(overlay)) {
                String node = charterNode(c.image());
                if (node == null) {
                    continue;
                }
                List<Map<String, Object>> env = (List<Map<String, Object>>) c.spec().get("env");
                Set<String> names = new LinkedHashSet<>();
                Set<String> referenced = new HashSet<>();
                for (Map<String, Object> variable : env) {
                    names.add((String) variable.get("name"));
                    Object value = variable.get("value");
                    if (value != null) {
                        Matcher m = REFERENCE.matcher(value.toString());
                        while (m.find()) {
                            referenced.add(m.group(1));
                        }
                    }
                }
                Set<String> read = switch (node) {
                    case "membership" -> membershipReads;
                    case "orderer" -> ordererReads;
                    default -> peerReads;
                };
                Set<String> applicationVariables = new LinkedHashSet<>();
                for (String name : names) {
                    if (referenced.contains(name) && !read.contains(name)) {
                        assertThat(name).as(c + ": helper variables are not the application's").doesNotStartWith("CHARTER_");
                        continue;
                    }
                    assertThat(read.contains(name) || GENERIC.contains(name)).as(c + " sets " + name
                            + ", which the " + node + " does not read (docs/" + node + " configuration table)").isTrue();
                    applicationVariables.add(name);
                }
                List<String> tested = switch (node) {
                    case "membership" -> DeployedEnvironment.MEMBERSHIP;
                    case "orderer" -> DeployedEnvironment.ORDERER;
                    default -> DeployedEnvironment.PEER;
                };
                // The log format is how logs are shipped, not how the network works: prod's JSON lines stay out of the
                // network tests, whose failures are read as text.
                applicationVariables.remove("CHARTER_LOG_FORMAT");
                assertThat(applicationVariables).as(c + ": the network tests configure the same variables")
                        .containsExactlyInAnyOrderElementsOf(tested);
            }
        }
    }

    @Test
    void theChannelSetupJobRunsTheCliImagesScriptWithVariablesItReadsAndTheNetworkTestSets() throws IOException {
        String script = Files.readString(DEPLOY.resolve("docker/cli/bin/setup-channel.sh"));
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            Container job = containers(overlay).stream().filter(c -> c.workloadName().equals("channel-setup")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Job channel-setup"));
            assertThat(job.kind()).isEqualTo("Job");
            assertThat(job.image()).as(job.toString()).endsWith("charter/cli:" + VERSION);
            assertThat(job.spec().get("command")).as(job + " runs the image's script").isEqualTo(List.of("/opt/charter/bin/setup-channel.sh"));
            List<String> names = ((List<Map<String, Object>>) job.spec().get("env")).stream()
                    .map(v -> (String) v.get("name")).toList();
            for (String name : names) {
                assertThat(name.equals("JDK_JAVA_OPTIONS") || Pattern.compile("\\$\\{?" + name + "\\b").matcher(script).find())
                        .as(job + " sets " + name + ", which setup-channel.sh does not read").isTrue();
            }
            assertThat(names).as(job + ": the network test runs the script with the same variables")
                    .containsExactlyInAnyOrderElementsOf(DeployedEnvironment.CHANNEL_SETUP);
            // the variables the script requires (${NAME:?...}) are all set
            Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(script);
            while (required.find()) {
                if (!required.group(1).equals("CHARTER_HOME")) { // the image sets it
                    assertThat(names).as(job + " sets the required " + required.group(1)).contains(required.group(1));
                }
            }
            // hardened as the nodes: non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault
            assertThat(path(job.spec(), "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(path(job.spec(), "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
            assertThat(path(job.spec(), "securityContext", "capabilities", "drop")).isEqualTo(List.of("ALL"));
            assertThat(path(job.pod(), "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat(path(job.pod(), "securityContext", "runAsUser")).isEqualTo(10001);
            assertThat(path(job.pod(), "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
            assertThat(job.pod().get("automountServiceAccountToken")).isEqualTo(false);
            assertThat(((List<Map<String, Object>>) job.spec().get("volumeMounts")).stream().map(m -> m.get("mountPath")))
                    .contains("/tmp", "/var/lib/charter", "/etc/charter/consortium", "/etc/charter/admin-enrollment");
            assertThat(path(job.workload(), "spec", "activeDeadlineSeconds")).as("bounded").isNotNull();
        }
        // the NetworkPolicies let it reach the membership service, the orderers' and peers' admin APIs and transports
        Map<String, Object> labels = (Map<String, Object>) path(find(dev, "Job", "channel-setup"), "spec", "template", "metadata", "labels");
        assertThat(labels).containsEntry("charter.io/admin", "true");
        assertThat(ingressPortsFrom(dev, "membership", labels)).contains(7054);
        assertThat(ingressPortsFrom(dev, "orderer", labels)).contains(9443, 7050);
        // the peers' transport, where it joins and installs; their admin API answers their own namespace only
        assertThat(ingressPortsFrom(dev, "peer", labels)).contains(7060);
    }

    @Test
    void theChannelSetupJobMakesPeerZeroOfEachOrganizationItsAnchorPeerAtANameItsCertificateCarries() {
        for (List<Map<String, Object>> overlay : List.of(dev, prod)) {
            Container job = containers(overlay).stream().filter(c -> c.workloadName().equals("channel-setup")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Job channel-setup"));
            Map<String, String> env = env(job);
            Map<String, String> anchors = new java.util.LinkedHashMap<>();
            for (String anchor : env.get("CHANNEL_ANCHOR_PEERS").split(",")) {
                assertThat(anchor).as(job + " CHANNEL_ANCHOR_PEERS").matches("[A-Za-z0-9]+=[a-z0-9.-]+:\\d+");
                assertThat(anchors.put(anchor.substring(0, anchor.indexOf('=')), anchor.substring(anchor.indexOf('=') + 1)))
                        .as(job + ": one anchor peer per organization").isNull();
            }
            assertThat(anchors.keySet()).as(job + ": an anchor peer for each organization of CHANNEL_ORGS")
                    .containsExactlyInAnyOrder(env.get("CHANNEL_ORGS").split(","));
            for (Map.Entry<String, String> anchor : anchors.entrySet()) {
                Container peer = containers(overlay).stream().filter(c -> "peer".equals(charterNode(c.image()))
                        && anchor.getKey().equals(resolvedEnv(overlay, c).get("CHARTER_PEER_MSP_ID"))).findFirst()
                        .orElseThrow(() -> new AssertionError("no peer of " + anchor.getKey()));
                String namespace = namespace(peer.workload());
                String pod = peer.workloadName() + "-0";
                String service = (String) path(peer.workload(), "spec", "serviceName");
                int transport = containerPort(peer, "transport");
                // fully qualified: other organizations' peers may run in other namespaces
                assertThat(anchor.getValue()).as(job + ": " + anchor.getKey() + "'s anchor peer is its peer 0's transport")
                        .isEqualTo(pod + "." + service + "." + namespace + ".svc.cluster.local:" + transport);
                String tlsHosts = env(peer).get("CHARTER_PEER_MEMBERSHIP_TLS_HOSTS").replace("$(POD_NAME)", pod)
                        .replace("$(POD_NAMESPACE)", namespace);
                assertThat(List.of(tlsHosts.split(","))).as(peer + ": its TLS certificate names the anchor host")
                        .contains(anchor.getValue().substring(0, anchor.getValue().lastIndexOf(':')));
                assertThat(((List<Map<String, Object>>) path(find(overlay, "Service", namespace, service), "spec", "ports")).stream()
                        .map(p -> p.get("port"))).as("Service " + service + " publishes the transport").contains(transport);
            }
        }
    }

    /** The container's plain variables (valueFrom ones are left out). */
    private static Map<String, String> env(Container c) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) c.spec().get("env")) {
            if (variable.get("value") != null) {
                env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
            }
        }
        return env;
    }

    @Test
    void theDocumentedVariablesIncludeWhatTheNodesAreKnownToRead() throws IOException {
        // guards the derivation above: a table the parser misses would let anything through
        assertThat(documentedVariables("orderer.md", "CHARTER_ORDERER_", "Configuration (`OrdererProperties`"))
                .contains("CHARTER_ORDERER_DATA_DIR", "CHARTER_ORDERER_SIGNING_PRIVATE_KEY", "CHARTER_ORDERER_CLUSTER_HOST",
                        "CHARTER_ORDERER_MEMBERSHIP_ENROLLMENT_SECRET", "CHARTER_ORDERER_RAFT_ELECTION_TIMEOUT_MAX")
                .doesNotContain("CHARTER_ORDERER_NO_SUCH_KEY");
        assertThat(documentedVariables("peer.md", "", "### Configuration (`charter.peer.*`"))
                .contains("CHARTER_PEER_DATA_DIR", "CHARTER_PEER_ORGANIZATION_PEERS", "CHARTER_PEER_MEMBERSHIP_ENROLLMENT_SECRET",
                        "CHARTER_PEER_DATABASE_URL");
        assertThat(documentedVariables("membership-service.md", "CHARTER_MEMBERSHIP_", "## Configuration"))
                .contains("CHARTER_DB_URL", "CHARTER_CA_PASSPHRASE", "CHARTER_MEMBERSHIP_HTTP_TLS_HOSTS",
                        "CHARTER_MEMBERSHIP_INDEX_HEARTBEAT_INTERVAL");
    }

    // ---- rendering and reading

    record Container(String kind, String workloadName, Map<String, Object> workload, Map<String, Object> pod,
            Map<String, Object> spec, boolean init) {
        String image() {
            return (String) spec.get("image");
        }

        @Override
        public String toString() {
            return kind + "/" + workloadName + "/" + spec.get("name");
        }
    }

    static List<Map<String, Object>> kustomize(String overlay) throws Exception {
        Path kubernetes = DEPLOY.resolve("kubernetes");
        String kubectl = findKubectl();
        Process process = new ProcessBuilder(kubectl, "kustomize", kubernetes.resolve(overlay).toString())
                .redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            fail("kubectl kustomize " + overlay + " failed: " + err);
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(new String(out, StandardCharsets.UTF_8))) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        assertThat(docs).as(overlay + " renders documents").isNotEmpty();
        return docs;
    }

    private static String findKubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("kubectl is not on the PATH: the rendered manifests cannot be checked, and CI must check them");
        }
        Assumptions.abort("kubectl is not on the PATH");
        return null;
    }

    static List<Container> containers(List<Map<String, Object>> docs) {
        List<Container> containers = new ArrayList<>();
        for (Map<String, Object> doc : docs) {
            String kind = (String) doc.get("kind");
            if (!List.of("Deployment", "StatefulSet", "Job", "DaemonSet").contains(kind)) {
                continue;
            }
            Map<String, Object> pod = (Map<String, Object>) path(doc, "spec", "template", "spec");
            for (String list : List.of("initContainers", "containers")) {
                Object items = pod.get(list);
                if (items != null) {
                    for (Map<String, Object> spec : (List<Map<String, Object>>) items) {
                        containers.add(new Container(kind, name(doc), doc, pod, spec, list.equals("initContainers")));
                    }
                }
            }
        }
        assertThat(containers).isNotEmpty();
        return containers;
    }

    /** "membership", "orderer" or "peer" for Charter's images, else null. */
    static String charterNode(String image) {
        Matcher m = Pattern.compile("(?:^|/)charter/(membership|orderer|peer):").matcher(image);
        return m.find() ? m.group(1) : null;
    }

    static int containerPort(Container c, Object port) {
        if (port instanceof Integer number) {
            return number;
        }
        for (Map<String, Object> p : (List<Map<String, Object>>) c.spec().get("ports")) {
            if (port.equals(p.get("name"))) {
                return (Integer) p.get("containerPort");
            }
        }
        throw new AssertionError(c + " has no port named " + port);
    }

    /** The ports of {@code policy}'s ingress rules that admit a pod labelled {@code labels} (no {@code from}: anyone). */
    static List<Integer> ingressPortsFrom(List<Map<String, Object>> docs, String policy, Map<String, Object> labels) {
        List<Integer> ports = new ArrayList<>();
        for (Map<String, Object> rule : (List<Map<String, Object>>) path(find(docs, "NetworkPolicy", policy), "spec", "ingress")) {
            List<Map<String, Object>> from = (List<Map<String, Object>>) rule.get("from");
            boolean admits = from == null || from.stream().anyMatch(peer -> {
                Map<String, Object> selector = (Map<String, Object>) path(peer, "podSelector", "matchLabels");
                return peer.get("namespaceSelector") == null && selector != null
                        && labels.entrySet().containsAll(selector.entrySet());
            });
            if (admits) {
                for (Map<String, Object> port : (List<Map<String, Object>>) rule.get("ports")) {
                    ports.add((Integer) port.get("port"));
                }
            }
        }
        return ports;
    }

    static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(name(d))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String namespace, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(name(d)) && namespace.equals(namespace(d)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + namespace + "/" + name));
    }

    static String name(Map<String, Object> doc) {
        return (String) path(doc, "metadata", "name");
    }

    static String namespace(Map<String, Object> doc) {
        return (String) path(doc, "metadata", "namespace");
    }

    /**
     * A container's variables as Kubernetes gives them to the process, except secrets: plain values, values from
     * ConfigMaps of the pod's namespace (configMapKeyRef), the pod's name and namespace for a given ordinal
     * (fieldRef), each {@code $(NAME)} of an earlier variable expanded. Secret values are left out.
     */
    static Map<String, String> resolvedEnv(List<Map<String, Object>> docs, Container c, int ordinal) {
        String namespace = namespace(c.workload());
        String podName = c.kind().equals("StatefulSet") ? c.workloadName() + "-" + ordinal : c.workloadName() + "-pod";
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) c.spec().getOrDefault("env", List.of())) {
            String name = (String) variable.get("name");
            String value = null;
            if (variable.get("value") != null) {
                value = String.valueOf(variable.get("value"));
            } else if (path(variable, "valueFrom", "configMapKeyRef") != null) {
                String map = (String) path(variable, "valueFrom", "configMapKeyRef", "name");
                String key = (String) path(variable, "valueFrom", "configMapKeyRef", "key");
                value = (String) path(find(docs, "ConfigMap", namespace, map), "data", key);
                assertThat(value).as(c + ": " + name + " from ConfigMap " + map + " key " + key).isNotNull();
            } else if ("metadata.name".equals(path(variable, "valueFrom", "fieldRef", "fieldPath"))) {
                value = podName;
            } else if ("metadata.namespace".equals(path(variable, "valueFrom", "fieldRef", "fieldPath"))) {
                value = namespace;
            }
            if (value == null) {
                continue;
            }
            Matcher m = REFERENCE.matcher(value);
            StringBuilder expanded = new StringBuilder();
            while (m.find()) {
                String replacement = env.getOrDefault(m.group(1), m.group());
                m.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(expanded);
            env.put(name, expanded.toString());
        }
        return env;
    }

    static Map<String, String> resolvedEnv(List<Map<String, Object>> docs, Container c) {
        return resolvedEnv(docs, c, 0);
    }

    static Object path(Map<String, Object> map, String... keys) {
        Object current = map;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    /**
     * The environment variables of the keys in a doc's configuration table: each backticked key of the
     * table's first column under {@code prefix} by relaxed binding (dots and dashes to underscores, upper
     * case), and every variable named in the table (the membership service's shorter ones).
     */
    static Set<String> documentedVariables(String doc, String prefix, String sectionStart) throws IOException {
        List<String> lines = Files.readAllLines(DOCS.resolve(doc));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(sectionStart)) {
                start = i;
                break;
            }
        }
        assertThat(start).as(sectionStart + " in docs/" + doc).isNotNegative();
        Set<String> variables = new LinkedHashSet<>();
        boolean inTable = false;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.split("\\|");
                if (cells.length < 2 || cells[1].contains("---") || cells[1].trim().equals("key")) {
                    continue;
                }
                Matcher key = Pattern.compile("`([a-z0-9.-]+)`").matcher(cells[1]);
                while (key.find()) {
                    variables.add(prefix + key.group(1).replace('.', '_').replace('-', '_').toUpperCase(java.util.Locale.ROOT));
                }
                Matcher env = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(line);
                while (env.find()) {
                    variables.add(env.group(1));
                }
            } else if (inTable) {
                break;
            }
        }
        assertThat(variables).as("variables documented in docs/" + doc).isNotEmpty();
        return variables;
    }
}
