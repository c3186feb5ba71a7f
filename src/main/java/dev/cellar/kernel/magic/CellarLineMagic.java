package dev.cellar.kernel.magic;

import dev.cellar.Cellar;
import dev.cellar.CellarException;
import dev.cellar.Component;
import dev.cellar.engine.Config;
import dev.cellar.engine.Sizes;
import dev.cellar.kernel.display.MimeBundle;
import dev.cellar.kernel.jshell.CellError;
import dev.cellar.ops.Operations;
import dev.cellar.ops.Report;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code %cellar} line magic: the store operations of the {@code cellar} command, shown in the
 * notebook as HTML tables. {@code why NAME} compares the cell as it was last keyed in this session with
 * the newest stored entry of that name.
 */
public final class CellarLineMagic implements LineMagic {
    static final String USAGE = "usage: %cellar ls [NAME] | show NAME|KEY | why NAME | rm NAME|KEY|--older-than=AGE|--all"
            + " | gc [--max-size=SIZE] | stats | verify | export NAME|KEY --to=DIR | store";
    private static final Map<String, MagicSpec> SPECS = Map.of(
            "ls", new MagicSpec(USAGE, 1, Set.of(), Set.of()),
            "show", new MagicSpec(USAGE, 1, Set.of(), Set.of()),
            "why", new MagicSpec(USAGE, 1, Set.of(), Set.of()),
            "rm", new MagicSpec(USAGE, 1, Set.of("older-than"), Set.of("all", "yes")),
            "gc", new MagicSpec(USAGE, 0, Set.of("max-size"), Set.of()),
            "stats", new MagicSpec(USAGE, 0, Set.of(), Set.of()),
            "verify", new MagicSpec(USAGE, 0, Set.of(), Set.of()),
            "export", new MagicSpec(USAGE, 1, Set.of("to"), Set.of()),
            "store", new MagicSpec(USAGE, 0, Set.of(), Set.of()));

    private final Supplier<Cellar> cellar;
    private final Function<String, Component> lastComponent;
    private final Consumer<MimeBundle> display;

    public CellarLineMagic(Supplier<Cellar> cellar, Function<String, Component> lastComponent,
            Consumer<MimeBundle> display) {
        this.cellar = cellar;
        this.lastComponent = lastComponent;
        this.display = display;
    }

    @Override
    public Object run(String args) throws CellError {
        String[] parts = args.strip().split("\\s+", 2);
        String command = parts[0];
        MagicSpec spec = SPECS.get(command);
        if (spec == null) {
            throw new CellError.MagicError((command.isEmpty() ? "%cellar needs a command" : "unknown command '" + command
                    + "'") + "\n" + USAGE);
        }
        MagicSpec.Parsed p = spec.parse(parts.length > 1 ? parts[1] : "");
        String arg = p.positional().isEmpty() ? null : p.positional().get(0);
        Report report;
        try {
            report = run(command, arg, p, spec, new Operations(cellar.get()));
        } catch (CellarException | IllegalArgumentException e) {
            throw new CellError.MagicError("%cellar " + command + ": " + e.getMessage());
        }
        display.accept(MimeBundle.text(report.text()).with(MimeBundle.HTML, report.html()));
        return null;
    }

    private Report run(String command, String arg, MagicSpec.Parsed p, MagicSpec spec, Operations ops)
            throws CellError {
        switch (command) {
            case "ls":
                return ops.ls(arg);
            case "show":
                return ops.show(need(arg, spec, "show needs NAME or KEY"));
            case "why": {
                String name = need(arg, spec, "why needs NAME");
                Component c = lastComponent.apply(name);
                return c == null ? ops.why(name) : ops.why(name, cellar.get().derive(c).ingredients());
            }
            case "rm": {
                boolean all = p.flag("all");
                String age = p.option("older-than");
                if ((arg != null ? 1 : 0) + (all ? 1 : 0) + (age != null ? 1 : 0) != 1) {
                    throw spec.bad("rm needs exactly one of NAME|KEY, --older-than=AGE, --all");
                }
                return ops.rm(all ? ops.all() : age != null ? ops.olderThan(Operations.parseAge(age)) : ops.select(arg));
            }
            case "gc":
                return ops.gc(p.option("max-size") != null ? Sizes.parse(p.option("max-size")) : Config.fromEnvironment().maxBytes());
            case "stats":
                return ops.stats();
            case "verify":
                return ops.verify();
            case "export": {
                String to = p.option("to");
                if (to == null) {
                    throw spec.bad("export needs --to=DIR");
                }
                return ops.export(need(arg, spec, "export needs NAME or KEY"), Path.of(to));
            }
            default:
                return ops.store(Config.fromEnvironment().maxBytes());
        }
    }

    private static String need(String arg, MagicSpec spec, String what) throws CellError {
        if (arg == null) {
            throw spec.bad(what);
        }
        return arg;
    }
}
