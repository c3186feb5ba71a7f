package dev.cellar.kernel;

import dev.cellar.Cellar;
import dev.cellar.kernel.cached.CachedMagic;
import dev.cellar.kernel.display.MimeBundle;
import dev.cellar.kernel.display.Rich;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import dev.cellar.kernel.jshell.OutputRouter;
import dev.cellar.kernel.jshell.SyntaxCheck;
import dev.cellar.kernel.magic.CellValue;
import dev.cellar.kernel.magic.CellarLineMagic;
import dev.cellar.kernel.magic.LineMagic;
import dev.cellar.kernel.magic.Magics;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.publish.PublishClearOutput;
import io.github.spencerpark.jupyter.messages.publish.PublishError;
import io.github.spencerpark.jupyter.messages.publish.PublishExecuteInput;
import io.github.spencerpark.jupyter.messages.publish.PublishExecuteResult;
import io.github.spencerpark.jupyter.messages.reply.ErrorReply;
import io.github.spencerpark.jupyter.messages.reply.ExecuteReply;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.KernelTimestamp;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import io.github.spencerpark.jupyter.messages.request.InterruptRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.SourceCodeAnalysis;

/**
 * The Java kernel: cells run in an in-process JShell; {@code %%cached} caches a cell, {@code %jars} and
 * {@code %classpath} extend the class path, and further line magics can be registered ({@link
 * #registerLineMagic}). stdout and stderr of the process belong to the notebook while the kernel runs;
 * kernel diagnostics go to the stream that was stderr at start ({@link #log()}).
 */
public final class CellarKernel extends BaseKernel implements AutoCloseable {
    private static final List<String> STARTUP = List.of(
            "import java.io.*;", "import java.math.*;", "import java.nio.file.*;", "import java.util.*;",
            "import java.util.concurrent.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import static dev.cellar.kernel.Notebook.*;");

    private final PrintStream log;
    private final PrintStream originalOut;
    private final OutputRouter router;
    private final java.util.function.Supplier<Cellar> opener;
    private final JShellEvaluator evaluator;
    private final CachedMagic cached;
    private final Magics magics;
    private final LanguageInfo languageInfo;
    private volatile Cellar cellar;
    private volatile long executeSent = Long.MIN_VALUE;
    private volatile long interruptSent = Long.MAX_VALUE;
    private volatile java.util.function.Consumer<MimeBundle> displayListener;
    private final History history = new History();
    private final Object executeLock = new Object();
    /** The execute request being handled: where pages and clear_output go. */
    private record Request(ShellReplyEnvironment env, List<Map<String, Object>> pages) {}
    private volatile Request current;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public CellarKernel() {
        this(Cellar::openDefault);
    }

