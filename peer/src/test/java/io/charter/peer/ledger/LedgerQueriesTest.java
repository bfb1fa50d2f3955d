package io.charter.peer.ledger;

import static io.charter.peer.testing.ChannelFixture.CONTRACT;
import static io.charter.peer.testing.ChannelFixture.delete;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.read;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static io.charter.peer.testing.ChannelFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.testing.RequiresDocker;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestPeer;
import io.charter.peer.validation.CommitResult;
import io.charter.protocol.NamespaceReadWriteSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Range scans, rich JSON queries and key history over a ledger filled through the committer. */
@RequiresDocker
class LedgerQueriesTest {

    /** A namespace of keys from across Unicode, for the database's order against {@link KeyOrder}'s. */
    private static final String ORDERED = "ordered";
    private static final Set<String> ORDERED_KEYS = orderedKeys();

    private static PeerDatabases databases;
    private static ChannelFixture fixture;
    private static TestPeer peer;
    private static Ledger ledger;

    @BeforeAll
    static void fill() {
        databases = PeerDatabases.start();
        fixture = new ChannelFixture();
        peer = new TestPeer(databases.dataSource(databases.createDatabase()), fixture);
        ledger = peer.ledger;
        // Block 1: 25 assets with JSON values, a non-JSON value, another namespace, keys sorting bytewise.
        NamespaceReadWriteSet.Builder assets = ns(CONTRACT);
        for (int i = 0; i < 25; i++) {
            String owner = i % 3 == 0 ? "alice" : "bob";
            assets.addWrites(write(String.format("asset%02d", i),
                    "{\"owner\":\"" + owner + "\",\"size\":" + i + ",\"tags\":[\"t" + (i % 2) + "\"]}"));
        }
        assets.addWrites(write("binary", "not json {"));
        assets.addWrites(write("Zeta", "{\"owner\":\"alice\",\"size\":100}"));
        assets.addWrites(write("émile", "{\"owner\":\"alice\",\"size\":101}"));
        NamespaceReadWriteSet.Builder ordered = ns(ORDERED);
        ORDERED_KEYS.forEach(key -> ordered.addWrites(write(key, "x")));
        commit(fixture.tx(rwset(assets, ns("other").addWrites(write("asset00", "{\"owner\":\"alice\"}")), ordered)));
        // Blocks 2 and 3: asset01 updated, then deleted.
        commit(fixture.tx(rwset(ns(CONTRACT).addReads(read("asset01", 1, 0)).addWrites(write("asset01", "{\"owner\":\"carol\"}")))));
        commit(fixture.tx(rwset(ns(CONTRACT).addReads(read("asset01", 2, 0)).addWrites(delete("asset01")))));
    }

    private static void commit(ChannelFixture.Tx tx) {
        CommitResult result = peer.committer.commit(fixture.block(ledger.lastHeader().orElseThrow(), tx));
        assertThat(result).isInstanceOfSatisfying(CommitResult.Committed.class,
                committed -> assertThat(committed.validCount()).isEqualTo(1));
    }

    @AfterAll
    static void stop() {
        peer.close();
        databases.close();
    }

    @Test
    void rangeScanPagesThroughKeysInBytewiseOrder() {
        List<String> keys = new ArrayList<>();
        String bookmark = null;
        int pages = 0;
        do {
            StatePage page = ledger.range(CONTRACT, "asset", "asset99", 10, bookmark);
            page.entries().forEach(entry -> keys.add(entry.key()));
            bookmark = page.bookmark().orElse(null);
            pages++;
        } while (bookmark != null);

        assertThat(pages).isEqualTo(3);
        assertThat(keys).hasSize(24).doesNotContain("asset01").startsWith("asset00", "asset02").endsWith("asset24");
        assertThat(ledger.range(CONTRACT, "", "", 100, null).entries()).extracting(VersionedValue::key)
                .containsSubsequence("Zeta", "asset00", "binary", "émile");
        assertThat(ledger.range(CONTRACT, "asset05", "asset07", 100, null).entries())
                .extracting(VersionedValue::key).containsExactly("asset05", "asset06");
        assertThat(ledger.range(CONTRACT, "asset05", "asset07", 100, null).entries().getFirst().version())
                .isEqualTo(new KeyVersion(1, 0));
    }

