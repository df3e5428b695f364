package dev.cnnc.runtime.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonParserTest {

    @Test
    void objectKeepsKeysInFileOrder() throws Exception {
        Map<?, ?> object = (Map<?, ?>) JsonParser.parse("{\"b\":1,\"a\":2,\"c\":3}");
        assertEquals(List.of("b", "a", "c"), new ArrayList<>(object.keySet()));
        assertEquals(2L, object.get("a"));
    }

    @Test
    void nestedValuesOfEveryKind() throws Exception {
        Object value = JsonParser.parse(
                " {\"t\": {\"dtype\": \"F32\", \"shape\": [6, 3, 5, 5], \"ok\": true, \"no\": false, \"none\": null,"
                        + " \"empty\": {}, \"list\": []}}\n\t\r ");
        Map<?, ?> tensor = (Map<?, ?>) ((Map<?, ?>) value).get("t");
        assertEquals("F32", tensor.get("dtype"));
        assertEquals(List.of(6L, 3L, 5L, 5L), tensor.get("shape"));
        assertEquals(Boolean.TRUE, tensor.get("ok"));
        assertEquals(Boolean.FALSE, tensor.get("no"));
        assertNull(tensor.get("none"));
        assertEquals(true, tensor.containsKey("none"));
        assertEquals(Map.of(), tensor.get("empty"));
        assertEquals(List.of(), tensor.get("list"));
    }

    @Test
    void integersAtTheEdgesOfLong() throws Exception {
        assertEquals(List.of(0L, -0L, 9223372036854775807L, -9223372036854775808L, -17L),
                JsonParser.parse("[0,-0,9223372036854775807,-9223372036854775808,-17]"));
    }

    @Test
    void stringEscapesAreDecoded() throws Exception {
        assertEquals("q\" b\\ s/ \b\f\n\r\t é 😀 plain ü",
                JsonParser.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 plain ü\""));
    }

    @Test
    void topLevelScalarsAreValues() throws Exception {
        assertEquals("x", JsonParser.parse("\"x\""));
        assertEquals(42L, JsonParser.parse("42"));
        assertNull(JsonParser.parse(" null "));
    }

    @Test
    void quoteEscapesWhatJsonRequiresAndRoundTrips() throws Exception {
        String text = "a\"b\\c\nd\u0001e é";
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001e é\"", JsonParser.quote(text));
        assertEquals(text, JsonParser.parse(JsonParser.quote(text)));
    }

    @Test
    void deepButAllowedNestingParses() throws Exception {
        String text = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        assertEquals(true, JsonParser.parse(text) instanceof List);
    }

    @Test
    void refusesEachDefectWithItsPosition() {
        // text, expected message fragment, expected position
        Object[][] cases = {
            {"", "unexpected end of text, expected a value", 0},
            {"   ", "unexpected end of text, expected a value", 3},
            {"{\"a\":1,}", "unexpected '}', expected a string key", 7},
            {"[1,]", "unexpected ']', expected a value", 3},
            {"{\"a\" 1}", "unexpected '1', expected ':' after the key \"a\"", 5},
            {"{\"a\":1 \"b\":2}", "expected ',' or '}' in an object", 7},
            {"[1 2]", "expected ',' or ']' in an array", 3},
            {"{a:1}", "unexpected 'a', expected a string key", 1},
            {"\"abc", "unterminated string", 0},
            {"[\"ab\\", "unterminated string", 1},
            {"\"a\nb\"", "control character U+000A inside a string", 2},
            {"\"\\x\"", "invalid escape \\x", 1},
            {"\"\\u12g4\"", "invalid \\u escape \\u12g4", 1},
            {"\"\\u12\"", "incomplete \\u escape", 1},
            {"1.5", "only integers are supported", 0},
            {"[2e3]", "only integers are supported", 1},
            {"012", "leading zero in number 012", 0},
            {"-", "expected a digit after '-'", 1},
            {"9223372036854775808", "integer 9223372036854775808 does not fit in 64 bits", 0},
            {"{\"k\":1,\"k\":2}", "duplicate key \"k\"", 7},
            {"{} x", "unexpected 'x' after the end of the JSON value", 3},
            {"tru", "unexpected 't', expected a value", 0},
            {"nul1", "unexpected 'n', expected a value", 0},
            {"\u00e9", "unexpected '\\u00E9', expected a value", 0},
        };
        List<String> failures = new ArrayList<>();
        for (Object[] c : cases) {
            String text = (String) c[0];
            try {
                Object value = JsonParser.parse(text);
                failures.add(JsonParser.quote(text) + " parsed as " + value);
            } catch (JsonSyntaxException e) {
                if (!e.getMessage().contains((String) c[1]) || e.position() != (Integer) c[2]) {
                    failures.add(JsonParser.quote(text) + ": expected \"" + c[1] + "\" at " + c[2] + ", got \""
                            + e.getMessage() + "\" at " + e.position());
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedNotAStackOverflow() {
        String text = "[".repeat(100_000);
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> JsonParser.parse(text));
        assertEquals("nesting deeper than 64 levels at position 64", e.getMessage());
    }

    @Test
    void messageEndsWithThePosition() {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> JsonParser.parse("[1,,2]"));
        assertEquals("unexpected ',', expected a value at position 3", e.getMessage());
        assertEquals(3, e.position());
    }

    @Test
    void parsedContainersAreReadOnly() throws Exception {
        Map<?, ?> object = (Map<?, ?>) JsonParser.parse("{\"a\":[1]}");
        assertThrows(UnsupportedOperationException.class, () -> object.remove("a"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) object.get("a")).clear());
    }
}
