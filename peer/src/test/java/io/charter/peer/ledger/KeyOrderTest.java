package io.charter.peer.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The ledger's key order is the order of code points, i.e. of UTF-8 bytes (PostgreSQL's collation "C"). */
class KeyOrderTest {

    @Test
    void ordersKeysAsTheirUtf8BytesCompareUnsigned() {
        qt().withExamples(5_000)
                .forAll(keys(), keys())
                .checkAssert((a, b) -> assertThat(Integer.signum(KeyOrder.compare(a, b)))
                        .as("%s vs %s", show(a), show(b))
                        .isEqualTo(Integer.signum(Arrays.compareUnsigned(utf8(a), utf8(b)))));
    }

    @Test
    void ordersKeysByCodePointWhenTheyShareAPrefix() {
        qt().withExamples(5_000)
                .forAll(keys(), keys(), keys())
                .checkAssert((prefix, a, b) -> assertThat(Integer.signum(KeyOrder.compare(prefix + a, prefix + b)))
                        .as("%s + %s vs %s", show(prefix), show(a), show(b))
                        .isEqualTo(Integer.signum(Arrays.compare(codePoints(prefix + a), codePoints(prefix + b)))));
    }

    @Test
    void isAntisymmetricAndZeroOnlyForEqualKeys() {
        qt().withExamples(5_000)
                .forAll(keys(), keys())
                .checkAssert((a, b) -> {
                    assertThat(Integer.signum(KeyOrder.compare(a, b))).isEqualTo(-Integer.signum(KeyOrder.compare(b, a)));
                    assertThat(KeyOrder.compare(a, b) == 0).isEqualTo(a.equals(b));
                });
    }

    @Test
    void agreesWithStringCompareToWithinTheBasicPlaneBelowTheSurrogates() {
        Gen<String> lowKeys = lists().of(Generate.range(1, 0xD7FF)).ofSizeBetween(0, 6).map(KeyOrderTest::string);
        qt().withExamples(2_000)
                .forAll(lowKeys, lowKeys)
                .checkAssert((a, b) -> assertThat(Integer.signum(KeyOrder.compare(a, b)))
                        .isEqualTo(Integer.signum(a.compareTo(b))));
    }

    @Test
    void putsTheLastBasicPlaneCharactersBeforeSupplementaryOnesWhereCompareToDoesNot() {
        String privateUse = "key\uE000";
        String replacement = "key\uFFFD";
        String emoji = "key\uD83D\uDE00"; // U+1F600, a surrogate pair in UTF-16
        String first = "key\uD800\uDC00"; // U+10000

        assertThat(KeyOrder.compare(privateUse, emoji)).isNegative();
        assertThat(KeyOrder.compare(replacement, first)).isNegative();
        assertThat(privateUse.compareTo(emoji)).as("UTF-16 order, which the ledger does not follow").isPositive();
        assertThat(List.of(emoji, "key", first, replacement, "keyz", privateUse).stream().sorted(KeyOrder.COMPARATOR))
                .containsExactly("key", "keyz", privateUse, replacement, first, emoji);
    }

    @Test
    void aKeySortsAfterItsPrefixes() {
        assertThat(KeyOrder.compare("asset", "asset1")).isNegative();
        assertThat(KeyOrder.compare("asset\uD83D\uDE00", "asset")).isPositive();
        assertThat(KeyOrder.compare("", "")).isZero();
    }

    /**
     * Keys of up to 6 code points, weighted towards the ranges where UTF-16 and code point order part: ASCII, the
     * rest of the basic plane below the surrogates, U+E000..U+FFFF, and the supplementary planes. Never U+0000
     * nor a lone surrogate, which no key holds.
     */
    static Gen<String> keys() {
        Gen<Integer> codePoint = Generate.frequency(List.of(
                org.quicktheories.api.Pair.of(3, Generate.range(1, 0x7F)),
                org.quicktheories.api.Pair.of(1, Generate.range(0x80, 0xD7FF)),
                org.quicktheories.api.Pair.of(2, Generate.range(0xE000, 0xFFFF)),
                org.quicktheories.api.Pair.of(2, Generate.range(0x10000, 0x10FFFF))));
        return lists().of(codePoint).ofSizeBetween(0, 6).map(KeyOrderTest::string);
    }

    private static String string(List<Integer> codePoints) {
        return new String(codePoints.stream().mapToInt(Integer::intValue).toArray(), 0, codePoints.size());
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static int[] codePoints(String key) {
        return key.codePoints().toArray();
    }

    private static String show(String key) {
        return key.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList().toString();
    }
}
