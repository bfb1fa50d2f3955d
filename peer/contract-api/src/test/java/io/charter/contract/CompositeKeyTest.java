package io.charter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeKeyTest {

    @Test
    void encodesWithU0001AndParsesBack() {
        CompositeKey key = CompositeKey.of("asset", "Org1", "a1");
        assertThat(key.toKey()).isEqualTo("\u0001asset\u0001Org1\u0001a1\u0001");
        assertThat(key.toKey()).doesNotContain("\u0000");
        assertThat(CompositeKey.parse(key.toKey())).isEqualTo(key);
        assertThat(CompositeKey.parse(CompositeKey.of("t").toKey()).attributes()).isEmpty();
        assertThat(CompositeKey.isComposite(key.toKey())).isTrue();
        assertThat(CompositeKey.isComposite("a1")).isFalse();
    }

    @Test
    void aPartialKeyIsAPrefixOfTheFullKeysInByteOrder() {
        String partial = CompositeKey.of("asset", "Org1").toKey();
        assertThat(CompositeKey.of("asset", "Org1", "a1").toKey()).startsWith(partial);
        assertThat(CompositeKey.of("asset", "Org10", "a1").toKey()).doesNotStartWith(partial);
    }

    @Test
    void refusesSeparatorsAndNulInParts() {
        for (String bad : List.of("a\u0000b", "a\u0001b", "x" + CompositeKey.MAX)) {
            assertThatThrownBy(() -> CompositeKey.of("asset", bad))
                    .isInstanceOfSatisfying(ContractException.class, e -> assertThat(e.code()).isEqualTo("INVALID_KEY"));
        }
        assertThatThrownBy(() -> CompositeKey.of("")).isInstanceOf(ContractException.class);
        assertThatThrownBy(() -> CompositeKey.parse("plain")).isInstanceOf(ContractException.class);
    }
}