    /**
     * A kernel whose %%cached uses the store {@code opener} opens: {@link KernelMain}'s opens the default
     * store in the background at start ({@link WarmUp}); tests and benchmarks use a temp store.
     */
    CellarKernel(java.util.function.Supplier<Cellar> opener) {
        this.opener = opener;
        this.log = System.err;
        this.originalOut = System.out;
        this.router = new OutputRouter();
        setShouldReplaceStdStreams(false);
        System.setOut(router.out());
        System.setErr(router.err());
        this.evaluator = new JShellEvaluator();
        Notebook.connect(this::publishDisplay);
        Notebook.connectFrontEnd(this::page, this::clearOutput);
        this.cached = new CachedMagic(evaluator, router, this::publishDisplay, this::cellar);
        this.magics = new Magics(evaluator);
        cached.keyLibraries(magics.libraries());
        magics.registerCell("cached", cached, "cache the cell: restore its variables and output if nothing it uses changed");
        this.languageInfo = new LanguageInfo.Builder("Java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
        magics.registerLine("cellar", new CellarLineMagic(this::cellar, cached::currentComponent, this::publishDisplay),
                "the store: ls, show, why, rm, gc, stats, verify, export, store");
        try {
            for (String s : STARTUP) {
                evaluator.runGenerated(s);
            }
        } catch (CellError e) {
            log.println("cellar kernel: startup import failed: " + e.getMessage());
        }
    }

    /** Where kernel diagnostics go: the process's stderr at start, never a notebook. */
    public PrintStream log() {
        return log;
    }

    /** Adds a line magic {@code %name}; replaces one of the same name. */
    public void registerLineMagic(String name, LineMagic magic) {
        magics.registerLine(name, magic);
    }

    /** The store %%cached uses, opened on first use (CELLAR_DIR, XDG_CACHE_HOME/cellar or ~/.cache/cellar). */
    public Cellar cellar() {
        Cellar c = cellar;
        if (c == null) {
            synchronized (this) {
                c = cellar;
                if (c == null) {
                    c = opener.get();
                    cellar = c;
                }
            }
        }
        return c;
    }

    /**
     * Warms JShell up ({@link JShellEvaluator#warmUp}) under the lock cells run under: a cell that
     * arrives meanwhile waits for it, then runs without paying it.
     */
    void warmUpJShell() {
        synchronized (executeLock) {
            if (!closed.get()) {
                evaluator.warmUp();
            }
        }
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        return eval(code, executionCount.get() - 1, (stream, text) -> {
            PrintStream target = "stderr".equals(stream) ? getIO().err : getIO().out;
            target.print(text);
            target.flush();
        });
    }

    /** Runs a cell, sending its printed text to {@code sink} (stream name, text). */
    DisplayData eval(String code, int cell, java.util.function.BiConsumer<String, String> sink) throws Exception {
        router.attach(sink);
        try {
            CellValue v = magics.run(code, cell);
            router.flush();
            return v.hasValue() ? toDisplayData(Rich.render(v.value())) : null;
        } catch (Exception | Error e) {
            router.flush();
            throw e;
        }
    }

    /** Also hands every displayed bundle to {@code listener} (in-process tests have no front end). */
    void onDisplay(java.util.function.Consumer<MimeBundle> listener) {
        this.displayListener = listener;
    }

    void publishDisplay(MimeBundle b) {
        router.flush();
        router.recordDisplay(b.data());
        var listener = displayListener;
        if (listener != null) {
            listener.accept(b);
        }
        if (getIO().display.isAttached()) {
            display(toDisplayData(b));
        }
    }

    static DisplayData toDisplayData(MimeBundle b) {
        DisplayData d = new DisplayData();
        b.data().forEach(d::putData);
        return d;
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof CellError ce) {
            List<String> out = new ArrayList<>();
            for (String line : ce.traceback()) {
                out.add(errorStyler.secondary(line));
            }
            return out;
        }
        log.println("cellar kernel: unexpected error");
        e.printStackTrace(log);
        return super.formatError(e);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        String typed = code.substring(lineStart, at).stripLeading();
        if (typed.matches("%%?\\w*")) {
            // A magic name being typed at the start of a line: offer the magics, not Java.
            List<String> names = magics.names().stream().filter(n -> n.startsWith(typed)).toList();
            return new ReplacementOptions(names, at - typed.length(), at);
        }
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                evaluator.analysis().completionSuggestions(code, at, anchor);
        Set<String> options = new LinkedHashSet<>();
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType)
                .forEach(s -> options.add(s.continuation()));
        suggestions.forEach(s -> options.add(s.continuation()));
        return new ReplacementOptions(new ArrayList<>(options), anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        if (code.strip().startsWith("%")) {
            return IS_COMPLETE_YES;
        }
        SourceCodeAnalysis.CompletionInfo info = evaluator.analysis().analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            // JShell only balances brackets: `int = 7q;` or an unclosed string literal is "complete" to it.
            if (!SyntaxCheck.wellFormed(info.source())) {
                return IS_COMPLETE_BAD;
            }
            info = evaluator.analysis().analyzeCompletion(info.remaining());
        }
        switch (info.completeness()) {
            case EMPTY:
                return IS_COMPLETE_YES;
            case UNKNOWN:
                return IS_COMPLETE_BAD;
            default:
                String lastLine = code.substring(code.lastIndexOf('\n') + 1);
                String indent = lastLine.substring(0, lastLine.length() - lastLine.stripLeading().length());
                return lastLine.stripTrailing().endsWith("{") ? indent + "    " : indent;
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        int end = Math.min(at, code.length());
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        // JShell documents a method once the cursor is past its opening parenthesis; try the cursor as
        // given, then just after the name's parenthesis, then as if one were typed.
        SourceCodeAnalysis sca = evaluator.analysis();
        List<SourceCodeAnalysis.Documentation> docs = sca.documentation(code, Math.min(at, code.length()), true);
        if (docs.isEmpty() && end < code.length() && code.charAt(end) == '(') {
            docs = sca.documentation(code, end + 1, true);
        }
        if (docs.isEmpty()) {
            docs = sca.documentation(code.substring(0, end) + "(", end + 1, true);
        }
        if (docs.isEmpty()) {
            docs = sca.documentation(code.substring(0, end), end, true);
        }
        if (docs.isEmpty()) {
            return null;
        }
        String text = docs.stream()
                .map(d -> d.signature() + (d.javadoc() == null || d.javadoc().isBlank() ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n"));
        return new DisplayData(text);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " :: cellar kernel (Jupyter protocol " + Header.PROTOCOL_VERISON + ")";
    }

    /**
     * Besides the library's handlers: remembers when the client sent each execute and interrupt
     * request. Control and shell messages travel on different sockets and threads, so an interrupt a
     * client sends while the kernel is idle (as clients do before a restart) can be handled after the
     * next cell started; it must not stop that cell.
     */
    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.EXECUTE_REQUEST, (env, msg) -> {
            executeSent = sentAt(msg.getHeader(), Long.MIN_VALUE);
            execute(env, msg);
        });
        connection.setHandler(MessageType.KERNEL_INFO_REQUEST, (env, msg) -> {
            env.setBusyDeferIdle();
            env.reply(new Replies.KernelInfo(Header.PROTOCOL_VERISON, KERNEL_META.get("project"),
                    KERNEL_META.get("version"), getLanguageInfo(), getBanner(), getHelpLinks()));
        });
        connection.setHandler(MessageType.HISTORY_REQUEST, (env, msg) -> {
            env.setBusyDeferIdle();
            Replies.history(env, history.answer(msg.getContent()));
        });
        ShellHandler<InterruptRequest> interrupt = connection.getHandler(MessageType.INTERRUPT_REQUEST);
        connection.setHandler(MessageType.INTERRUPT_REQUEST, (env, msg) -> {
            interruptSent = sentAt(msg.getHeader(), Long.MAX_VALUE);
            interrupt.handle(env, msg);
        });
    }

