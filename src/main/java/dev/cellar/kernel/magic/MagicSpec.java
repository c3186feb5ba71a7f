package dev.cellar.kernel.magic;

import dev.cellar.kernel.jshell.CellError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One declared argument spec for a magic: up to {@code maxPositional} positional words, {@code
 * --name=value} options and {@code --flag} flags. Anything else is refused with the usage text and the
 * offending argument named, so a typo never silently changes what is cached.
 */
public final class MagicSpec {
    private final String usage;
    private final int maxPositional;
    private final Set<String> options;
    private final Set<String> flags;

    public record Parsed(List<String> positional, Map<String, String> options, Set<String> flags) {
        public String option(String name) {
            return options.get(name);
        }

        public boolean flag(String name) {
            return flags.contains(name);
        }
    }

    public MagicSpec(String usage, int maxPositional, Set<String> options, Set<String> flags) {
        this.usage = usage;
        this.maxPositional = maxPositional;
        this.options = Set.copyOf(options);
        this.flags = Set.copyOf(flags);
    }

    public String usage() {
        return usage;
    }

    /** @throws CellError.MagicError naming the bad argument, followed by the usage text */
    public Parsed parse(String args) throws CellError.MagicError {
        List<String> positional = new ArrayList<>();
        Map<String, String> opts = new LinkedHashMap<>();
        Set<String> fl = new LinkedHashSet<>();
        for (String word : words(args)) {
            if (word.startsWith("--")) {
                int eq = word.indexOf('=');
                String name = eq < 0 ? word.substring(2) : word.substring(2, eq);
                if (options.contains(name)) {
                    if (eq < 0 || eq == word.length() - 1) {
                        throw bad("option --" + name + " needs a value: --" + name + "=...");
                    }
                    if (opts.put(name, word.substring(eq + 1)) != null) {
                        throw bad("option --" + name + " given twice");
                    }
                } else if (flags.contains(name)) {
                    if (eq >= 0) {
                        throw bad("flag --" + name + " takes no value");
                    }
                    fl.add(name);
                } else {
                    throw bad("unknown option '" + word + "'");
                }
            } else if (word.startsWith("-")) {
                throw bad("unknown option '" + word + "'");
            } else if (positional.size() < maxPositional) {
                positional.add(word);
            } else {
                throw bad("unexpected argument '" + word + "'");
            }
        }
        return new Parsed(positional, opts, fl);
    }

    /** Splits a comma-separated option value into Java identifiers. */
    public List<String> identifiers(String option, String value) throws CellError.MagicError {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty() || !Character.isJavaIdentifierStart(p.charAt(0))
                    || !p.chars().allMatch(Character::isJavaIdentifierPart)) {
                throw bad("--" + option + ": '" + p + "' is not a variable name");
            }
            out.add(p);
        }
        return out;
    }

    public CellError.MagicError bad(String what) {
        return new CellError.MagicError(what + "\n" + usage);
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
