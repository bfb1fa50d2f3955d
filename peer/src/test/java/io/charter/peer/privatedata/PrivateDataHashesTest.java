package io.charter.peer.privatedata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.google.protobuf.ByteString;
import io.charter.protocol.CollectionHashedReadWriteSet;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.KeyWrite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The check a peer makes before it keeps private writes: exactly the writes whose hashes the transaction carries
 * pass; any change of a key, a value, a delete flag, the order or the count is caught, and the reason never holds a
 * key or a value.
 */
class PrivateDataHashesTest {

    @Test
    void writesMatchTheHashesMadeFromThem() {
        qt().withExamples(500).forAll(writes()).checkAssert(writes ->
                assertThat(PrivateDataHashes.mismatch(writes, hashedOf(writes))).isEmpty());
    }

    @Test
    void anyChangedValueKeyOrDeleteFlagIsCaughtWithoutNamingIt() {
        qt().withExamples(500).forAll(writes(), integers().between(0, 1_000), integers().between(0, 2))
                .assuming((writes, index, change) -> writes.getWritesCount() > 0)
                .checkAssert((writes, index, change) -> {
                    int at = index % writes.getWritesCount();
                    KeyWrite original = writes.getWrites(at);
                    KeyWrite changed = switch (change) {
                        case 0 -> original.toBuilder().setIsDelete(false)
                                .setValue(original.getValue().concat(ByteString.copyFromUtf8("!"))).build();
                        case 1 -> original.toBuilder().setKey(original.getKey() + "!").build();
                        default -> original.toBuilder().setIsDelete(!original.getIsDelete()).build();
                    };
                    CollectionPrivateWrites tampered = writes.toBuilder().setWrites(at, changed).build();
                    assertThat(PrivateDataHashes.mismatch(tampered, hashedOf(writes)))
                            .hasValueSatisfying(reason -> assertThat(reason).doesNotContain(original.getKey() + "!")
                                    .doesNotContain("secret"));
                });
    }

    @Test
    void aMissingOrAddedWriteOrAnotherOrderIsCaught() {
        qt().withExamples(300).forAll(writes()).assuming(writes -> writes.getWritesCount() > 1).checkAssert(writes -> {
            CollectionHashedReadWriteSet hashed = hashedOf(writes);
            assertThat(PrivateDataHashes.mismatch(writes.toBuilder().removeWrites(0).build(), hashed)).isPresent();
            assertThat(PrivateDataHashes.mismatch(writes.toBuilder().addWrites(writes.getWrites(0)).build(), hashed)).isPresent();
            List<KeyWrite> reversed = new java.util.ArrayList<>(writes.getWritesList());
            java.util.Collections.reverse(reversed);
            assertThat(PrivateDataHashes.mismatch(writes.toBuilder().clearWrites().addAllWrites(reversed).build(), hashed))
                    .isPresent();
        });
    }

    @Test
    void writesOfAnotherCollectionDoNotMatch() {
        CollectionPrivateWrites writes = CollectionPrivateWrites.newBuilder().setNamespace("ns").setCollection("a")
                .addWrites(KeyWrite.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v"))).build();
        assertThat(PrivateDataHashes.mismatch(writes, hashedOf(writes).toBuilder().setCollection("b").build())).isPresent();
    }

    @Test
    void keysAndValuesHashAsSha256OfTheirBytes() {
        // SHA-256("abc"), FIPS 180-2
        assertThat(PrivateDataHashes.keyHash("abc").toByteArray()).isEqualTo(java.util.HexFormat.of()
                .parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assertThat(PrivateDataHashes.valueHash("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(PrivateDataHashes.keyHash("abc"));
    }

    private static CollectionHashedReadWriteSet hashedOf(CollectionPrivateWrites writes) {
        CollectionHashedReadWriteSet.Builder hashed = CollectionHashedReadWriteSet.newBuilder().setCollection(writes.getCollection());
        writes.getWritesList().forEach(write -> hashed.addWrites(PrivateDataHashes.hashed(write)));
        return hashed.build();
    }

    /** Distinct keys (private writes name a key once), values holding "secret", some deletes. */
    private static Gen<CollectionPrivateWrites> writes() {
        return lists().of(strings().basicLatinAlphabet().ofLengthBetween(1, 12)).ofSizeBetween(0, 8)
                .zip(lists().of(integers().between(0, 9)).ofSize(8), (keys, kinds) -> {
                    Map<String, Integer> distinct = new LinkedHashMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        distinct.putIfAbsent(keys.get(i), kinds.get(i));
                    }
                    CollectionPrivateWrites.Builder builder = CollectionPrivateWrites.newBuilder().setNamespace("ns")
                            .setCollection("prices");
                    distinct.forEach((key, kind) -> builder.addWrites(kind == 0
                            ? KeyWrite.newBuilder().setKey(key).setIsDelete(true).build()
                            : KeyWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("secret-" + key + kind)).build()));
                    return builder.build();
                });
    }
}
