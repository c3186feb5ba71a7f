package dev.cellar.kernel.jshell;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.ImportSnippet;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * An in-process JShell that evaluates whole cells: it splits a cell into snippets, stops at the first
 * error or interrupt, maps compile errors and stack frames back to cell lines, and gives the kernel the
 * last expression's value as an object rather than a string.
 */
public final class JShellEvaluator implements AutoCloseable {
    private final JShell shell;
    private final UserCodeControl control;
    private final SourceCodeAnalysis analysis;
    /** Where each snippet came from, so that stack frames name a cell and line. */
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final Map<Integer, String> cellSources = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean interruptRequested;

    private record Origin(int cell, int firstLine) {}

    /** One complete snippet of a cell and the (0-based) cell line it starts on. */
    public record Piece(String source, int line) {}

    /** What a cell left: the value of its last expression, if it ended with one, and its declarations. */
    public record Result(boolean hasValue, Object value, List<VarSnippet> declaredVars) {}

    public JShellEvaluator() {
        UserCodeControl.Provider provider = new UserCodeControl.Provider();
        this.shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions("-Xlint:none")
                .build();
        this.control = provider.control();
        this.analysis = shell.sourceCodeAnalysis();
    }

    public JShell shell() {
        return shell;
    }

    /** Keeps a cell's text so that error messages can quote its lines. */
    public void remember(int cell, String code) {
        cellSources.put(cell, code);
    }

