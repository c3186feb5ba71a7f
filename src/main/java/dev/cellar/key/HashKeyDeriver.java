package dev.cellar.key;

import dev.cellar.CellarException;
import dev.cellar.Key;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The default key deriver: NeuroTools' {@code hash_pickle}, made canonical. A key is SHA-256 over the
 * ingredients' kinds, names and digests, in this order: the key format, the type, the version, each
 * parameter (flattened to dotted paths, sorted), each code entry (sorted by name, {@linkplain
 * #normalizeCode normalized}), and each input in the order given: an upstream component by its own
 * key (derived recursively), a value by its {@link ValueDigest}, a provenance input by the key given,
 * and a value input that is a {@link Path} by the digest of the file's contents (kind {@code file}:
 * this is how {@code --files} enters a key).
 * Because the key is a function of the ingredient digests only, two manifests always explain a key
 * change: some ingredient was added, removed or has a different digest. Thread-safe and stateless.
 */
public final class HashKeyDeriver implements KeyDeriver {
    /** The version of the key encoding; bump it on any change that alters a single key or digest. */
    public static final int KEY_FORMAT = 2;

    private static final HexFormat HEX = HexFormat.of();

    @Override
    public Derivation derive(Recipe recipe) {
        return new Walk().derive(recipe);
    }

    /**
     * Recomputes a key from its ingredients (e.g. from a stored manifest); {@link #derive} returns
     * exactly {@code keyOf(derivation.ingredients())}.
     */
    public static Key keyOf(List<Ingredient> ingredients) {
        Sink sink = Sink.borrowSha256();
        try {
            Canonical.encode("cellar key", sink, "key header");
            sink.putInt(ingredients.size());
            for (Ingredient i : ingredients) {
                Canonical.encode(i.kind(), sink, "ingredient kind");
                Canonical.encode(i.name(), sink, "ingredient name");
                Canonical.encode(i.digest(), sink, "ingredient digest");
            }
            return Key.of(sink.finish());
        } finally {
            sink.release();
        }
    }

    /**
     * Source text as it enters a key: line ends unified to {@code \n}, trailing whitespace removed
     * from every line, and trailing blank lines (and the final line end) dropped, so editor noise
     * never changes a key. Leading indentation and blank lines inside the text are kept.
     */
    public static String normalizeCode(String source) {
        String[] lines = source.split("\r\n|\r|\n", -1);
        int end = lines.length;
        while (end > 0 && lines[end - 1].isBlank()) {
            end--;
        }
        StringBuilder sb = new StringBuilder(source.length());
        for (int i = 0; i < end; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(lines[i].stripTrailing());
        }
        return sb.toString();
    }

    /**
     * The format's ingredient, and the last type's and version's: a sweep derives many keys of one type
     * and version, and each of these is a SHA-256. An ingredient of a string is a function of the string
     * (its display is the string itself), so one with an equal display is the same ingredient; only
     * ingredients of non-null strings are remembered (a null's display is "null" too).
     */
    private static final Ingredient FORMAT_INGREDIENT = Walk.scalar("format", "format", KEY_FORMAT);
    private static volatile Ingredient lastType = Walk.scalar("type", "type", "");
    private static volatile Ingredient lastVersion = Walk.scalar("version", "version", "");

    /** One derivation: detects cycles by identity and derives each shared upstream once. */
    private static final class Walk {
        private final List<Recipe> path = new ArrayList<>();
        private final IdentityHashMap<Recipe, Derivation> done = new IdentityHashMap<>();

        Derivation derive(Recipe c) {
            Derivation known = done.get(c);
            if (known != null) {
                return known;
            }
            for (int i = 0; i < path.size(); i++) {
                if (path.get(i) == c) {
                    String cycle = path.subList(i, path.size()).stream().map(Recipe::type)
                            .collect(Collectors.joining(" -> "));
                    throw new CellarException("cycle in component inputs: " + cycle + " -> " + c.type());
                }
            }
            path.add(c);
            try {
                List<Ingredient> ingredients = ingredients(c);
                Derivation d = new Derivation(keyOf(ingredients), ingredients);
                done.put(c, d);
                return d;
            } finally {
                path.remove(path.size() - 1);
            }
        }

        private List<Ingredient> ingredients(Recipe c) {
            List<Ingredient> out = new ArrayList<>();
            out.add(FORMAT_INGREDIENT);
            out.add(c.type() == null ? scalar("type", "type", null) : typeIngredient(c.type()));
            out.add(c.version() == null ? scalar("version", "version", null) : versionIngredient(c.version()));
            flatten(c.parameters()).forEach((path, value) -> out.add(new Ingredient("param", "param " + path,
                    Display.value(value), "", ValueDigest.of(value, "parameter " + path))));
            c.code().forEach((name, source) -> {
                String normalized = normalizeCode(source);
                out.add(new Ingredient("code", "code " + name, Display.firstLine(normalized), normalized,
                        ValueDigest.of(normalized, "code " + name)));
            });
            for (Recipe.Input input : c.inputs()) {
                out.add(input(input));
            }
            return out;
        }

        private Ingredient input(Recipe.Input input) {
            String name = "input " + input.name();
            if (input instanceof Recipe.Upstream u) {
                Key k = derive(u.component()).key();
                return new Ingredient("input", name, "key " + k.shortHex() + "… (" + u.component().type() + ")",
                        "", k.hex());
            }
            if (input instanceof Recipe.Provenance p) {
                return new Ingredient("input", name, "key " + p.key().shortHex() + "…", "", p.key().hex());
            }
            if (input instanceof Recipe.Library lib) {
                // The content decides the key; the version is what a person recognises in `why`.
                String shown = lib.version() != null ? lib.version() : lib.digest().substring(0, Math.min(8,
                        lib.digest().length())) + "…";
                return new Ingredient("library", "library " + lib.name(), shown, "",
                        ValueDigest.of(lib.digest(), "library " + lib.name()));
            }
            Recipe.Value v = (Recipe.Value) input;
            if (v.value() instanceof Path file) {
                String digest = ValueDigest.file(file);
                return new Ingredient("file", "file " + input.name(), file + " " + digest.substring(0, 8) + "…", "",
                        digest);
            }
            // A caller that digested the value already (the kernel compares it with its provenance) passes
            // the digest along: an 800 MB input is then hashed once per key, not twice.
            String digest = v.digest() != null ? v.digest() : ValueDigest.of(v.value(), name);
            return new Ingredient("input", name, describe(v.value(), digest), "", digest);
        }

        /**
         * What `why` shows for a value: small scalars and short strings as themselves ("rate: 10.0 → 12.0"
         * explains a miss; two digests do not), arrays by type and length, the rest by digest. Display
         * only: the key covers the digest.
         */
        static String describe(Object value, String digest) {
            String shortDigest = digest.substring(0, 8) + "…";
            if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Character
                    || value instanceof Enum<?>) {
                return String.valueOf(value);
            }
            if (value instanceof String str && str.length() <= 80 && str.indexOf('\n') < 0) {
                return '"' + str + '"';
            }
            if (value.getClass().isArray()) {
                String type = value.getClass().getComponentType().getSimpleName();
                return type + "[" + java.lang.reflect.Array.getLength(value) + "] " + shortDigest;
            }
            return "value " + shortDigest;
        }

        private static Ingredient typeIngredient(String type) {
            Ingredient last = lastType;
            return last.display().equals(type) ? last : (lastType = scalar("type", "type", type));
        }

        private static Ingredient versionIngredient(String version) {
            Ingredient last = lastVersion;
            return last.display().equals(version) ? last : (lastVersion = scalar("version", "version", version));
        }

        private static Ingredient scalar(String kind, String name, Object value) {
            return new Ingredient(kind, name, String.valueOf(value), "", ValueDigest.of(value, name));
        }
    }

    /**
     * Leaves by dotted path. Unlike {@code Parameters.flatten()}, an empty nested set stays a leaf, so
     * adding or removing one still changes the key.
     */
    private static SortedMap<String, Object> flatten(ParameterTree p) {
        TreeMap<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : p.asMap().entrySet()) {
            if (e.getValue() instanceof ParameterTree nested && !nested.asMap().isEmpty()) {
                flatten(nested).forEach((k, v) -> out.put(e.getKey() + "." + k, v));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
