package io.charter.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.charter.protocol.BatchSize;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * A channel configuration as YAML and JSON and back: lossless for any configuration (property-based), and a
 * malformed document refused with one line naming the line and the field.
 */
class ConfigDocumentTest {

    private static final List<String> TRICKY_TEXTS = List.of("", "yes", "no", "null", "~", "123", "0x1F", "1e3",
            "- item", "a: b", "#not a comment", "'quoted'", "\"double\"", "line1\nline2", "trailing \n", " leading",
            "tab\there", "OR('Org1MSP.member', 'Org2MSP.member')", "MAJORITY Admins", "ünïcödé ✓", "{flow}", "[1, 2]",
            "&anchor", "*alias", "!tag", "%directive", "@at", "`back`", "|", ">", "---", "...");
    private static final Gen<String> TRICKY = arbitrary().pick(TRICKY_TEXTS);
    private static final Gen<String> TEXT = strings().betweenCodePoints(0x20, 0x7e).ofLengthBetween(0, 24).mix(TRICKY, 40);
    // names are never blank: picked from the non-blank tricky texts rather than filtered, since a filter that
    // rejects a whole configuration now and then can make QuickTheories give up
    private static final Gen<String> NAME = strings().betweenCodePoints(0x21, 0x7e).ofLengthBetween(1, 16).mix(
            arbitrary().pick(TRICKY_TEXTS.stream().filter(text -> !text.isBlank()).toList()), 30);
    private static final Gen<String> HOST = arbitrary().pick("127.0.0.1", "localhost", "peer0.org1.example.com",
            "orderer-0.orderer", "::1", "");

