package io.charter.peer.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClearingCacheTest {

    private final List<String> computed = new ArrayList<>();

    private String compute(String key) {
        computed.add(key);
        return key.toUpperCase();
    }

    @Test
    void aCachedValueIsComputedOnce() {
        ClearingCache<String, String> cache = new ClearingCache<>(10);

        assertThat(cache.get("a", this::compute)).isEqualTo("A");
        assertThat(cache.get("a", this::compute)).isEqualTo("A");
        assertThat(computed).containsExactly("a");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aFullCacheIsEmptiedBeforeItTakesAnotherValueSoItNeverHoldsMoreThanItsCapacity() {
        ClearingCache<String, String> cache = new ClearingCache<>(2);
        cache.get("a", this::compute);
        cache.get("b", this::compute);
        assertThat(cache.size()).isEqualTo(2);

        assertThat(cache.get("c", this::compute)).isEqualTo("C");
        assertThat(cache.size()).isEqualTo(1);
        cache.get("a", this::compute);
        assertThat(computed).containsExactly("a", "b", "c", "a");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aCacheHoldsAtLeastOneValueAndNoNull() {
        assertThatThrownBy(() -> new ClearingCache<String, String>(0)).isInstanceOf(IllegalArgumentException.class);
        ClearingCache<String, String> one = new ClearingCache<>(1);
        one.get("a", this::compute);
        one.get("b", this::compute);
        assertThat(one.size()).isEqualTo(1);
        assertThatThrownBy(() -> one.get("c", key -> null)).isInstanceOf(NullPointerException.class);
        assertThat(one.size()).isEqualTo(1);
    }
}
