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

    /**
     * True if every use of the variable {@code name} in {@code src} only reads a 1-D array: {@code
     * name.length}, {@code name[i]} not assigned, incremented or decremented, or {@code for (x : name)}.
     * Anything else (passing it to a method, aliasing it, {@code name[i] = ..}) is false: the caller must
     * then check the array's content. Over-approximates writes, never reads.
     */
    public static boolean onlyIndexed(String src, String name) {
        boolean[] code = codeMask(src);
        int n = src.length();
        for (int at = src.indexOf(name); at >= 0; at = src.indexOf(name, at + 1)) {
            int end = at + name.length();
            if (!code[at] || (at > 0 && Character.isJavaIdentifierPart(src.charAt(at - 1)))
                    || (end < n && Character.isJavaIdentifierPart(src.charAt(end)))
                    || previous(src, code, at) == '.') {
                continue;
            }
            int next = skipSpace(src, end);
            if (src.startsWith(".length", next) && (next + 7 >= n || !Character.isJavaIdentifierPart(src.charAt(next + 7)))) {
                continue;
            }
            if (next < n && src.charAt(next) == ')' && previous(src, code, at) == ':') {
                continue; // the iterable of an enhanced for
            }
            if (next >= n || src.charAt(next) != '[') {
                return false;
            }
            int depth = 0;
            int close = -1;
            for (int i = next; i < n; i++) {
                if (!code[i]) {
                    continue;
                }
                char c = src.charAt(i);
                depth += c == '[' ? 1 : c == ']' ? -1 : 0;
                if (depth == 0) {
                    close = i;
                    break;
                }
            }
            if (close < 0) {
                return false;
            }
            int after = skipSpace(src, close + 1);
            String rest = src.substring(after, Math.min(n, after + 4));
            boolean write = rest.startsWith("++") || rest.startsWith("--") || rest.startsWith("[")
                    || rest.matches("(=[^=]|=$|[-+*/%&|^]=|<<=|>>=|>>>).*");
            int before = at - 1;
            while (before >= 0 && Character.isWhitespace(src.charAt(before))) {
                before--;
            }
            boolean preIncrement = before >= 1 && (src.startsWith("++", before - 1) || src.startsWith("--", before - 1));
            if (write || preIncrement) {
                return false;
            }
        }
        return true;
    }

    private static char previous(String src, boolean[] code, int at) {
        for (int i = at - 1; i >= 0; i--) {
            if (code[i] && !Character.isWhitespace(src.charAt(i))) {
                return src.charAt(i);
            }
        }
        return 0;
    }

    private static int skipSpace(String src, int i) {
        while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
            i++;
        }
        return i;
    }
}
