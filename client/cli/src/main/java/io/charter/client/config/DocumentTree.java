package io.charter.client.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * A parsed YAML or JSON document as objects, arrays and scalar texts, each with the line it started on, so that
 * {@link ConfigDocument} can name the line and the field of whatever it refuses. Scalars keep their text as
 * written (a string field takes {@code 123} or {@code yes} as that text; YAML's implicit types do not apply).
 */
sealed interface DocumentTree {

    int line();

    /** Where the node is, for messages: "object", "list", "text". */
    String kind();

    record Obj(Map<String, DocumentTree> fields, Map<String, Integer> keyLines, int line) implements DocumentTree {
        public String kind() {
            return "an object";
        }
    }

    record Arr(List<DocumentTree> items, int line) implements DocumentTree {
        public String kind() {
            return "a list";
        }
    }

    /** A scalar; {@code text} is empty for a null ({@code ~}, {@code null} or nothing in YAML, {@code null} in JSON). */
    record Scalar(String text, boolean isNull, int line) implements DocumentTree {
        public String kind() {
            return isNull ? "empty" : "'" + text + "'";
        }
    }

    // ---- YAML

    static DocumentTree parseYaml(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(64 * 1024 * 1024);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Node root;
        try {
            root = yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : String.valueOf(e.getContext());
            throw new ConfigFormatException(mark == null ? 0 : mark.getLine() + 1, "", "not valid YAML: " + problem);
        } catch (YAMLException e) {
            throw new ConfigFormatException(0, "", "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigFormatException(0, "", "the document is empty");
        }
        return fromYaml(root);
    }

    private static DocumentTree fromYaml(Node node) {
        int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        return switch (node) {
            case MappingNode mapping -> {
                Map<String, DocumentTree> fields = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    int keyLine = tuple.getKeyNode().getStartMark().getLine() + 1;
                    if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                        throw new ConfigFormatException(keyLine, "", "a key must be a plain name, not "
                                + fromYaml(tuple.getKeyNode()).kind());
                    }
                    if (fields.containsKey(key.getValue())) {
                        throw new ConfigFormatException(keyLine, "", "'" + key.getValue() + "' appears twice");
                    }
                    fields.put(key.getValue(), fromYaml(tuple.getValueNode()));
                    keyLines.put(key.getValue(), keyLine);
                }
                yield new Obj(fields, keyLines, line);
            }
            case SequenceNode sequence -> new Arr(sequence.getValue().stream().map(DocumentTree::fromYaml).toList(), line);
            case ScalarNode scalar -> {
                boolean isNull = scalar.getTag().equals(Tag.NULL) && scalar.isPlain();
                yield new Scalar(isNull ? "" : scalar.getValue(), isNull, line);
            }
            default -> throw new ConfigFormatException(line, "", "unsupported YAML node " + node.getNodeId());
        };
    }

    // ---- JSON

    static DocumentTree parseJson(String text, JsonMapper mapper) {
        try (JsonParser parser = mapper.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ConfigFormatException(0, "", "the document is empty");
            }
            DocumentTree tree = fromJson(parser);
            if (parser.nextToken() != null) {
                throw new ConfigFormatException(parser.currentTokenLocation().getLineNr(), "",
                        "not valid JSON: more content after the document");
            }
            return tree;
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigFormatException(Math.max(line, 0), "", "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static DocumentTree fromJson(JsonParser parser) {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, DocumentTree> fields = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    if (fields.containsKey(name)) {
                        throw new ConfigFormatException(keyLine, "", "'" + name + "' appears twice");
                    }
                    parser.nextToken();
                    fields.put(name, fromJson(parser));
                    keyLines.put(name, keyLine);
                }
                return new Obj(fields, keyLines, line);
            }
            case START_ARRAY -> {
                List<DocumentTree> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(fromJson(parser));
                }
                return new Arr(items, line);
            }
            case VALUE_NULL -> {
                return new Scalar("", true, line);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(parser.getString(), false, line);
            }
            default -> throw new ConfigFormatException(line, "", "unexpected JSON token " + token);
        }
    }
}
