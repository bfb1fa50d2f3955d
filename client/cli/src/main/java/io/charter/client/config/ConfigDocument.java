package io.charter.client.config;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.protocol.BatchSize;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A channel's configuration ({@link ChannelConfig}) as a document people read and edit, in YAML or JSON, and back,
 * without loss: certificates and CRLs as PEM, endpoints as {@code HOST:PORT}, sizes with binary units
 * ({@code 2 MiB}), the batch timeout with a unit ({@code 250ms}), policies as text. The layout:
 *
 * <pre>
 * channel: mychannel
 * sequence: 0
 * policies: {Admins: "AND('Org1MSP.admin', 'Org2MSP.admin')", ...}
 * organizations:
 * - mspId: Org1MSP
 *   rootCertificates: [PEM], intermediateCertificates: [PEM], tlsRootCertificates: [PEM],
 *   tlsIntermediateCertificates: [PEM], crls: [PEM], policies: {...}, anchorPeers: [HOST:PORT]
 * orderer:
 *   consenters:
 *   - {endpoint: HOST:PORT, mspId: OrdererMSP, certificate: PEM, clientTlsCertificate: PEM, serverTlsCertificate: PEM}
 *   batchSize: {maxMessageCount: 500, preferredMaxBytes: 2 MiB, absoluteMaxBytes: 10 MiB}
 *   batchTimeout: 250ms
 *   maxEnvelopeBytes: 0
 * </pre>
 *
 * Empty lists and maps are left out and read as empty. A consenter identity that is not a plain
 * {@code SerializedIdentity} is kept as {@code identityBase64}. Reading refuses unknown fields, duplicate keys,
 * wrong types and malformed values with a {@link ConfigFormatException} naming the line and field.
 */
public final class ConfigDocument {

    /** The two formats. */
    public enum Format {
        YAML, JSON;

        /** JSON for a name ending in {@code .json}, YAML otherwise. */
        public static Format ofFileName(String name) {
            return name.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger UINT32_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String CRL = "X509 CRL";
    private static final Pattern PEM = Pattern.compile(
            "\\s*-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END ([A-Z0-9 ]+)-----\\s*");
    private static final Pattern ENDPOINT = Pattern.compile("(.*):(\\d{1,5})");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");
    private static final Pattern DURATION = Pattern.compile("(-?\\d+)\\s*(h|m|s|ms|us|ns)");
    private static final List<String> SIZE_UNITS = List.of("TiB", "GiB", "MiB", "KiB");

    private ConfigDocument() {}

    // ---- writing

    public static String write(ChannelConfig config, Format format) {
        return format == Format.JSON ? toJson(config) : toYaml(config);
    }

    public static String toJson(ChannelConfig config) {
        return JSON.writeValueAsString(tree(config)) + "\n";
    }

    public static String toYaml(ChannelConfig config) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        Representer representer = new Representer(options) {
            @Override
            protected Node representScalar(Tag tag, String value, DumperOptions.ScalarStyle style) {
                // PEM blocks and other multi-line text as literal blocks: readable, and copied as they are
                return super.representScalar(tag, value, Tag.STR.equals(tag) && value.contains("\n")
                        ? DumperOptions.ScalarStyle.LITERAL : style);
            }
        };
        return new Yaml(representer, options).dump(tree(config));
    }

    /** The document as maps, lists, strings and numbers (the JSON shape), for printing or embedding. */
    public static Map<String, Object> tree(ChannelConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("channel", config.getChannelId());
        root.put("sequence", unsigned(config.getSequence()));
        if (config.getPoliciesCount() > 0) {
            root.put("policies", new TreeMap<>(config.getPoliciesMap()));
        }
        if (config.getOrganizationsCount() > 0) {
            root.put("organizations", config.getOrganizationsList().stream().map(ConfigDocument::organization).toList());
        }
        if (config.hasOrderer()) {
            root.put("orderer", orderer(config.getOrderer()));
        }
        return root;
    }