    /** Splits a cell into complete snippets; an incomplete tail is a compile error naming its line. */
    public List<Piece> split(String code) throws CellError {
        List<Piece> pieces = new ArrayList<>();
        String rest = code;
        int consumed = 0;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            SourceCodeAnalysis.Completeness c = info.completeness();
            int start = consumed + leadingSpace(rest);
            if (c == SourceCodeAnalysis.Completeness.EMPTY) {
                return pieces;
            }
            if (c == SourceCodeAnalysis.Completeness.UNKNOWN) {
                // Not Java JShell can parse: evaluate it anyway so the compiler explains what is wrong.
                pieces.add(new Piece(rest.strip(), lineOf(code, start)));
                return pieces;
            }
            if (!c.isComplete()) {
                int line = lineOf(code, start) + 1;
                throw new CellError.CompileError("incomplete code at line " + line,
                        List.of("incomplete code at line " + line + ": " + firstLine(rest.strip())));
            }
            // Leading whitespace is dropped so that compiler positions and stack-frame lines both count
            // from the line the snippet's text starts on.
            String src = info.source().stripLeading();
            pieces.add(new Piece(src, lineOf(code, start)));
            consumed += rest.length() - info.remaining().length();
            rest = info.remaining();
        }
    }

    /** Declarations a piece of code would make, without running it (names of vars, methods, types). */
    public List<Snippet> declarationsOf(String source) {
        return analysis.sourceToSnippets(source);
    }

    /**
     * Runs a cell. The cell number only labels error lines.
     *
     * @throws CellError at the first snippet that does not compile, throws, or is interrupted; the
     *     snippets after it are not run
     */
    public Result eval(String code, int cell) throws CellError {
        cellSources.put(cell, code);
        List<Piece> pieces = split(code);
        return run(pieces, cell);
    }

    public Result run(List<Piece> pieces, int cell) throws CellError {
        interruptRequested = false;
        running = true;
        try {
            boolean hasValue = false;
            Object value = null;
            List<VarSnippet> declared = new ArrayList<>();
            for (Piece piece : pieces) {
                if (interruptRequested) {
                    throw new CellError.Interrupted("interrupted: the cell was stopped");
                }
                List<SnippetEvent> events = shell.eval(piece.source());
                Object produced = control.takeLastValue();
                hasValue = false;
                value = null;
                for (SnippetEvent e : events) {
                    if (e.causeSnippet() != null) {
                        continue;
                    }
                    Snippet s = e.snippet();
                    origins.put(s.id(), new Origin(cell, piece.line()));
                    if (e.status() == Snippet.Status.REJECTED) {
                        throw compileError(s, piece, cell);
                    }
                    if (e.exception() != null) {
                        throw evalError(e.exception(), cell);
                    }
                    if (e.status() == Snippet.Status.RECOVERABLE_DEFINED
                            || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                        warnUnresolved((DeclarationSnippet) s);
                    }
                    if (s instanceof VarSnippet v && e.status().isDefined()) {
                        declared.add(v);
                    }
                    // As in IJava, the value of an expression that has one is shown whether or not it ends
                    // in ';' (`x + y;`, `s.length();`, `xs`); void calls, assignments and declarations
                    // show nothing. Only the cell's last snippet counts.
                    switch (s.subKind()) {
                        case VAR_VALUE_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> {
                            hasValue = true;
                            value = produced;
                        }
                        default -> { }
                    }
                }
            }
            if (interruptRequested) {
                throw new CellError.Interrupted("interrupted: the cell was stopped");
            }
            return new Result(hasValue, value, declared);
        } finally {
            running = false;
            control.takeLastValue();
        }
    }

    /** Stops the running cell, if any; harmless when idle. */
    public void interrupt() {
        if (running) {
            interruptRequested = true;
            control.stop();
        }
    }

    /** The class loader of the session's snippet classes (records and classes declared in cells). */
    public ClassLoader snippetLoader() {
        ClassLoader l = control.snippetLoader();
        return l != null ? l : getClass().getClassLoader();
    }

    /** Session variables that are currently defined, by name (the latest declaration wins). */
    public Map<String, VarSnippet> variables() {
        Map<String, VarSnippet> vars = new LinkedHashMap<>();
        shell.variables().filter(v -> shell.status(v) == Snippet.Status.VALID).forEach(v -> vars.put(v.name(), v));
        return vars;
    }

    public List<MethodSnippet> methods() {
        return shell.methods().filter(m -> shell.status(m).isActive()).collect(Collectors.toList());
    }

    public List<ImportSnippet> imports() {
        return shell.imports().filter(i -> shell.status(i).isActive()).collect(Collectors.toList());
    }

    public List<TypeDeclSnippet> types() {
        return shell.types().filter(t -> shell.status(t).isActive()).collect(Collectors.toList());
    }

    /**
     * The current values of session variables, read directly from their fields (no snippet compiled).
     *
     * @throws CellError if a variable does not exist or cannot be read
     */
    public Map<String, Object> values(Collection<String> names) throws CellError {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, VarSnippet> vars = variables();
        control.fetching(true);
        try {
            return fetch(names, vars, out);
        } finally {
            control.fetching(false);
        }
    }

    private Map<String, Object> fetch(Collection<String> names, Map<String, VarSnippet> vars, Map<String, Object> out)
            throws CellError {
        for (String name : names) {
            VarSnippet v = vars.get(name);
            if (v == null) {
                throw new CellError.MagicError("cellar: there is no variable '" + name + "' in the session");
            }
            try {
                control.takeLastVarValue();
                shell.varValue(v);
                out.put(name, control.takeLastVarValue());
            } catch (RuntimeException e) {
                throw new CellError.MagicError("cellar: cannot read variable '" + name + "': " + e.getMessage());
            }
        }
        return out;
    }

    /** Evaluates kernel-generated code (fetching values, declaring restored variables). */
    public void runGenerated(String source) throws CellError {
        try {
            Declarations.runGenerated(shell, source);
        } finally {
            control.takeLastValue();
        }
    }

    /**
     * Declares kernel-generated variables (one declaration per source), compiled together where JShell's
     * internals are open to the kernel ({@link Declarations}), else one by one.
     *
     * @throws CellError naming the first declaration that failed
     */
    public void declareAll(List<String> sources) throws CellError {
        Declarations.declareAll(shell, control, sources);
    }

    /** True if {@link #declareAll} compiles its declarations together (see {@link Declarations}). */
    public static boolean declaresTogether() {
        return Declarations.batched();
    }

    /**
     * Runs JShell's source analysis, compiler and class loading once, on throwaway declarations of the
     * shape a {@code %%cached} hit declares its outputs with, declared as it declares them, then drops
     * them, so that a fresh kernel's first cell does not pay for them. The first compile of a var declaration in a new JShell costs
     * far more than later ones (its compiler context is built then). The session is left as it was:
     * no variable, method, type or import is added. Not thread safe (as JShell is not): the kernel
     * runs it under the lock its cells run under.
     */
    public void warmUp() {
        try {
            split("int a = 1;\nString b = \"b\";");
            declarationsOf("int[] c = {1};");
            // The scanners that key a cell and find what it uses.
            String code = "int[] c = {f(1)}; // a comment";
            CodeTokens.canonical(code);
            CodeTokens.callArities(code);
            JavaTokens.identifiers(code);
            JavaTokens.normalize(code);
            // The route a hit declares its outputs by (several at once), with a reference and a primitive.
            Bridge.put("cellar-warm-up", List.of("warm"));
            Bridge.put("cellar-warm-up-2", 2);
            try {
                declareAll(List.of("java.util.List<String> $cellarWarmUp = (java.util.List<String>) "
                        + "dev.cellar.kernel.jshell.Bridge.take(\"cellar-warm-up\");",
                        "int $cellarWarmUp2 = (int) dev.cellar.kernel.jshell.Bridge.take(\"cellar-warm-up-2\");"));
            } finally {
                for (VarSnippet v : shell.variables().filter(v -> v.name().startsWith("$cellarWarmUp")).toList()) {
                    values(List.of(v.name()));
                    shell.drop(v);
                }
                Bridge.discard("cellar-warm-up");
                Bridge.discard("cellar-warm-up-2");
            }
        } catch (CellError | RuntimeException e) {
            // Only a head start: a real cell reports any real problem.
        } finally {
            control.takeLastValue();
        }
    }

    /** Adds a jar or directory to the session's class path. */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    public SourceCodeAnalysis analysis() {
        return analysis;
    }

    private CellError compileError(Snippet s, Piece piece, int cell) {
        List<String> lines = new ArrayList<>();
        String first = null;
        String[] cellLines = cellSources.getOrDefault(cell, piece.source()).split("\n", -1);
        for (Diag d : (Iterable<Diag>) shell.diagnostics(s)::iterator) {
            if (!d.isError()) {
                continue;
            }
            int pos = (int) Math.max(0, Math.min(d.getStartPosition(), piece.source().length()));
            int line = piece.line() + lineOf(piece.source(), pos);
            String msg = "line " + (line + 1) + ": " + d.getMessage(Locale.ROOT);
            if (first == null) {
                first = msg;
            }
            lines.add(msg);
            if (line < cellLines.length) {
                lines.add("    " + cellLines[line]);
            }
        }
        if (first == null) {
            first = "the code was rejected by the compiler";
            lines.add(first);
        }
        return new CellError.CompileError(first, lines);
    }

    private CellError evalError(JShellException ex, int cell) {
        if (ex instanceof EvalException ee && UserCodeControl.INTERRUPTED.equals(ee.getExceptionClassName())) {
            return new CellError.Interrupted("interrupted: the cell was stopped");
        }
        if (ex instanceof UnresolvedReferenceException ure) {
            DeclarationSnippet d = ure.getSnippet();
            String missing = shell.unresolvedDependencies(d).collect(Collectors.joining(", "));
            String msg = "`" + d.name() + "` cannot be used until " + missing + " is defined";
            return new CellError.EvalError(msg, List.of(msg));
        }
        List<String> lines = new ArrayList<>();
        String headline = describe(ex);
        String where = null;
        Throwable t = ex;
        boolean firstException = true;
        while (t != null) {
            lines.add((firstException ? "" : "Caused by: ") + describe(t));
            for (StackTraceElement f : t.getStackTrace()) {
                String cls = f.getClassName();
                if (cls.startsWith("jdk.internal.reflect") || cls.startsWith("java.lang.reflect")
                        || cls.startsWith("dev.cellar.kernel.")) {
                    break;
                }
                String loc = location(f);
                if (where == null && loc.startsWith("cell")) {
                    where = loc;
                    String text = sourceLine(f);
                    lines.add("    at " + frameName(f) + " (" + loc + ")" + (text == null ? "" : "\n        " + text));
                } else {
                    lines.add("    at " + frameName(f) + " (" + loc + ")");
                }
            }
            firstException = false;
            t = t.getCause();
        }
        return new CellError.EvalError(headline + (where == null ? "" : " (" + where + ")"), lines);
    }

    private static String describe(Throwable t) {
        String name = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
        String msg = t.getMessage();
        return name + (msg == null ? "" : ": " + msg);
    }

    private static String frameName(StackTraceElement f) {
        String cls = f.getClassName();
        if (cls.isEmpty() || cls.startsWith("REPL.")) {
            // Snippet wrapper classes: show the user's own method name, not the wrapper.
            String m = f.getMethodName();
            return m.isEmpty() || m.equals("do_it$") ? "<cell>" : m;
        }
        return cls + "." + f.getMethodName();
    }

    private String location(StackTraceElement f) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            Origin o = origins.get(file.substring(1));
            if (o != null && f.getLineNumber() > 0) {
                return "cell " + o.cell() + ", line " + (o.firstLine() + f.getLineNumber());
            }
        }
        return file == null ? "unknown" : file + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "");
    }

    private String sourceLine(StackTraceElement f) {
        Origin o = origins.get(f.getFileName().substring(1));
        String src = o == null ? null : cellSources.get(o.cell());
        if (src == null) {
            return null;
        }
        String[] lines = src.split("\n", -1);
        int i = o.firstLine() + f.getLineNumber() - 1;
        return i >= 0 && i < lines.length ? lines[i].strip() : null;
    }

    private void warnUnresolved(DeclarationSnippet d) {
        String missing = shell.unresolvedDependencies(d).collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            System.err.println("note: `" + d.name() + "` cannot be used until " + missing + " is defined");
        }
    }

    private static int leadingSpace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    public static int lineOf(String s, int offset) {
        int n = 0;
        for (int i = 0; i < offset && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    @Override
    public void close() {
        shell.close();
    }
}
