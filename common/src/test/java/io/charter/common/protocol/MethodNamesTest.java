package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodNamesTest {

    private static final Map<String, Class<?>> ROLES = Map.of("peer", PeerMethodNames.class,
            "orderer", OrdererMethodNames.class);

    @Test
    void everyMethodNameIsItsRoleDotAnUpperCamelMethodNamedLikeItsConstant() throws IllegalAccessException {
        for (Map.Entry<String, Class<?>> role : ROLES.entrySet()) {
            List<Field> constants = constants(role.getValue());
            assertThat(constants).as(role.getKey()).isNotEmpty();
            for (Field constant : constants) {
                String name = (String) constant.get(null);
                assertThat(name).as(constant.getName()).matches(role.getKey() + "\\.[A-Z][A-Za-z]*");
                String method = name.substring(role.getKey().length() + 1);
                assertThat(method.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase()).as(name)
                        .isEqualTo(constant.getName());
            }
        }
    }

    @Test
    void noTwoMethodsShareAName() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Class<?> role : ROLES.values()) {
            for (Field constant : constants(role)) {
                names.add((String) constant.get(null));
            }
        }
        assertThat(names).doesNotHaveDuplicates();
    }

    private static List<Field> constants(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .toList();
    }
}
