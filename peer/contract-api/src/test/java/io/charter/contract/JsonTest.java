package io.charter.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsAndWritesObjectsInOrder() {
        String text = "{\"id\":\"a1\",\"size\":5,\"price\":1.5,\"tags\":[\"x\",true,null],\"q\":\"\\\"\\u00e9\\n\"}";
        Map<String, Object> value = Json.parseObject(text);
        assertThat(value).containsEntry("id", "a1").containsEntry("size", 5L)
                .containsEntry("price", new BigDecimal("1.5"));
        assertThat(value.get("tags")).isEqualTo(java.util.Arrays.asList("x", true, null));
        assertThat(value.get("q")).isEqualTo("\"é\n");
        assertThat(Json.write(value)).isEqualTo("{\"id\":\"a1\",\"size\":5,\"price\":1.5,\"tags\":[\"x\",true,null],\"q\":\"\\\"é\\n\"}");
        Map<String, Object> built = new LinkedHashMap<>();
        built.put("b", 1);
        built.put("a", List.of());
        assertThat(Json.write(built)).isEqualTo("{\"b\":1,\"a\":[]}");
    }

    @Test
    void refusesMalformedJson() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1 2]", "01", "{\"a\":1}x", "\"\u0001\"", "{\"a\":1,\"a\":2}", "nul")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(ContractException.class, e -> assertThat(e.code()).isEqualTo("INVALID_JSON"));
        }
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(ContractException.class);
    }
}