    private static final Gen<ByteString> BYTES = in -> {
        int length = integers().between(0, 80).generate(in);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = integers().between(-128, 127).generate(in).byteValue();
        }
        return ByteString.copyFrom(bytes);
    };

    private static final Gen<Endpoint> ENDPOINTS = in -> Endpoint.newBuilder().setHost(HOST.generate(in))
            .setPort(integers().between(0, 65535).generate(in)).build();

    private static <T> void times(Gen<Integer> count, org.quicktheories.core.RandomnessSource in, Consumer<Integer> each) {
        int n = count.generate(in);
        for (int i = 0; i < n; i++) {
            each.accept(i);
        }
    }

    private static final Gen<ChannelConfig> CONFIGS = in -> {
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId(TEXT.generate(in))
                .setSequence(longs().all().generate(in));
        times(integers().between(0, 4), in, i -> config.putPolicies(NAME.generate(in), TEXT.generate(in)));
        times(integers().between(0, 3), in, i -> {
            OrganizationConfig.Builder organization = OrganizationConfig.newBuilder().setMspId(TEXT.generate(in));
            times(integers().between(0, 2), in, j -> organization.addRootCerts(BYTES.generate(in)));
            times(integers().between(0, 2), in, j -> organization.addIntermediateCerts(BYTES.generate(in)));
            times(integers().between(0, 2), in, j -> organization.addTlsRootCerts(BYTES.generate(in)));
            times(integers().between(0, 2), in, j -> organization.addTlsIntermediateCerts(BYTES.generate(in)));
            times(integers().between(0, 2), in, j -> organization.addCrls(BYTES.generate(in)));
            times(integers().between(0, 3), in, j -> organization.putPolicies(NAME.generate(in), TEXT.generate(in)));
            times(integers().between(0, 2), in, j -> organization.addAnchorPeers(ENDPOINTS.generate(in)));
            config.addOrganizations(organization);
        });
        if (booleans().all().generate(in)) {
            OrdererConfig.Builder orderer = OrdererConfig.newBuilder();
            times(integers().between(0, 3), in, j -> {
                Consenter.Builder consenter = Consenter.newBuilder();
                if (booleans().all().generate(in)) {
                    consenter.setEndpoint(ENDPOINTS.generate(in));
                }
                switch (integers().between(0, 2).generate(in)) {
                    case 0 -> consenter.setIdentity(SerializedIdentity.newBuilder().setMspId(TEXT.generate(in))
                            .setCertificate(BYTES.generate(in)).build().toByteString());
                    case 1 -> consenter.setIdentity(BYTES.generate(in)); // not always a SerializedIdentity
                    default -> { }
                }
                consenter.setClientTlsCert(BYTES.generate(in)).setServerTlsCert(BYTES.generate(in));
                orderer.addConsenters(consenter);
            });
            if (booleans().all().generate(in)) {
                orderer.setBatchSize(BatchSize.newBuilder().setMaxMessageCount(integers().all().generate(in))
                        .setPreferredMaxBytes(size(in)).setAbsoluteMaxBytes(size(in)));
            }
            if (booleans().all().generate(in)) {
                long seconds = longs().between(-315_576_000_000L, 315_576_000_000L).generate(in);
                int nanos = integers().between(0, 999_999_999).generate(in);
                if (booleans().all().generate(in)) {
                    nanos = nanos / 1_000_000 * 1_000_000; // whole milliseconds, as people write them
                }
                orderer.setBatchTimeout(Duration.newBuilder().setSeconds(seconds).setNanos(seconds < 0 ? -nanos
                        : seconds == 0 && booleans().all().generate(in) ? -nanos : nanos));
            }
            orderer.setMaxEnvelopeBytes(booleans().all().generate(in) ? 0 : size(in));
            config.setOrderer(orderer);
        }
        return config.build();
    };

    private static long size(org.quicktheories.core.RandomnessSource in) {
        return switch (integers().between(0, 3).generate(in)) {
            case 0 -> longs().all().generate(in);
            case 1 -> longs().between(0, 1 << 20).generate(in) << 20; // whole MiB
            case 2 -> longs().between(0, 4096).generate(in);
            default -> -1L; // 2^64 - 1
        };
    }

    @Test
    void anyConfigurationSurvivesYamlUnchanged() {
        qt().withExamples(300).forAll(CONFIGS).checkAssert(config ->
                assertThat(ConfigDocument.read(ConfigDocument.toYaml(config), ConfigDocument.Format.YAML))
                        .as(ConfigDocument.toYaml(config)).isEqualTo(config));
    }

    @Test
    void anyConfigurationSurvivesJsonUnchanged() {
        qt().withExamples(300).forAll(CONFIGS).checkAssert(config ->
                assertThat(ConfigDocument.read(ConfigDocument.toJson(config), ConfigDocument.Format.JSON))
                        .as(ConfigDocument.toJson(config)).isEqualTo(config));
    }

    @Test
    void sizesTimeoutsAndCertificatesReadAsPeopleWriteThem() {
        String yaml = """
                channel: mychannel
                sequence: 3
                policies:
                  Admins: AND('Org1MSP.admin', 'Org2MSP.admin')
                organizations:
                - mspId: Org1MSP
                  rootCertificates:
                  - |
                    -----BEGIN CERTIFICATE-----
                    AQID
                    -----END CERTIFICATE-----
                  anchorPeers: [peer0.org1:7051]
                orderer:
                  consenters:
                  - endpoint: orderer1:7050
                    mspId: OrdererMSP
                  batchSize: {maxMessageCount: 500, preferredMaxBytes: 2 MiB, absoluteMaxBytes: 10MiB}
                  batchTimeout: 250ms
                """;
        ChannelConfig config = ConfigDocument.read(yaml, ConfigDocument.Format.YAML);
        assertThat(config.getSequence()).isEqualTo(3);
        assertThat(config.getOrganizations(0).getRootCerts(0).toByteArray()).containsExactly(1, 2, 3);
        assertThat(config.getOrganizations(0).getAnchorPeers(0).getPort()).isEqualTo(7051);
        assertThat(config.getOrderer().getBatchSize().getPreferredMaxBytes()).isEqualTo(2L << 20);
        assertThat(config.getOrderer().getBatchSize().getAbsoluteMaxBytes()).isEqualTo(10L << 20);
        assertThat(config.getOrderer().getBatchTimeout().getNanos()).isEqualTo(250_000_000);
        String written = ConfigDocument.toYaml(config);
        assertThat(written).contains("preferredMaxBytes: 2 MiB").contains("batchTimeout: 250ms")
                .contains("-----BEGIN CERTIFICATE-----\n").contains("- peer0.org1:7051");
    }

    private static void refusedYaml(String yaml, String message) {
        assertThatThrownBy(() -> ConfigDocument.read(yaml, ConfigDocument.Format.YAML))
                .isInstanceOf(ConfigFormatException.class).hasMessage(message);
    }

    private static void refusedJson(String json, String message) {
        assertThatThrownBy(() -> ConfigDocument.read(json, ConfigDocument.Format.JSON))
                .isInstanceOf(ConfigFormatException.class).hasMessage(message);
    }

    @Test
    void malformedYamlIsOneLineNamingTheLine() {
        assertThatThrownBy(() -> ConfigDocument.read("channel: a\nsequence: 1\norganizations: [\n  - mspId: x\n",
                ConfigDocument.Format.YAML)).isInstanceOf(ConfigFormatException.class)
                .hasMessageStartingWith("line ").hasMessageContaining("not valid YAML")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        refusedYaml("", "the document is empty");
        refusedYaml("- a\n- b\n", "line 1: expected an object (key: value lines), found a list");
    }

    @Test
    void wrongFieldsAreNamedWithTheirLine() {
        refusedYaml("channel: c\nsequence: 1\norganizations:\n- mspid: Org1MSP\n",
                "line 4, organizations[0]: unknown field 'mspid' (known: anchorPeers, crls, intermediateCertificates,"
                        + " mspId, policies, rootCertificates, tlsIntermediateCertificates, tlsRootCertificates)");
        refusedYaml("channel: c\nsequence: 1\norganizations:\n- mspId: Org1MSP\n  anchorPeers: [peer0]\n",
                "line 5, organizations[0].anchorPeers[0]: 'peer0' is not HOST:PORT with a port up to 65535");
        refusedYaml("channel: c\nsequence: -1\n", "line 2, sequence: '-1' is not a whole number from 0 to 18446744073709551615");
        refusedYaml("channel: c\nsequence: 1\norderer:\n  batchSize:\n    preferredMaxBytes: 2 MB\n",
                "line 5, orderer.batchSize.preferredMaxBytes: '2 MB' is not a size: a whole number of bytes, or with a"
                        + " unit B, KiB, MiB, GiB or TiB (e.g. 2 MiB)");
        refusedYaml("channel: c\nsequence: 1\norderer:\n  batchTimeout: 250\n",
                "line 4, orderer.batchTimeout: '250' is not a duration: a whole number with a unit h, m, s, ms, us or ns"
                        + " (e.g. 250ms, 2s)");
        refusedYaml("channel: c\nsequence: 1\norganizations:\n- mspId: O\n  rootCertificates: [not a certificate]\n",
                "line 5, organizations[0].rootCertificates[0]: not one PEM block of type CERTIFICATE"
                        + " (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
        refusedYaml("channel: c\n", "line 1, sequence: is missing");
        refusedYaml("channel: c\nsequence: 1\nchannel: d\n", "line 3: 'channel' appears twice");
        refusedYaml("channel: c\nsequence: 1\npolicies: [a]\n", "line 3, policies: expected an object (key: value lines),"
                + " found a list");
    }

    @Test
    void malformedJsonIsOneLineNamingTheLine() {
        assertThatThrownBy(() -> ConfigDocument.read("{\n  \"channel\": \"c\",\n  \"sequence\": 1,,\n}",
                ConfigDocument.Format.JSON)).isInstanceOf(ConfigFormatException.class)
                .hasMessageStartingWith("line 3: not valid JSON: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        refusedJson("{\n  \"channel\": \"c\",\n  \"sequence\": \"one\"\n}",
                "line 3, sequence: 'one' is not a whole number from 0 to 18446744073709551615");
        refusedJson("{\n  \"channel\": \"c\",\n  \"sequence\": 1,\n  \"orderer\": {\"consenters\": [{\"endpoint\": 7}]}\n}",
                "line 4, orderer.consenters[0].endpoint: '7' is not HOST:PORT with a port up to 65535");
        refusedJson("{\"channel\": \"c\", \"sequence\": 1} {}", "line 1: not valid JSON: more content after the document");
    }
}
