package dev.cellar.kernel.jshell;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The identifiers a piece of Java source mentions, skipping comments, string, text-block and char
 * literals. Identifiers right after a dot are member names ({@code obj.n}, {@code Math.max}) and
 * cannot denote a session variable, method or type, so they are left out; everything else is kept
 * (over-approximation is the safe side for cache keys).
 */
public final class JavaTokens {
    private JavaTokens() {
    }

    public static Set<String> identifiers(String src) {
        Set<String> ids = new LinkedHashSet<>();
        int n = src.length();
        int i = 0;
        char prevSignificant = 0;
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '"' && src.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !src.startsWith("\"\"\"", end)) {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                i = Math.min(n, end + 3);
                prevSignificant = '"';
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && src.charAt(end) != c && src.charAt(end) != '\n') {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                i = Math.min(n, end + 1);
                prevSignificant = c;
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = i;
                while (i < n && Character.isJavaIdentifierPart(src.charAt(i))) {
                    i++;
                }
                if (prevSignificant != '.') {
                    ids.add(src.substring(start, i));
                }
                prevSignificant = 'a';
            } else if (Character.isDigit(c)) {
                // Numeric literals, including 1e10, 0x1F and 10L: not identifiers.
                while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_'
                        || src.charAt(i) == '.')) {
                    i++;
                }
                prevSignificant = '0';
            } else {
                if (!Character.isWhitespace(c)) {
                    prevSignificant = c;
                }
                i++;
            }
        }
        return ids;
    }

    /**
     * The source with trailing whitespace removed from every line and blank lines removed at both ends
     * (indentation is kept: it is part of what the user wrote).
     */
    public static String normalize(String src) {
        String[] lines = src.replace("\r\n", "\n").split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String l = line.stripTrailing();
            if (sb.length() > 0 || !l.isEmpty()) {
                sb.append(l).append('\n');
            }
        }
        return sb.length() == 0 ? "" : sb.toString().stripTrailing() + "\n";
    }

    /**
     * For each character of {@code src}, whether it is code: false inside comments and string, text-block
     * and char literals (including their quotes).
     */
    public static boolean[] codeMask(String src) {
        int n = src.length();
        boolean[] code = new boolean[n];
        int i = 0;
        while (i < n) {
            char c = src.charAt(i);
            int end;
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                end = src.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (c == '"' && src.startsWith("\"\"\"", i)) {
                end = i + 3;
                while (end < n && !src.startsWith("\"\"\"", end)) {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 3);
            } else if (c == '"' || c == '\'') {
                end = i + 1;
                while (end < n && src.charAt(end) != c && src.charAt(end) != '\n') {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
            } else {
                code[i++] = true;
                continue;
            }
            i = end;
        }
        return code;
    }
}
