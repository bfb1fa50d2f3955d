package io.charter.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.deploy.DeployedEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/compose/compose.yaml runs the same images with the same configuration as the Kubernetes manifests
 * and the whole-network tests: the same variable names ({@link DeployedEnvironment}), pinned images at the
 * project's version, read-only root file systems with /tmp on a tmpfs, data on named volumes, and each
 * orderer's enrollment secret read from the file named after it.
 */
class ComposeFileTest {

    static final Path COMPOSE = Path.of(System.getProperty("charter.deploy.directory", ".")).toAbsolutePath()
            .resolve("compose/compose.yaml");
    static final String VERSION = System.getProperty("charter.version", "0.1.0-SNAPSHOT");

    @Test
    void nodesRunTheProjectsImagesConfiguredAsOnKubernetes() throws IOException {
        Map<String, Map<String, Object>> services = services();
        assertThat(services).containsKeys("postgres", "membership", "orderer0", "orderer1", "orderer2", "org1-peer0", "org2-peer0");
        for (Map.Entry<String, Map<String, Object>> entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = entry.getValue();
            String image = (String) service.get("image");
            assertThat(image).as(name).contains(":").doesNotEndWith(":latest");
            if (name.equals("postgres")) {
                continue;
            }
            String node = name.startsWith("orderer") ? "orderer" : name.contains("-peer") ? "peer"
                    : name.equals("channel-setup") ? "cli" : name;
            assertThat(image).as(name).isEqualTo("charter/" + node + ":" + VERSION);
            assertThat(service.get("read_only")).as(name).isEqualTo(true);
            assertThat((List<String>) service.get("tmpfs")).as(name).anyMatch(t -> t.startsWith("/tmp:") && t.contains("exec"));
            assertThat(service).as(name).containsKey("stop_grace_period");
            Map<String, Object> env = (Map<String, Object>) service.get("environment");
            List<String> expected = switch (node) {
                case "membership" -> DeployedEnvironment.MEMBERSHIP;
                case "orderer" -> DeployedEnvironment.ORDERER;
                case "cli" -> DeployedEnvironment.CHANNEL_SETUP;
                default -> DeployedEnvironment.PEER;
            };
            assertThat(env.keySet()).as(name + " variables").containsExactlyInAnyOrderElementsOf(expected);
            if (node.equals("peer")) {
                assertThat(env.get("CHARTER_PEER_MEMBERSHIP_ENROLLMENT_ID")).isEqualTo(name);
                assertThat(env.get("CHARTER_PEER_PEER_ID")).isEqualTo(name);
                assertThat(env.get("CHARTER_PEER_MEMBERSHIP_ENROLLMENT_SECRET")).isEqualTo("$${" + name + "}");
                assertThat(env.get("CHARTER_PEER_DATABASE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + name);
                assertThat(Files.readString(COMPOSE.resolveSibling("postgres-init/peer-databases.sql")))
                        .contains("CREATE DATABASE \"" + name + "\"");
                assertThat((List<String>) service.get("volumes")).as(name).contains(name + "-data:/var/lib/charter");
            }
            if (node.equals("orderer")) {
                assertThat(env.get("CHARTER_ORDERER_MEMBERSHIP_ENROLLMENT_ID")).isEqualTo(name);
                assertThat(env.get("CHARTER_ORDERER_CLUSTER_HOST")).isEqualTo(name);
                // $$ is Compose's literal $: the application sees ${orderer0}, the config tree's file orderer0
                assertThat(env.get("CHARTER_ORDERER_MEMBERSHIP_ENROLLMENT_SECRET")).isEqualTo("$${" + name + "}");
                assertThat((List<String>) service.get("volumes")).as(name)
                        .contains(name + "-data:/var/lib/charter", "./secrets/enrollment:/etc/charter/enrollment:ro",
                                "./secrets/consortium:/etc/charter/consortium:ro");
            }
        }
    }

    @Test
    void theChannelSetupServiceSetsUpAChannelOfTheComposeNodesWithTheAdminsBootstrapRegisters() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> setup = services.get("channel-setup");
        assertThat(setup).as("compose.yaml brings up a usable channel").isNotNull();
        assertThat((List<String>) setup.get("entrypoint")).containsExactly("/opt/charter/bin/setup-channel.sh");
        Map<String, Object> env = (Map<String, Object>) setup.get("environment");
        List<String> orderers = services.keySet().stream().filter(n -> n.startsWith("orderer")).sorted().toList();
        List<String> peers = services.keySet().stream().filter(n -> n.contains("-peer")).sorted().toList();
        assertThat(String.valueOf(env.get("CHANNEL_CONSENTERS")).split(","))
                .containsExactlyElementsOf(orderers.stream().map(o -> o + ":7051").toList());
        assertThat(String.valueOf(env.get("ORDERER_ADMIN_URLS")).split(" "))
                .containsExactlyElementsOf(orderers.stream().map(o -> "https://" + o + ":9443").toList());
        assertThat(String.valueOf(env.get("PEER_ADMINS")).split(" ")).extracting(a -> a.substring(a.indexOf('=') + 1))
                .containsExactlyElementsOf(peers.stream().map(p -> p + ":7060").toList());
        // every admin the script acts as is one the documented bootstrap step registers (CHARTER_ADMINS)
        String header = Files.readString(COMPOSE).lines().takeWhile(l -> l.startsWith("#"))
                .collect(java.util.stream.Collectors.joining("\n"));
        List<String> admins = new java.util.ArrayList<>(List.of(String.valueOf(env.get("ORDERER_ADMIN")),
                String.valueOf(env.get("CONTRACT_DEFINER"))));
        for (String admin : String.valueOf(env.get("PEER_ADMINS")).split(" ")) {
            admins.add(admin.substring(0, admin.indexOf('=')));
        }
        for (String admin : admins) {
            assertThat(header).as("CHARTER_ADMINS registers " + admin).containsPattern("CHARTER_ADMINS=\"[^\"]*" + admin + ":");
        }
        assertThat((List<String>) setup.get("volumes")).contains("./secrets/admin-enrollment:/etc/charter/admin-enrollment:ro",
                "./secrets/consortium:/etc/charter/consortium:ro");
        assertThat((List<String>) setup.get("depends_on")).containsExactlyInAnyOrderElementsOf(peers);
    }

    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml(new LoaderOptions()).load(Files.readString(COMPOSE));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }
}
