package dev.cellar.cli;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.engine.Config;
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
                Main.Stats.class, Main.Verify.class, Main.Export.class, Main.Store.class})
public final class Main implements Callable<Integer> {
    @Option(names = "--dir", description = "store directory (overrides CELLAR_DIR)")
    Path dir;

    @Option(names = "--json", description = "machine-readable JSON output", scope = CommandLine.ScopeType.INHERIT)
    boolean json;

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

    Cellar open() {
        return dir != null ? Cellar.open(dir) : Cellar.openDefault();
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
            try (Cellar cellar = main.open()) {
                return main.print(run(new Operations(cellar)));
            }
        }

        abstract Report run(Operations ops);
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

        Report run(Operations ops) {
            long max = maxSize != null ? Sizes.parse(maxSize) : Config.fromEnvironment().maxBytes();
            return ops.gc(max);
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

}
