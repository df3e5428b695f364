package dev.cnnc.runtime.interchange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for file headers such as safetensors': objects, arrays,
 * strings with every escape, integers and the literals {@code true}, {@code false}, {@code null}.
 *
 * <p>Values come back as {@code Map<String, Object>} (keys in file order), {@code List<Object>},
 * {@code String}, {@code Long}, {@code Boolean} or {@code null}. Deliberately refused, each with
 * a {@link JsonSyntaxException} giving the position: numbers with a fraction or exponent (headers
 * need none, and refusing them keeps every number exact), integers outside {@code long}, duplicate
 * keys (two readers could pick different ones), control characters inside strings, nesting deeper
 * than {@value #MAX_DEPTH} (so a hostile header cannot overflow the stack) and anything after the
 * top-level value except whitespace.
 */
public final class JsonParser {
    /** Deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int position;
    private int depth;

    private JsonParser(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value that fills the whole text (surrounding whitespace allowed).
     *
     * @throws JsonSyntaxException naming the first offending position
     */
    public static Object parse(String text) throws JsonSyntaxException {
        JsonParser parser = new JsonParser(text);
        parser.skipWhitespace();
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.position < text.length()) {
            throw parser.error("unexpected " + parser.describeCurrent() + " after the end of the JSON value");
        }
        return value;
    }

    private Object value() throws JsonSyntaxException {
        if (position >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return integer();
                }
                throw error("unexpected " + describeCurrent() + ", expected a value");
        }
    }

    private Map<String, Object> object() throws JsonSyntaxException {
        enterNesting();
        position++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            depth--;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeCurrent() + ", expected a string key");
            }
            int keyPosition = position;
            String key = string();
            if (members.containsKey(key)) {
                throw new JsonSyntaxException("duplicate key " + quote(key), keyPosition);
            }
            skipWhitespace();
            expect(':', "after the key " + quote(key));
            skipWhitespace();
            members.put(key, value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else if (peek() == '}') {
                position++;
                depth--;
                return Collections.unmodifiableMap(members);
            } else {
                throw error("unexpected " + describeCurrent() + ", expected ',' or '}' in an object");
            }
        }
    }

    private List<Object> array() throws JsonSyntaxException {
        enterNesting();
        position++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            depth--;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else if (peek() == ']') {
                position++;
                depth--;
                return Collections.unmodifiableList(elements);
            } else {
                throw error("unexpected " + describeCurrent() + ", expected ',' or ']' in an array");
            }
        }
    }

    private String string() throws JsonSyntaxException {
        int start = position;
        position++; // opening quote
        StringBuilder result = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw new JsonSyntaxException("unterminated string", start);
            }
            char c = text.charAt(position);
            if (c == '"') {
                position++;
                return result.toString();
            }
            if (c < 0x20) {
                throw error("control character U+" + hex4(c) + " inside a string (escape it)");
            }
            if (c != '\\') {
                result.append(c);
                position++;
                continue;
            }
            if (position + 1 >= text.length()) {
                throw new JsonSyntaxException("unterminated string", start);
            }
            char escape = text.charAt(position + 1);
            switch (escape) {
                case '"': result.append('"'); break;
                case '\\': result.append('\\'); break;
                case '/': result.append('/'); break;
                case 'b': result.append('\b'); break;
                case 'f': result.append('\f'); break;
                case 'n': result.append('\n'); break;
                case 'r': result.append('\r'); break;
                case 't': result.append('\t'); break;
                case 'u':
                    result.append(unicodeEscape());
                    continue; // unicodeEscape moved past the escape
                default:
                    throw error("invalid escape \\" + printable(escape));
            }
            position += 2;
        }
    }

    /** {@code \}{@code uXXXX} at {@code position}; surrogate pairs come as two escapes, appended one by one. */
    private char unicodeEscape() throws JsonSyntaxException {
        if (position + 6 > text.length()) {
            throw error("incomplete \\u escape");
        }
        int code = 0;
        for (int i = position + 2; i < position + 6; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw error("invalid \\u escape " + printable(text.substring(position, position + 6)));
            }
            code = code * 16 + digit;
        }
        position += 6;
        return (char) code;
    }

    private Long integer() throws JsonSyntaxException {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        int digitsStart = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        int digits = position - digitsStart;
        if (digits == 0) {
            throw error("expected a digit after '-'");
        }
        if (digits > 1 && text.charAt(digitsStart) == '0') {
            throw new JsonSyntaxException("leading zero in number " + text.substring(start, position), start);
        }
        char next = peek();
        if (next == '.' || next == 'e' || next == 'E') {
            throw new JsonSyntaxException("only integers are supported, found a fraction or exponent", start);
        }
        String literal = text.substring(start, position);
        try {
            return Long.valueOf(literal);
        } catch (NumberFormatException tooLarge) {
            throw new JsonSyntaxException("integer " + literal + " does not fit in 64 bits", start);
        }
    }

    private Object literal(String word, Object value) throws JsonSyntaxException {
        if (!text.startsWith(word, position)) {
            throw error("unexpected " + describeCurrent() + ", expected a value");
        }
        position += word.length();
        return value;
    }

    private void enterNesting() throws JsonSyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char wanted, String where) throws JsonSyntaxException {
        if (peek() != wanted) {
            throw error("unexpected " + describeCurrent() + ", expected '" + wanted + "' " + where);
        }
        position++;
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    /** The current char, or {@code 0} at the end (0 is never valid outside a string here). */
    private char peek() {
        return position < text.length() ? text.charAt(position) : 0;
    }

    private String describeCurrent() {
        return position >= text.length() ? "end of text" : "'" + printable(text.charAt(position)) + "'";
    }

    private JsonSyntaxException error(String problem) {
        return new JsonSyntaxException(problem, position);
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? "\\u" + hex4(c) : String.valueOf(c);
    }

    private static String printable(String s) {
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            result.append(printable(s.charAt(i)));
        }
        return result.toString();
    }

    private static String hex4(char c) {
        String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return "0000".substring(hex.length()) + hex;
    }

    /**
     * {@code value} as a JSON string literal: quotes, backslashes and control characters escaped,
     * everything else (including non-ASCII) kept as is, to be encoded as UTF-8.
     */
    public static String quote(String value) {
        StringBuilder result = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': result.append("\\\""); break;
                case '\\': result.append("\\\\"); break;
                case '\n': result.append("\\n"); break;
                case '\r': result.append("\\r"); break;
                case '\t': result.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        result.append("\\u").append(hex4(c));
                    } else {
                        result.append(c);
                    }
            }
        }
        return result.append('"').toString();
    }
}
