package dev.cellar.cli;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.codec.CodecRegistry;
import dev.cellar.engine.Config;
import dev.cellar.engine.Entries;
import dev.cellar.engine.SharedConfig;
import dev.cellar.engine.Transfer;
import dev.cellar.store.DataStore;
import dev.cellar.engine.Sizes;
import dev.cellar.ops.Operations;
import dev.cellar.ops.Report;
import dev.cellar.store.EntryInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Entry point of {@code scripts/cellar}. Exit status: 0 done, 1 failed (message on stderr), 2 usage. */
@Command(name = "cellar", mixinStandardHelpOptions = true, version = "cellar 0.1",
        description = "Inspect and manage a cellar store (default: $CELLAR_DIR, else ~/.cache/cellar).",
        subcommands = {Main.Ls.class, Main.Show.class, Main.Why.class, Main.Rm.class, Main.Gc.class,
                Main.Stats.class, Main.Verify.class, Main.Export.class, Main.Store.class, Main.Push.class,
                Main.Pull.class})
public final class Main implements Callable<Integer> {
    @Option(names = "--dir", description = "store directory (overrides CELLAR_DIR)")
    Path dir;

    @Option(names = "--json", description = "machine-readable JSON output", scope = CommandLine.ScopeType.INHERIT)
    boolean json;

