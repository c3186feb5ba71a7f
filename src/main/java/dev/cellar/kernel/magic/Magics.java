package dev.cellar.kernel.magic;

import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.jshell.JavaTokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The magics of a kernel and how a cell reaches them: {@code %%name args} on the first line hands the
 * cell to a cell magic; {@code %name args} lines at the top run line magics before the Java below
 * them; {@code x = %name args} inside code is the magic's value (as in IJava), compiled into a call of
 * {@link #inline}. Every other cell is Java for the session.
 */
public final class Magics {
    /** {@code = %name args} to the end of the line; the '=' is an assignment, not part of ==, <=, ... */
    private static final Pattern INLINE = Pattern.compile("(?<![=!<>%&|^+\\-*/])=\\s*%([A-Za-z_]\\w*)([^\\n]*)");
    /** A line that starts with a line magic. */
    private static final Pattern LINE = Pattern.compile("(?m)^[ \\t]*%([A-Za-z_]\\w*)");

    /**
     * The registries that inline uses reach; snippets run in this JVM and call {@link #inline}
     * statically. Several kernels may share a JVM (tests): a call finds its own by the class loader of
     * the snippet thread, which is its session's.
     */
    private static final Map<Magics, Boolean> ALL = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private static volatile Magics current;

    private final JShellEvaluator evaluator;
    private final Map<String, LineMagic> lineMagics = new ConcurrentHashMap<>();
    private final Map<String, CellMagic> cellMagics = new ConcurrentHashMap<>();
    /** One-line descriptions for %lsmagic, by "%name" and "%%name". */
    private final Map<String, String> descriptions = new ConcurrentHashMap<>();
    private final SessionLibraries libraries = new SessionLibraries();
    /** The cell being run, so that magics running code (%load, %time) label its errors with it. */
    private volatile int currentCell;

    public Magics(JShellEvaluator evaluator) {
        this.evaluator = evaluator;
        new ClassPathMagics(evaluator, libraries).register(this);
        TimeMagic time = new TimeMagic(this);
        registerLine("time", time::line, "run one statement and print its wall and CPU time");
        registerCell("time", time::cell, "run the cell and print its wall and CPU time");
        registerLine("load", new LoadMagic(this), "run the snippets of a .jsh or .java file as a cell");
        registerLine("lsmagic", args -> help(""), "list every magic with a line about it");
        registerLine("help", this::help, "describe the magics (or one: %help NAME)");
        current = this;
        ALL.put(this, Boolean.TRUE);
    }

    /** Adds a line magic {@code %name}; replaces one of the same name. */
    public void registerLine(String name, LineMagic magic) {
        lineMagics.put(name, magic);
    }

    /** Adds a line magic {@code %name} with the line {@code %lsmagic} shows for it. */
    public void registerLine(String name, LineMagic magic, String description) {
        lineMagics.put(name, magic);
        descriptions.put("%" + name, description);
    }

    /** Adds a cell magic {@code %%name}; replaces one of the same name. */
    public void registerCell(String name, CellMagic magic) {
        cellMagics.put(name, magic);
    }

    /** Adds a cell magic {@code %%name} with the line {@code %lsmagic} shows for it. */
    public void registerCell(String name, CellMagic magic, String description) {
        cellMagics.put(name, magic);
        descriptions.put("%%" + name, description);
    }

    /** The jars and directories the session added to its class path (they enter cached cells' keys). */
    public SessionLibraries libraries() {
        return libraries;
    }

    /** Every magic name with its prefix ({@code %name}, {@code %%name}), sorted; for completion. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        lineMagics.keySet().forEach(n -> out.add("%" + n));
        cellMagics.keySet().forEach(n -> out.add("%%" + n));
        Collections.sort(out);
        return out;
    }

    int currentCell() {
        return currentCell;
    }

    /** {@code %lsmagic} and {@code %help [NAME]}: each magic with its one-line description. */
    private Object help(String args) throws CellError {
        String want = args.strip().replaceFirst("^%+", "");
        StringBuilder sb = new StringBuilder();
        for (String n : names()) {
            String bare = n.replaceFirst("^%+", "");
            if (want.isEmpty() || bare.equals(want)) {
                sb.append(String.format("%-14s %s%n", n, descriptions.getOrDefault(n, "")));
            }
        }
        if (sb.length() == 0) {
            throw new CellError.MagicError("%help: no magic named '" + args.strip() + "'; %lsmagic lists them");
        }
        System.out.print(sb);
        return null;
    }

    /** Runs a cell: its cell magic, or its top line magics and then its Java. */
    public CellValue run(String code, int cell) throws Exception {
        currentCell = cell;
        String[] lines = code.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length && lines[first].strip().startsWith("%%")) {
            String magicLine = lines[first].strip();
            String name = magicLine.substring(2).split("\\s+", 2)[0];
            String args = magicLine.substring(2 + name.length()).strip();
            CellMagic m = cellMagics.get(name);
            if (m == null) {
                throw new CellError.MagicError("unknown cell magic %%" + name + "; known: " + known(cellMagics, "%%"));
            }
            // Keep the body on its original lines so that errors name the cell's own line numbers.
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                body.append(i <= first ? "" : lines[i]).append(i < lines.length - 1 ? "\n" : "");
            }
            evaluator.remember(cell, code);
            return m.run(args, body.toString(), cell);
        }
        // Line magics at the top of a cell; the rest of the cell is Java.
        StringBuilder rest = new StringBuilder();
        boolean inMagics = true;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (inMagics && l.startsWith("%") && !l.startsWith("%%")) {
                String name = l.substring(1).split("\\s+", 2)[0];
                line(name).run(l.substring(1 + name.length()).strip());
                rest.append(i < lines.length - 1 ? "\n" : "");
                continue;
            }
            if (!l.isEmpty() && !l.startsWith("//")) {
                inMagics = false;
            }
            rest.append(lines[i]).append(i < lines.length - 1 ? "\n" : "");
        }
        String java = inlineCalls(rest.toString());
        evaluator.remember(cell, rest.toString()); // errors quote the cell as written
        JShellEvaluator.Result r = evaluator.run(evaluator.split(java), cell);
        return new CellValue(r.hasValue(), r.value());
    }

    private LineMagic line(String name) throws CellError {
        LineMagic m = lineMagics.get(name);
        if (m == null) {
            throw new CellError.MagicError("unknown line magic %" + name + "; known: " + known(lineMagics, "%"));
        }
        return m;
    }

    private static String known(Map<String, ?> magics, String prefix) {
        return magics.keySet().stream().sorted().map(n -> prefix + n).collect(Collectors.joining(", "));
    }

    /**
     * Java with every {@code = %name args} replaced by a call of {@link #inline}, on the same line; a
     * line magic below Java code is refused with a message saying where line magics go.
     */
    String inlineCalls(String java) throws CellError {
        if (java.indexOf('%') < 0) {
            return java;
        }
        boolean[] code = JavaTokens.codeMask(java);
        Matcher stray = LINE.matcher(java);
        while (stray.find()) {
            int at = stray.start(1) - 1;
            if (code[at]) {
                int lineNo = JShellEvaluator.lineOf(java, at) + 1;
                throw new CellError.MagicError("line " + lineNo + ": %" + stray.group(1) + " comes after Java code;"
                        + " line magics go at the top of a cell, or are used as a value: var x = %"
                        + stray.group(1) + " ...");
            }
        }
        StringBuilder out = new StringBuilder();
        Matcher m = INLINE.matcher(java);
        int last = 0;
        while (m.find()) {
            int percent = java.indexOf('%', m.start());
            if (!code[m.start()] || !code[percent]) {
                continue;
            }
            String name = m.group(1);
            line(name); // unknown names fail now, not when the snippet runs
            String args = m.group(2).strip();
            if (args.endsWith(";")) {
                args = args.substring(0, args.length() - 1).strip();
            }
            out.append(java, last, m.start()).append("= dev.cellar.kernel.magic.Magics.inline(")
                    .append(literal(name)).append(", ").append(literal(args)).append(");");
            last = m.end();
        }
        return out.append(java.substring(last)).toString();
    }

    private static String literal(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * The value of {@code %name args} used inside code. Public only because generated snippets call it.
     *
     * @throws Exception what the magic throws; the cell reports it as its error
     */
    @SuppressWarnings("unchecked")
    public static <T> T inline(String name, String args) throws Exception {
        ClassLoader session = Thread.currentThread().getContextClassLoader();
        Magics m = current;
        synchronized (ALL) {
            for (Magics candidate : ALL.keySet()) {
                if (candidate.evaluator.snippetLoader() == session) {
                    m = candidate;
                }
            }
        }
        if (m == null) {
            throw new IllegalStateException("no kernel is running");
        }
        return (T) m.line(name).run(args);
    }
}