    private static Map<String, Object> organization(OrganizationConfig organization) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("mspId", organization.getMspId());
        putPems(map, "rootCertificates", organization.getRootCertsList(), CERTIFICATE);
        putPems(map, "intermediateCertificates", organization.getIntermediateCertsList(), CERTIFICATE);
        putPems(map, "tlsRootCertificates", organization.getTlsRootCertsList(), CERTIFICATE);
        putPems(map, "tlsIntermediateCertificates", organization.getTlsIntermediateCertsList(), CERTIFICATE);
        putPems(map, "crls", organization.getCrlsList(), CRL);
        if (organization.getPoliciesCount() > 0) {
            map.put("policies", new TreeMap<>(organization.getPoliciesMap()));
        }
        if (organization.getAnchorPeersCount() > 0) {
            map.put("anchorPeers", organization.getAnchorPeersList().stream().map(ConfigDocument::endpoint).toList());
        }
        return map;
    }

    private static Map<String, Object> orderer(OrdererConfig orderer) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (orderer.getConsentersCount() > 0) {
            map.put("consenters", orderer.getConsentersList().stream().map(ConfigDocument::consenter).toList());
        }
        if (orderer.hasBatchSize()) {
            BatchSize size = orderer.getBatchSize();
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("maxMessageCount", Integer.toUnsignedLong(size.getMaxMessageCount()));
            batch.put("preferredMaxBytes", size(size.getPreferredMaxBytes()));
            batch.put("absoluteMaxBytes", size(size.getAbsoluteMaxBytes()));
            map.put("batchSize", batch);
        }
        if (orderer.hasBatchTimeout()) {
            map.put("batchTimeout", duration(orderer.getBatchTimeout()));
        }
        if (orderer.getMaxEnvelopeBytes() != 0) {
            map.put("maxEnvelopeBytes", size(orderer.getMaxEnvelopeBytes()));
        }
        return map;
    }

    private static Map<String, Object> consenter(Consenter consenter) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (consenter.hasEndpoint()) {
            map.put("endpoint", endpoint(consenter.getEndpoint()));
        }
        ByteString identity = consenter.getIdentity();
        if (!identity.isEmpty()) {
            SerializedIdentity parsed = plainIdentity(identity);
            if (parsed != null) {
                if (!parsed.getMspId().isEmpty()) {
                    map.put("mspId", parsed.getMspId());
                }
                if (!parsed.getCertificate().isEmpty()) {
                    map.put("certificate", pem(CERTIFICATE, parsed.getCertificate()));
                }
            } else {
                map.put("identityBase64", Base64.getEncoder().encodeToString(identity.toByteArray()));
            }
        }
        if (!consenter.getClientTlsCert().isEmpty()) {
            map.put("clientTlsCertificate", pem(CERTIFICATE, consenter.getClientTlsCert()));
        }
        if (!consenter.getServerTlsCert().isEmpty()) {
            map.put("serverTlsCertificate", pem(CERTIFICATE, consenter.getServerTlsCert()));
        }
        return map;
    }

    /** The identity when its bytes are exactly what its msp id and certificate encode to, else null. */
    private static SerializedIdentity plainIdentity(ByteString bytes) {
        try {
            SerializedIdentity parsed = SerializedIdentity.parseFrom(bytes);
            return parsed.getUnknownFields().asMap().isEmpty() && parsed.toByteString().equals(bytes) ? parsed : null;
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static void putPems(Map<String, Object> map, String key, List<ByteString> ders, String label) {
        if (!ders.isEmpty()) {
            map.put(key, ders.stream().map(der -> pem(label, der)).toList());
        }
    }

    static String pem(String label, ByteString der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der.toByteArray());
        return "-----BEGIN " + label + "-----\n" + (body.isEmpty() ? "" : body + "\n") + "-----END " + label + "-----\n";
    }

    static String endpoint(Endpoint endpoint) {
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    private static Object unsigned(long value) {
        return value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
    }

    /** A size in bytes: with the largest binary unit that divides it exactly, else a plain number. */
    static Object size(long bytes) {
        if (bytes != 0) {
            for (String unit : SIZE_UNITS) {
                long factor = unitFactor(unit);
                if (Long.remainderUnsigned(bytes, factor) == 0) {
                    return Long.toUnsignedString(Long.divideUnsigned(bytes, factor)) + " " + unit;
                }
            }
        }
        return unsigned(bytes);
    }

    private static long unitFactor(String unit) {
        return switch (unit) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            default -> 1;
        };
    }

    /** A duration with the largest unit that divides it exactly: {@code 250ms}, {@code 2s}, {@code 1h}. */
    static String duration(Duration duration) {
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds()).multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(duration.getNanos()));
        if (nanos.signum() == 0) {
            return "0s";
        }
        for (String unit : List.of("h", "m", "s", "ms", "us")) {
            BigInteger[] divided = nanos.divideAndRemainder(nanosPer(unit));
            if (divided[1].signum() == 0) {
                return divided[0] + unit;
            }
        }
        return nanos + "ns";
    }

    private static BigInteger nanosPer(String unit) {
        return BigInteger.valueOf(switch (unit) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us" -> 1_000L;
            default -> 1L;
        });
    }

    // ---- reading

    /** Reads a document in {@code format}; throws {@link ConfigFormatException} naming the line and field. */
    public static ChannelConfig read(String text, Format format) {
        DocumentTree tree = format == Format.JSON ? DocumentTree.parseJson(text, JSON) : DocumentTree.parseYaml(text);
        return new Reader().config(tree);
    }

    /** Walks the tree with the current field path, for messages. */
    private static final class Reader {

        ChannelConfig config(DocumentTree tree) {
            DocumentTree.Obj root = object(tree, "");
            known(root, "", Set.of("channel", "sequence", "policies", "organizations", "orderer"));
            ChannelConfig.Builder config = ChannelConfig.newBuilder()
                    .setChannelId(text(required(root, "", "channel"), "channel"))
                    .setSequence(unsignedLong(required(root, "", "sequence"), "sequence", UINT64_MAX));
            optional(root, "policies").ifPresent(p -> policies(p, "policies", config::putPolicies));
            optional(root, "organizations").ifPresent(list -> {
                List<DocumentTree> items = list(list, "organizations");
                for (int i = 0; i < items.size(); i++) {
                    config.addOrganizations(organization(items.get(i), "organizations[" + i + "]"));
                }
            });
            optional(root, "orderer").ifPresent(o -> config.setOrderer(orderer(o, "orderer")));
            return config.build();
        }

        private OrganizationConfig organization(DocumentTree tree, String path) {
            DocumentTree.Obj obj = object(tree, path);
            known(obj, path, Set.of("mspId", "rootCertificates", "intermediateCertificates", "tlsRootCertificates",
                    "tlsIntermediateCertificates", "crls", "policies", "anchorPeers"));
            OrganizationConfig.Builder organization = OrganizationConfig.newBuilder()
                    .setMspId(text(required(obj, path, "mspId"), path + ".mspId"));
            pems(obj, path, "rootCertificates", CERTIFICATE, organization::addRootCerts);
            pems(obj, path, "intermediateCertificates", CERTIFICATE, organization::addIntermediateCerts);
            pems(obj, path, "tlsRootCertificates", CERTIFICATE, organization::addTlsRootCerts);
            pems(obj, path, "tlsIntermediateCertificates", CERTIFICATE, organization::addTlsIntermediateCerts);
            pems(obj, path, "crls", CRL, organization::addCrls);
            optional(obj, "policies").ifPresent(p -> policies(p, path + ".policies", organization::putPolicies));
            optional(obj, "anchorPeers").ifPresent(list -> {
                List<DocumentTree> items = list(list, path + ".anchorPeers");
                for (int i = 0; i < items.size(); i++) {
                    organization.addAnchorPeers(endpoint(items.get(i), path + ".anchorPeers[" + i + "]"));
                }
            });
            return organization.build();
        }

        private OrdererConfig orderer(DocumentTree tree, String path) {
            DocumentTree.Obj obj = object(tree, path);
            known(obj, path, Set.of("consenters", "batchSize", "batchTimeout", "maxEnvelopeBytes"));
            OrdererConfig.Builder orderer = OrdererConfig.newBuilder();
            optional(obj, "consenters").ifPresent(list -> {
                List<DocumentTree> items = list(list, path + ".consenters");
                for (int i = 0; i < items.size(); i++) {
                    orderer.addConsenters(consenter(items.get(i), path + ".consenters[" + i + "]"));
                }
            });
            optional(obj, "batchSize").ifPresent(b -> {
                String at = path + ".batchSize";
                DocumentTree.Obj batch = object(b, at);
                known(batch, at, Set.of("maxMessageCount", "preferredMaxBytes", "absoluteMaxBytes"));
                BatchSize.Builder size = BatchSize.newBuilder();
                optional(batch, "maxMessageCount").ifPresent(v -> size.setMaxMessageCount(
                        (int) unsignedLong(v, at + ".maxMessageCount", UINT32_MAX)));
                optional(batch, "preferredMaxBytes").ifPresent(v -> size.setPreferredMaxBytes(bytes(v, at + ".preferredMaxBytes")));
                optional(batch, "absoluteMaxBytes").ifPresent(v -> size.setAbsoluteMaxBytes(bytes(v, at + ".absoluteMaxBytes")));
                orderer.setBatchSize(size);
            });
            optional(obj, "batchTimeout").ifPresent(v -> orderer.setBatchTimeout(duration(v, path + ".batchTimeout")));
            optional(obj, "maxEnvelopeBytes").ifPresent(v -> orderer.setMaxEnvelopeBytes(bytes(v, path + ".maxEnvelopeBytes")));
            return orderer.build();
        }

        private Consenter consenter(DocumentTree tree, String path) {
            DocumentTree.Obj obj = object(tree, path);
            known(obj, path, Set.of("endpoint", "mspId", "certificate", "identityBase64", "clientTlsCertificate",
                    "serverTlsCertificate"));
            Consenter.Builder consenter = Consenter.newBuilder();
            optional(obj, "endpoint").ifPresent(e -> consenter.setEndpoint(endpoint(e, path + ".endpoint")));
            if (obj.fields().containsKey("identityBase64")) {
                if (obj.fields().containsKey("mspId") || obj.fields().containsKey("certificate")) {
                    throw new ConfigFormatException(obj.keyLines().get("identityBase64"), path, "give either mspId and"
                            + " certificate or identityBase64, not both");
                }
                DocumentTree value = obj.fields().get("identityBase64");
                try {
                    consenter.setIdentity(ByteString.copyFrom(Base64.getDecoder().decode(
                            text(value, path + ".identityBase64"))));
                } catch (IllegalArgumentException e) {
                    throw new ConfigFormatException(value.line(), path + ".identityBase64", "not base64: " + e.getMessage());
                }
            } else if (obj.fields().containsKey("mspId") || obj.fields().containsKey("certificate")) {
                SerializedIdentity.Builder identity = SerializedIdentity.newBuilder();
                optional(obj, "mspId").ifPresent(m -> identity.setMspId(text(m, path + ".mspId")));
                optional(obj, "certificate").ifPresent(c -> identity.setCertificate(pemValue(c, path + ".certificate",
                        CERTIFICATE)));
                consenter.setIdentity(identity.build().toByteString());
            }
            optional(obj, "clientTlsCertificate").ifPresent(c -> consenter.setClientTlsCert(
                    pemValue(c, path + ".clientTlsCertificate", CERTIFICATE)));
            optional(obj, "serverTlsCertificate").ifPresent(c -> consenter.setServerTlsCert(
                    pemValue(c, path + ".serverTlsCertificate", CERTIFICATE)));
            return consenter.build();
        }

        // ---- values

        private static void policies(DocumentTree tree, String path, BiConsumer<String, String> put) {
            DocumentTree.Obj obj = object(tree, path);
            obj.fields().forEach((name, rule) -> {
                if (name.isBlank()) {
                    throw new ConfigFormatException(obj.keyLines().get(name), path, "a policy name is empty");
                }
                put.accept(name, text(rule, path + "." + name));
            });
        }

        private static void pems(DocumentTree.Obj obj, String path, String key, String label,
                java.util.function.Consumer<ByteString> add) {
            optional(obj, key).ifPresent(list -> {
                List<DocumentTree> items = list(list, path + "." + key);
                for (int i = 0; i < items.size(); i++) {
                    add.accept(pemValue(items.get(i), path + "." + key + "[" + i + "]", label));
                }
            });
        }

        private static ByteString pemValue(DocumentTree tree, String path, String label) {
            String value = text(tree, path);
            Matcher matcher = PEM.matcher(value);
            if (!matcher.matches() || !matcher.group(1).equals(label) || !matcher.group(3).equals(label)) {
                throw new ConfigFormatException(tree.line(), path, "not one PEM block of type " + label
                        + " (-----BEGIN " + label + "----- ... -----END " + label + "-----)");
            }
            try {
                return ByteString.copyFrom(Base64.getMimeDecoder().decode(matcher.group(2)));
            } catch (IllegalArgumentException e) {
                throw new ConfigFormatException(tree.line(), path, "the PEM block's base64 is damaged: " + e.getMessage());
            }
        }

        private static Endpoint endpoint(DocumentTree tree, String path) {
            String value = text(tree, path);
            Matcher matcher = ENDPOINT.matcher(value);
            if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535) {
                throw new ConfigFormatException(tree.line(), path, "'" + value + "' is not HOST:PORT with a port up to 65535");
            }
            return Endpoint.newBuilder().setHost(matcher.group(1)).setPort(Integer.parseInt(matcher.group(2))).build();
        }

        private static long bytes(DocumentTree tree, String path) {
            String value = text(tree, path).strip();
            Matcher matcher = SIZE.matcher(value);
            if (!matcher.matches()) {
                throw new ConfigFormatException(tree.line(), path, "'" + value + "' is not a size: a whole number of"
                        + " bytes, or with a unit B, KiB, MiB, GiB or TiB (e.g. 2 MiB)");
            }
            BigInteger result = new BigInteger(matcher.group(1)).multiply(BigInteger.valueOf(
                    matcher.group(2) == null ? 1 : unitFactor(matcher.group(2))));
            if (result.compareTo(UINT64_MAX) > 0) {
                throw new ConfigFormatException(tree.line(), path, "'" + value + "' is larger than 2^64 - 1 bytes");
            }
            return result.longValue();
        }

        private static Duration duration(DocumentTree tree, String path) {
            String value = text(tree, path).strip();
            Matcher matcher = DURATION.matcher(value);
            if (!matcher.matches()) {
                throw new ConfigFormatException(tree.line(), path, "'" + value + "' is not a duration: a whole number"
                        + " with a unit h, m, s, ms, us or ns (e.g. 250ms, 2s)");
            }
            BigInteger[] split = new BigInteger(matcher.group(1)).multiply(nanosPer(matcher.group(2)))
                    .divideAndRemainder(NANOS_PER_SECOND);
            if (split[0].bitLength() > 63) {
                throw new ConfigFormatException(tree.line(), path, "'" + value + "' is too long a duration");
            }
            return Duration.newBuilder().setSeconds(split[0].longValue()).setNanos(split[1].intValue()).build();
        }

        private static long unsignedLong(DocumentTree tree, String path, BigInteger max) {
            String value = text(tree, path).strip();
            if (!value.matches("\\d{1,20}") || new BigInteger(value).compareTo(max) > 0) {
                throw new ConfigFormatException(tree.line(), path, "'" + value + "' is not a whole number from 0 to " + max);
            }
            return new BigInteger(value).longValue();
        }

        private static String text(DocumentTree tree, String path) {
            if (tree instanceof DocumentTree.Scalar scalar && !scalar.isNull()) {
                return scalar.text();
            }
            throw new ConfigFormatException(tree.line(), path, "expected a text value, found " + tree.kind());
        }

        private static DocumentTree.Obj object(DocumentTree tree, String path) {
            if (tree instanceof DocumentTree.Obj obj) {
                return obj;
            }
            throw new ConfigFormatException(tree.line(), path, "expected an object (key: value lines), found " + tree.kind());
        }

        private static List<DocumentTree> list(DocumentTree tree, String path) {
            if (tree instanceof DocumentTree.Arr arr) {
                return arr.items();
            }
            if (tree instanceof DocumentTree.Scalar scalar && scalar.isNull()) {
                return List.of();
            }
            throw new ConfigFormatException(tree.line(), path, "expected a list, found " + tree.kind());
        }

        private static DocumentTree required(DocumentTree.Obj obj, String path, String key) {
            DocumentTree value = obj.fields().get(key);
            if (value == null) {
                throw new ConfigFormatException(obj.line(), path.isEmpty() ? key : path + "." + key, "is missing");
            }
            return value;
        }

        /** The field's value, absent when missing or null (an empty list or map reads the same). */
        private static java.util.Optional<DocumentTree> optional(DocumentTree.Obj obj, String key) {
            DocumentTree value = obj.fields().get(key);
            if (value instanceof DocumentTree.Scalar scalar && scalar.isNull()
                    && !Set.of("mspId", "endpoint", "certificate").contains(key)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.ofNullable(value);
        }

        private static void known(DocumentTree.Obj obj, String path, Set<String> keys) {
            for (var entry : obj.keyLines().entrySet()) {
                if (!keys.contains(entry.getKey())) {
                    List<String> sorted = new ArrayList<>(keys);
                    sorted.sort(null);
                    throw new ConfigFormatException(entry.getValue(), path, "unknown field '" + entry.getKey()
                            + "' (known: " + String.join(", ", sorted) + ")");
                }
            }
        }
    }
}