    @Option(names = "--shared", scope = CommandLine.ScopeType.INHERIT,
            description = "work on the team's shared store ($CELLAR_SHARED, $CELLAR_SHARED_BLOBS)")
    boolean shared;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line, printing to {@code out}/{@code err}; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof CellarException || ex instanceof IllegalArgumentException) {
                line.getErr().println("cellar: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The local store alone (management never reaches through to the shared tier unless asked). */
    DataStore openLocal() {
        Config c = Config.fromEnvironment();
        return c.openStore(dir != null ? dir : c.directory());
    }

    DataStore openStore() {
        return shared ? SharedConfig.openShared(SharedConfig.required()) : openLocal();
    }

    int print(Report r) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? r.json() : r.text());
        out.flush();
        return 0;
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Override
        public Integer call() {
            DataStore store = main.openStore();
            try (Cellar cellar = Cellar.builder().store(store).build()) {
                int status = main.print(run(new Operations(cellar)));
                if (main.shared) {
                    afterShared(store, main.spec.commandLine().getOut());
                }
                return status;
            }
        }

        abstract Report run(Operations ops);

        /** More work on the shared store after the operation. */
        void afterShared(DataStore store, PrintWriter out) {}
    }

    @Command(name = "ls", description = "List entries: name, key, created, last used, size, compute time, hits.")
    static final class Ls extends Sub {
        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        Report run(Operations ops) {
            return ops.ls(name);
        }
    }

    @Command(name = "show", description = "Show an entry's key ingredients and outputs.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "NAME|KEY")
        String ref;

        Report run(Operations ops) {
            return ops.show(ref);
        }
    }

    @Command(name = "why", description = "Say which key ingredient changed between the two newest entries of NAME.")
    static final class Why extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        Report run(Operations ops) {
            return ops.why(name);
        }
    }

    @Command(name = "rm", description = "Remove entries by name or key, by age, or all.")
    static final class Rm extends Sub {
        @Parameters(arity = "0..1", paramLabel = "NAME|KEY")
        String ref;

        @Option(names = "--older-than", paramLabel = "DURATION", description = "last used before this long ago (30m, 12h, 7d, 2w)")
        String olderThan;

        @Option(names = "--all", description = "remove every entry")
        boolean all;

        @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
        boolean yes;

        Report run(Operations ops) {
            int given = (ref != null ? 1 : 0) + (olderThan != null ? 1 : 0) + (all ? 1 : 0);
            if (given != 1) {
                throw new IllegalArgumentException("rm takes exactly one of NAME|KEY, --older-than DURATION, --all");
            }
            List<EntryInfo> victims = all ? ops.all()
                    : olderThan != null ? ops.olderThan(Operations.parseAge(olderThan)) : ops.select(ref);
            if (!yes && System.console() != null && !victims.isEmpty()) {
                long bytes = victims.stream().mapToLong(EntryInfo::sizeBytes).sum();
                System.console().printf("remove %d entries (%s)? [y/N] ", victims.size(), Sizes.format(bytes));
                String answer = System.console().readLine();
                if (answer == null || !answer.trim().toLowerCase().startsWith("y")) {
                    return ops.rm(List.of());
                }
            }
            return ops.rm(victims);
        }
    }

    @Command(name = "gc", description = "Evict least valuable entries down to a size (default: the configured cap).")
    static final class Gc extends Sub {
        @Option(names = "--max-size", paramLabel = "SIZE", description = "e.g. 500M, 10G")
        String maxSize;

        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "1h",
                description = "with --shared: delete unreferenced payloads older than this (default 1h)")
        String grace;

        Report run(Operations ops) {
            long max = maxSize != null ? Sizes.parse(maxSize)
                    : main.shared ? SharedConfig.required().maxBytes() : Config.fromEnvironment().maxBytes();
            return ops.gc(max);
        }

        @Override
        void afterShared(DataStore store, PrintWriter out) {
            int n = SharedConfig.collectGarbage(store, Operations.parseAge(grace).toMillis());
            out.println("deleted " + n + " unreferenced payloads older than " + grace);
            out.flush();
        }
    }

    @Command(name = "stats", description = "Entries, bytes, hits, misses and compute time saved.")
    static final class Stats extends Sub {
        Report run(Operations ops) {
            return ops.stats();
        }
    }

    @Command(name = "verify", description = "Check every payload's checksum; remove and report corrupt entries.")
    static final class Verify extends Sub {
        Report run(Operations ops) {
            return ops.verify();
        }
    }

    @Command(name = "export", description = "Write an entry's outputs as Arrow IPC / JSON files plus manifest.json.")
    static final class Export extends Sub {
        @Parameters(paramLabel = "NAME|KEY")
        String ref;

        @Option(names = "--to", required = true, paramLabel = "DIR")
        Path to;

        Report run(Operations ops) {
            return ops.export(ref, to);
        }
    }

    @Command(name = "store", description = "Where the store is, its size and cap.")
    static final class Store extends Sub {
        Report run(Operations ops) {
            return ops.store(Config.fromEnvironment().maxBytes());
        }
    }

    /** Copies entries between the local and the shared store. */
    abstract static class Copy implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(arity = "0..1", paramLabel = "NAME|KEY")
        String ref;

        @Option(names = "--all", description = "every entry")
        boolean all;

        abstract boolean toShared();

        @Override
        public Integer call() {
            if ((ref != null) == all) {
                throw new IllegalArgumentException("give exactly one of NAME|KEY or --all");
            }
            PrintWriter out = main.spec.commandLine().getOut();
            PrintWriter err = main.spec.commandLine().getErr();
            if (toShared() && SharedConfig.required().readOnly()) {
                throw new CellarException("CELLAR_SHARED_MODE is read-only: push is not allowed");
            }
            try (DataStore local = main.openLocal(); DataStore shared = SharedConfig.openShared(SharedConfig.required())) {
                DataStore from = toShared() ? local : shared;
                DataStore to = toShared() ? shared : local;
                if (toShared() && SharedConfig.required().readOnly()) {
                    throw new CellarException("CELLAR_SHARED_MODE is read-only: push is not allowed");
                }
                Operations ops = new Operations(new Entries(from, CodecRegistry.standard(),
                        m -> err.println("cellar: warning: " + m), true));
                List<EntryInfo> chosen = all ? ops.all() : ops.select(ref);
                Transfer.Result r = Transfer.copy(from, to, chosen, m -> err.println("cellar: warning: " + m));
                long bytes = r.copied().stream().mapToLong(EntryInfo::sizeBytes).sum();
                out.println((toShared() ? "pushed " : "pulled ") + r.copied().size() + " entries, " + Sizes.format(bytes));
                r.problems().forEach(p -> err.println("cellar: " + p));
                out.flush();
                return r.problems().isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "push", description = "Copy entries from the local store to the shared store.")
    static final class Push extends Copy {
        boolean toShared() {
            return true;
        }
    }

    @Command(name = "pull", description = "Copy entries from the shared store to the local one (e.g. before going offline).")
    static final class Pull extends Copy {
        boolean toShared() {
            return false;
        }
    }
}