    @Test
    void theDatabaseOrdersKeysAsKeyOrderDoes() {
        List<String> byKeyOrder = ORDERED_KEYS.stream().sorted(KeyOrder.COMPARATOR).toList();
        assertThat(byKeyOrder).as("the sample tells code point order from UTF-16 order")
                .isNotEqualTo(ORDERED_KEYS.stream().sorted().toList());

        assertThat(ledger.rangeVersions(ORDERED, "", "", 10_000)).extracting(Map.Entry::getKey)
                .containsExactlyElementsOf(byKeyOrder);
        List<String> paged = new ArrayList<>();
        String bookmark = null;
        do {
            StatePage page = ledger.range(ORDERED, "", "", 37, bookmark);
            page.entries().forEach(entry -> paged.add(entry.key()));
            bookmark = page.bookmark().orElse(null);
        } while (bookmark != null);
        assertThat(paged).containsExactlyElementsOf(byKeyOrder);
        // bounds compare in the same order: [U+E000, U+10000) holds the basic plane's last characters only
        String start = "\uE000";
        String end = "\uD800\uDC00";
        assertThat(ledger.rangeVersions(ORDERED, start, end, 10_000)).extracting(Map.Entry::getKey)
                .isNotEmpty()
                .containsExactlyElementsOf(byKeyOrder.stream()
                        .filter(key -> KeyOrder.compare(key, start) >= 0 && KeyOrder.compare(key, end) < 0).toList());
    }

    @Test
    void richQueryByContainmentAndByJsonPathWithParameters() {
        StatePage alice = ledger.query(CONTRACT, RichQuery.containing("{\"owner\":\"alice\"}"), 100, null);
        assertThat(alice.entries()).extracting(VersionedValue::key)
                .containsExactly("Zeta", "asset00", "asset03", "asset06", "asset09", "asset12", "asset15", "asset18",
                        "asset21", "asset24", "émile");

        StatePage big = ledger.query(CONTRACT,
                RichQuery.jsonPath("$ ? (@.owner == $owner && @.size >= $min)", "{\"owner\":\"bob\",\"min\":20}"), 100, null);
        assertThat(big.entries()).extracting(VersionedValue::key).containsExactly("asset20", "asset22", "asset23");

        StatePage tagged = ledger.query(CONTRACT, RichQuery.jsonPath("$.tags[*] ? (@ == \"t1\")", null), 5, null);
        assertThat(tagged.entries()).hasSize(5);
        StatePage rest = ledger.query(CONTRACT, RichQuery.jsonPath("$.tags[*] ? (@ == \"t1\")", null), 100,
                tagged.bookmark().orElseThrow());
        // t1: odd sizes 1..23 without the deleted asset01 = 11
        assertThat(tagged.entries().size() + rest.entries().size()).isEqualTo(11);
        assertThat(rest.bookmark()).isEmpty();
    }

    @Test
    void richQueryFiltersAreParametersNotSql() {
        StatePage injected = ledger.query(CONTRACT, RichQuery.containing("{\"owner\":\"x' or '1'='1\"}"), 100, null);
        assertThat(injected.entries()).isEmpty();
        assertThatThrownBy(() -> ledger.query(CONTRACT, RichQuery.containing("{not json"), 10, null))
                .isInstanceOf(LedgerException.class).hasMessageContaining("rich query");
        assertThatThrownBy(() -> ledger.query(CONTRACT, RichQuery.jsonPath("$ ? (", null), 10, null))
                .isInstanceOf(LedgerException.class);
    }

    /**
     * 400 keys of 1 to 5 code points drawn (with a fixed seed) from ASCII, the rest of the basic plane, U+E000..U+FFFF
     * and the supplementary planes, and keys that differ just where UTF-16 and code point order part.
     */
    private static Set<String> orderedKeys() {
        Set<String> keys = new LinkedHashSet<>(List.of("a", "a\uFFFD", "a\uD83D\uDE00", "a\uE000", "a\uD800\uDC00",
                "a\uD7FF", "\uFFFF", "\uDBFF\uDFFF", "ab", "a\u007F", "a\u0080", "A", "é", "e\u0301"));
        int[][] ranges = {{1, 0x7F}, {0x80, 0xD7FF}, {0xE000, 0xFFFF}, {0x10000, 0x10FFFF}};
        Random random = new Random(17);
        while (keys.size() < 400) {
            int length = 1 + random.nextInt(5);
            int[] codePoints = new int[length];
            for (int i = 0; i < length; i++) {
                int[] range = ranges[random.nextInt(ranges.length)];
                codePoints[i] = range[0] + random.nextInt(range[1] - range[0] + 1);
            }
            keys.add(new String(codePoints, 0, length));
        }
        return keys;
    }

    @Test
    void keyHistoryListsEveryWriteAndTheDelete() {
        List<HistoryEntry> history = ledger.history(CONTRACT, "asset01");

        assertThat(history).extracting(HistoryEntry::version)
                .containsExactly(new KeyVersion(1, 0), new KeyVersion(2, 0), new KeyVersion(3, 0));
        assertThat(history).extracting(HistoryEntry::deleted).containsExactly(false, false, true);
        assertThat(new String(history.get(1).value())).isEqualTo("{\"owner\":\"carol\"}");
        assertThat(history.get(2).value()).isNull();
        assertThat(history.get(1).txId()).hasSize(64).isNotEqualTo(history.get(0).txId());
        assertThat(ledger.get(CONTRACT, "asset01")).isEmpty();
        assertThat(ledger.history("other", "asset00")).hasSize(1);
    }
}
