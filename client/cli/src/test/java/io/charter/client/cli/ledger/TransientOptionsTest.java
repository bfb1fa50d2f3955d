package io.charter.client.cli.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --transient NAME=VALUE} and {@code --transient-file FILE}: any name and value round-trip (property-based), and
 * every bad input is refused with {@code BAD_TRANSIENT}, exit 1, without quoting a value.
 */
class TransientOptionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> TRICKY = List.of("=", "==", "a=b", " ", "", "price", "120", "ünïcödé ✓", "😀",
            "line1\nline2", "tab\t", "{\"json\": 1}", "\\u0000", "\u0000", "'quoted'", "\"double\"", "@file", "--flag");
    // no lone surrogates (text that is not Unicode is refused, as aBadInputIsRefusedWithItsCode shows): QuickTheories
    // cuts its strings to length by chars, which would split a pair, so characters beyond the BMP come from TRICKY
    private static final Gen<String> TEXT = strings().betweenCodePoints(0x20, 0xD7FF).ofLengthBetween(0, 40)
            .mix(strings().betweenCodePoints(0xE000, 0xFFFD).ofLengthBetween(0, 12), 30)
            .mix(arbitrary().pick(TRICKY), 30);
    /** A name: not empty, no '=' (the first '=' ends it). */
    private static final Gen<String> NAME = TEXT.map(text -> "n" + text.replace("=", "_"));

    @TempDir
    Path dir;

    private static TransientOptions options(List<String> pairs, Path file) {
        TransientOptions options = new TransientOptions();
        options.pairs = new ArrayList<>(pairs);
        options.file = file;
        return options;
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void anyNameAndValueRoundTripThroughNameEqualsValueSplitAtTheFirstEquals() {
        qt().forAll(NAME, TEXT).checkAssert((name, value) -> {
            Map.Entry<String, byte[]> entry = TransientOptions.pair(name + "=" + value, 1);
            assertThat(entry.getKey()).isEqualTo(name);
            assertThat(entry.getValue()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    void anyJsonObjectOfStringsRoundTripsThroughAFileInItsOrder() {
        qt().forAll(NAME, TEXT, integers().between(0, 6)).checkAssert((name, value, extra) -> {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put(name, value);
            for (int i = 0; i < extra; i++) {
                expected.putIfAbsent("k" + i + value.hashCode(), value + i);
            }
            ObjectNode object = JSON.createObjectNode();
            expected.forEach(object::put);
            Map<String, byte[]> parsed = TransientOptions.fromJson(JSON.writeValueAsString(object), "test");
            assertThat(parsed.keySet()).containsExactlyElementsOf(expected.keySet());
            expected.forEach((k, v) -> assertThat(utf8(parsed.get(k))).isEqualTo(v));
        });
    }

    @Test
    void bothOptionsTogetherGiveThePairsThenTheFilesEntries() throws IOException {
        Path file = Files.writeString(dir.resolve("t.json"), """
                {"asset_properties": {"objectType": "asset_properties", "assetID": "asset1", "size": 1.50, "n": [1, "ü"]},
                 "note": "é=ok"}
                """);
        Map<String, byte[]> data = options(List.of("price=120", "empty=", "eq=a=b"), file).data();
        assertThat(data.keySet()).containsExactly("price", "empty", "eq", "asset_properties", "note");
        assertThat(utf8(data.get("price"))).isEqualTo("120");
        assertThat(data.get("empty")).isEmpty();
        assertThat(utf8(data.get("eq"))).isEqualTo("a=b");
        // an object value is its compact JSON text, as Fabric's samples pass a private asset; numbers as written
        assertThat(utf8(data.get("asset_properties")))
                .isEqualTo("{\"objectType\":\"asset_properties\",\"assetID\":\"asset1\",\"size\":1.50,\"n\":[1,\"ü\"]}");
        assertThat(data.get("note")).isEqualTo("é=ok".getBytes(StandardCharsets.UTF_8));
        assertThat(options(List.of(), null).data()).isEmpty();
        Path bom = Files.writeString(dir.resolve("bom.json"), "\uFEFF{\"a\": \"1\"}");
        assertThat(utf8(options(List.of(), bom).data().get("a"))).isEqualTo("1");
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < TransientOptions.MAX_ENTRIES; i++) {
            pairs.add("k" + i + "=v");
        }
        assertThat(options(pairs, null).data()).hasSize(TransientOptions.MAX_ENTRIES);
        String big = "x".repeat(TransientOptions.MAX_BYTES - 1);
        assertThat(options(List.of("k=" + big), null).data().get("k")).hasSize(TransientOptions.MAX_BYTES - 1);
    }

    private void refused(TransientOptions options, String expected, String... neverShown) {
        assertThatThrownBy(options::data).isInstanceOfSatisfying(CliException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(e.code()).isEqualTo("BAD_TRANSIENT");
            assertThat(e.getMessage()).startsWith("bad transient data (BAD_TRANSIENT): ").contains(expected);
            for (String secret : neverShown) {
                assertThat(e.getMessage()).doesNotContain(secret);
            }
        });
    }

    @Test
    void aBadInputIsRefusedWithItsCode() throws IOException {
        refused(options(List.of("a=1", "s3cr3t-no-equals"), null), "--transient number 2 has no '='", "s3cr3t");
        refused(options(List.of("=s3cr3t"), null), "--transient number 1 has an empty name", "s3cr3t");
        refused(options(List.of("price=s3cr3t1", "price=s3cr3t2"), null), "the name 'price' is given twice", "s3cr3t");
        refused(options(List.of("price=s3cr3t\uD800"), null), "('price'): not valid Unicode text", "s3cr3t");
        refused(options(List.of("bad\uDC00name=1"), null), "--transient: a name: not valid Unicode text");

        Path both = Files.writeString(dir.resolve("both.json"), "{\"price\": \"s3cr3t\"}");
        refused(options(List.of("price=1"), both), "the name 'price' is given twice; a name may be given once over --transient and --transient-file",
                "s3cr3t");
        Map<String, String> files = new LinkedHashMap<>();
        files.put("{\"a\": \"s3cr3t\", \"a\": \"s3cr3t2\"}", "a name appears twice");
        files.put("[\"s3cr3t\"]", "not a JSON object");
        files.put("\"s3cr3t\"", "not a JSON object");
        files.put("", "not a JSON object");
        files.put("{\"a\": \"s3cr3t\"", "not JSON (line 1");
        files.put("{\"a\": s3cr3t}", "not JSON (line 1, column");
        files.put("{\"a\": \"s3cr3t\"} {}", "not JSON");
        files.put("{\"a\": 12345}", "'a' is a number");
        files.put("{\"a\": true}", "'a' is a boolean");
        files.put("{\"a\": null}", "'a' is null");
        files.put("{\"a\": [\"s3cr3t\"]}", "'a' is an array");
        files.put("{\"\": \"s3cr3t\"}", "an empty name");
        files.put("{\"a\": \"s3cr3t\\ud800\"}", "'a': not valid Unicode text");
        int n = 0;
        for (Map.Entry<String, String> bad : files.entrySet()) {
            Path file = Files.writeString(dir.resolve("bad" + n++ + ".json"), bad.getKey());
            refused(options(List.of(), file), bad.getValue(), "s3cr3t", "12345");
        }
        Path notUtf8 = Files.write(dir.resolve("latin1.json"), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE9, '"', '}'});
        refused(options(List.of(), notUtf8), "is not UTF-8 text");
        refused(options(List.of(), dir.resolve("absent.json")), "cannot read --transient-file " + dir.resolve("absent.json")
                + ": no such file");
        refused(options(List.of(), dir), "cannot read --transient-file " + dir + ": a folder");
    }

    @Test
    void tooManyOrTooMuchIsRefusedOverBothOptions() throws IOException {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i <= TransientOptions.MAX_ENTRIES; i++) {
            pairs.add("k" + i + "=v");
        }
        refused(options(pairs, null), "more than 64 transient entries");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 10; i++) {
            many.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": \"v\"");
        }
        Path ten = Files.writeString(dir.resolve("ten.json"), many.append('}'));
        refused(options(pairs.subList(0, TransientOptions.MAX_ENTRIES - 5), ten), "more than 64 transient entries");

        String half = "x".repeat(TransientOptions.MAX_BYTES / 2);
        refused(options(List.of("a=" + half, "b=" + half), null), "larger than 1 MiB", "xxxx");
        Path halfFile = Files.writeString(dir.resolve("half.json"), "{\"c\": \"" + half + "\"}");
        refused(options(List.of("a=" + half), halfFile), "larger than 1 MiB", "xxxx");
        Path huge = Files.writeString(dir.resolve("huge.json"), "{\"c\": \"" + " ".repeat(TransientOptions.MAX_FILE_BYTES)
                + "\"}");
        refused(options(List.of(), huge), "is larger than 4 MiB");
    }
}