    /**
     * The library's execute handler, plus what it lacks: pages for the pager in the reply's payload,
     * clear_output, and the history of the session.
     */
    private void execute(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        synchronized (executeLock) {
            commManager.setMessageContext(message);
            ExecuteRequest request = message.getContent();
            int count = executionCount.getAndIncrement();
            env.setBusyDeferIdle();
            env.publish(new PublishExecuteInput(request.getCode(), count));
            Replies.attach(getIO(), env, request.isStdinEnabled());
            List<Map<String, Object>> pages = new ArrayList<>();
            current = new Request(env, pages);
            try {
                DisplayData out = eval(request.getCode());
                if (out != null) {
                    env.publish(new PublishExecuteResult(count, out));
                }
                if (request.shouldStoreHistory()) {
                    Object text = out == null ? null : out.getData(MIMEType.TEXT_PLAIN);
                    history.add(count, request.getCode(), text == null ? null : text.toString());
                }
                env.defer().reply(pages.isEmpty() ? new ExecuteReply(count, java.util.Collections.emptyMap())
                        : new Replies.ExecuteWithPayload(count, pages));
            } catch (Exception e) {
                if (request.shouldStoreHistory()) {
                    history.add(count, request.getCode(), null);
                }
                ErrorReply error = ErrorReply.of(e);
                error.setExecutionCount(count);
                env.publish(PublishError.of(e, this::formatError));
                env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), error);
            } finally {
                current = null;
            }
        }
    }

    /** Shows {@code bundle} in the front end's pager (the execute reply's payload). */
    private void page(MimeBundle bundle) {
        Request r = current;
        if (r == null) {
            publishDisplay(bundle); // no front end asked: show it inline
            return;
        }
        r.pages().add(Replies.page(new java.util.LinkedHashMap<>(bundle.data())));
    }

    /** Clears the cell's output; with {@code wait}, just before the next output arrives. */
    private void clearOutput(boolean wait) {
        Request r = current;
        router.flush();
        if (r != null) {
            r.env().publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
        }
    }

    /** When the client sent a message (its clock); {@code unknown} if the header has no date. */
    private static long sentAt(Header<?> header, long unknown) {
        try {
            KernelTimestamp ts = header == null ? null : header.getTimestamp();
            String text = ts == null ? null : ts.getDateString();
            if (text == null) {
                return unknown;
            }
            // The library's own date parsing refuses the microsecond UTC stamps jupyter_client sends.
            java.time.Instant t = java.time.OffsetDateTime.parse(text).toInstant();
            return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
        } catch (RuntimeException e) {
            return unknown;
        }
    }

    /** Stops the running cell; harmless when idle (clients send one before shutting down). */
    @Override
    public void interrupt() {
        long sent = interruptSent;
        interruptSent = Long.MAX_VALUE;
        if (sent <= executeSent) {
            // Sent before the running cell was requested: it was meant for an idle kernel.
            return;
        }
        evaluator.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        evaluator.interrupt();
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        router.attach(null);
        Cellar c = cellar;
        cellar = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.println("cellar kernel: closing the store failed: " + e);
            }
        }
        evaluator.close();
        router.close();
        if (System.out == router.out()) {
            System.setOut(originalOut);
        }
        if (System.err == router.err()) {
            System.setErr(log);
        }
    }
}
