package dev.cellar.kernel.jshell;

import com.sun.tools.javac.parser.Scanner;
import com.sun.tools.javac.parser.ScannerFactory;
import com.sun.tools.javac.parser.Tokens.Token;
import com.sun.tools.javac.parser.Tokens.TokenKind;
import com.sun.tools.javac.util.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.DiagnosticListener;
import javax.tools.JavaFileObject;

/**
 * Java source as javac's scanner sees it: the token stream that code keys are made of, so that comments,
 * whitespace and formatting do not change a key while any identifier, literal or operator does. Uses
 * jdk.compiler's scanner (exported to cellar by jvm.options), the same one that compiles the cell.
 */
public final class CodeTokens {
    /** Marks text that is not a token stream (the scanner was unavailable or rejected the source). */
    static final String SOURCE_FALLBACK = "\u0000source\n";
    private static volatile boolean warned;

    private CodeTokens() {
    }

    /** One token: its kind and its text as it enters a key. */
    record Tok(TokenKind kind, String text) {}

    /**
     * The canonical rendering of {@code src}'s tokens: tokens separated by one space, a line break after
     * each {@code ;} outside parentheses and after each brace, so that a diff of two renderings shows
     * changed statements, never whitespace. String and char literals are rendered by value (escaped), so
     * re-indenting a text block changes nothing; other tokens by their exact text. Source the scanner
     * rejects (it would not compile either) is kept as written, behind a marker that no token stream has.
     */
    public static String canonical(String src) {
        List<Tok> toks = tokens(src);
        if (toks == null) {
            return SOURCE_FALLBACK + JavaTokens.normalize(src);
        }
        StringBuilder sb = new StringBuilder();
        int parens = 0;
        boolean lineStart = true;
        for (Tok t : toks) {
            if (t.kind() == TokenKind.RBRACE && !lineStart) {
                sb.append('\n');
                lineStart = true;
            }
            if (!lineStart) {
                sb.append(' ');
            }
            sb.append(t.text());
            lineStart = false;
            switch (t.kind()) {
                case LPAREN -> parens++;
                case RPAREN -> parens = Math.max(0, parens - 1);
                default -> { }
            }
            if ((t.kind() == TokenKind.SEMI && parens == 0) || t.kind() == TokenKind.LBRACE
                    || t.kind() == TokenKind.RBRACE) {
                sb.append('\n');
                lineStart = true;
            }
        }
        return sb.length() == 0 || lineStart ? sb.toString() : sb.append('\n').toString();
    }

    /**
     * For each name called as {@code name(...)} in {@code src}, the argument counts of its calls; a name
     * that also appears otherwise (a method reference {@code ::name}, a name in a string is not a token)
     * maps to a set containing -1, meaning "any overload". Null if the source cannot be scanned.
     */
    public static Map<String, Set<Integer>> callArities(String src) {
        List<Tok> toks = tokens(src);
        if (toks == null) {
            return null;
        }
        Map<String, Set<Integer>> calls = new HashMap<>();
        for (int i = 0; i < toks.size(); i++) {
            Tok t = toks.get(i);
            if (t.kind() != TokenKind.IDENTIFIER) {
                continue;
            }
            Set<Integer> arities = calls.computeIfAbsent(t.text(), k -> new HashSet<>());
            if (i + 1 < toks.size() && toks.get(i + 1).kind() == TokenKind.LPAREN) {
                arities.add(arguments(toks, i + 1));
            } else {
                arities.add(-1);
            }
        }
        return calls;
    }

    /** The number of arguments of the call whose '(' is at {@code open}; -1 if it is not closed. */
    private static int arguments(List<Tok> toks, int open) {
        int depth = 0;
        int commas = 0;
        boolean any = false;
        for (int i = open; i < toks.size(); i++) {
            TokenKind k = toks.get(i).kind();
            if (k == TokenKind.LPAREN || k == TokenKind.LBRACE || k == TokenKind.LBRACKET) {
                depth++;
            } else if (k == TokenKind.RPAREN || k == TokenKind.RBRACE || k == TokenKind.RBRACKET) {
                depth--;
                if (depth == 0) {
                    return any ? commas + 1 : 0;
                }
            } else if (depth == 1 && k == TokenKind.COMMA) {
                commas++;
            } else if (depth == 1 && (k == TokenKind.LT || k == TokenKind.ARROW)) {
                // `f(a < b, c > d)` and lambdas with parameter lists: commas may not separate arguments.
                return -1;
            }
            if (i > open) {
                any = true;
            }
        }
        return -1;
    }

    /**
     * The scanner factory, made once: a javac context allocates a name table of ~200 KB and builds its
     * keyword table, which cost 0.03-1.5 ms per scan when made anew (keying a cell scans its body, each
     * definition and each import, ~10 scans). Only used under this class's lock (javac's context is not
     * thread safe); dropped after any failure, so a scan never sees a context a failed one left behind.
     */
    private static ScannerFactory factory;

    /** The tokens of {@code src}, or null if the scanner is unavailable or rejects the source. */
    static synchronized List<Tok> tokens(String src) {
        try {
            if (factory == null) {
                Context context = new Context();
                context.put(DiagnosticListener.class, (DiagnosticListener<JavaFileObject>) d -> { });
                factory = ScannerFactory.instance(context);
            }
            Scanner s = factory.newScanner(src, false);
            List<Tok> out = new ArrayList<>();
            for (s.nextToken(); s.token().kind != TokenKind.EOF; s.nextToken()) {
                Token t = s.token();
                if (t.kind == TokenKind.ERROR) {
                    factory = null;
                    return null;
                }
                String text = switch (t.kind) {
                    case STRINGLITERAL -> quote('"', t.stringVal());
                    case CHARLITERAL -> quote('\'', t.stringVal());
                    default -> src.substring(t.pos, t.endPos);
                };
                out.add(new Tok(t.kind, text));
            }
            return out;
        } catch (IllegalAccessError e) {
            if (!warned) {
                warned = true;
                System.err.println("cellar: warning: this JVM does not export javac's scanner to cellar (the options "
                        + "in jvm.options are missing; reinstall the kernel with scripts/install-kernel): cell keys "
                        + "use the source text, so comments and formatting change them");
            }
            return null;
        } catch (RuntimeException e) {
            // javac reports lexical errors (an unterminated string, ...) by throwing without a source file.
            factory = null;
            return null;
        }
    }

    private static String quote(char q, String value) {
        StringBuilder sb = new StringBuilder().append(q);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(q).toString();
    }
}
