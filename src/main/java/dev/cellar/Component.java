package dev.cellar;

import dev.cellar.key.Recipe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A unit of computation whose results can be stored: NeuroTools' component. Its identity is its
 * {@code type} and {@code version} (bump the version when the code changes meaning); its state is its
 * {@link Parameters}, its upstream {@link Input inputs}, and optionally named source texts ({@code
 * code}) that the kernel records for cells. The store key is derived from all of these, recursively
 * through upstream components, so callers never handle keys.
 *
 * <p>Inputs can be added after construction ({@link #addInput}), as in NeuroTools where a component's
 * input was assigned; a chain that loops back on itself is refused when its key is derived.
 */
public final class Component implements Recipe {
    private final String type;
    private final String version;
    private final Parameters parameters;
    private final SortedMap<String, String> code;
    private final List<Input> inputs;
    /** Whether every parameter is an immutable value (no array or record that could change in place). */
    private final boolean immutableParameters;

    private Component(String type, String version, Parameters parameters, SortedMap<String, String> code,
            List<Input> inputs) {
        this.type = type;
        this.version = version;
        this.parameters = parameters;
        this.code = Collections.unmodifiableSortedMap(code);
        this.inputs = inputs;
        this.immutableParameters = immutable(parameters);
    }

    /**
     * True while nothing this component's key is derived from can change: its type, version and code
     * are strings, its parameters hold only immutable values, and it has no inputs (an input value may
     * be an array changed in place, an upstream component may gain inputs, and inputs can be added).
     * Inputs only grow, so true now means true at any earlier time.
     */
    @Override
    public boolean keyIsFixed() {
        if (!immutableParameters) {
            return false;
        }
        synchronized (inputs) {
            return inputs.isEmpty();
        }
    }

    private static boolean immutable(Object v) {
        if (v instanceof Parameters p) {
            for (Object o : p.asMap().values()) {
                if (!immutable(o)) {
                    return false;
                }
            }
            return true;
        }
        if (v instanceof List<?> l) { // Parameters keeps lists unmodifiable
            for (Object o : l) {
                if (!immutable(o)) {
                    return false;
                }
            }
            return true;
        }
        return v instanceof String || v instanceof Boolean || v instanceof Character || v instanceof Integer
                || v instanceof Long || v instanceof Double || v instanceof Float || v instanceof Short
                || v instanceof Byte || v instanceof Enum<?> || v.getClass() == java.math.BigInteger.class
                || v.getClass() == java.math.BigDecimal.class;
    }

    /** @throws IllegalArgumentException if {@code type} is blank */
    public static Builder builder(String type) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a component needs a non-blank type");
        }
        return new Builder(type);
    }

    /** A component with no version, no parameters and no inputs. */
    public static Component of(String type) {
        return builder(type).build();
    }

    /** A component with parameters and no inputs. */
    public static Component of(String type, Parameters parameters) {
        return builder(type).parameters(parameters).build();
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** Named source texts (a cell body, helper methods) that are part of this component's identity. */
    @Override
    public SortedMap<String, String> code() {
        return code;
    }

    /** The upstream inputs, in the order given (order is part of the key). */
    @Override
    public List<Input> inputs() {
        synchronized (inputs) {
            return List.copyOf(inputs);
        }
    }

    /** Adds an upstream component (NeuroTools' {@code c.input = other}); cycles are refused at key time. */
    public Component addInput(Component upstream) {
        Objects.requireNonNull(upstream, "upstream");
        synchronized (inputs) {
            inputs.add(Input.of("input" + inputs.size(), upstream));
        }
        return this;
    }

    @Override
    public String toString() {
        return type + (version.isEmpty() ? "" : "@" + version) + parameters;
    }

    /** Builds components; not thread-safe. */
    public static final class Builder {
        private final String type;
        private String version = "";
        private Parameters parameters = Parameters.empty();
        private final TreeMap<String, String> code = new TreeMap<>();
        private final List<Input> inputs = new ArrayList<>();

        private Builder(String type) {
            this.type = type;
        }

        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        public Builder parameters(Parameters parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /** Adds a named source text to the identity (e.g. {@code "body"}, {@code "method simulate(int)"}). */
        public Builder code(String name, String source) {
            code.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(source, "source"));
            return this;
        }

        public Builder input(Input input) {
            inputs.add(Objects.requireNonNull(input, "input"));
            return this;
        }

        /** Adds an upstream component, named by its position. */
        public Builder input(Component upstream) {
            return input(Input.of("input" + inputs.size(), upstream));
        }

        /** Adds upstream values or components, each named by its position. */
        public Builder inputs(List<?> upstream) {
            for (Object o : upstream) {
                if (o instanceof Input in) {
                    input(in);
                } else if (o instanceof Component c) {
                    input(c);
                } else {
                    input(Input.value("input" + inputs.size(), o));
                }
            }
            return this;
        }

        public Component build() {
            return new Component(type, version, parameters, new TreeMap<>(code), new ArrayList<>(inputs));
        }
    }

    /**
     * One upstream ingredient: another component (enters the key by its key), a value (enters by a
     * digest of its canonical encoding), or a known key (provenance: a value produced by a cached
     * computation and proven unchanged since).
     */
    public sealed interface Input extends Recipe.Input {
        @Override
        String name();

        static Input of(String name, Component component) {
            return new Upstream(name, component);
        }

        static Input value(String name, Object value) {
            return new Value(name, value);
        }

        /**
         * A value whose {@link dev.cellar.key.ValueDigest} the caller has taken already; the key uses
         * {@code digest} as given, so it must be exactly that digest.
         */
        static Input value(String name, Object value, String digest) {
            return new Digested(name, value, digest);
        }

        static Input key(String name, Key key) {
            return new Provenance(name, key);
        }

        /** A library (a jar) by name, version (null if unknown) and content digest. */
        static Input library(String name, String version, String digest) {
            return new Library(name, version, digest);
        }

        record Upstream(String name, Component component) implements Input, Recipe.Upstream {
            public Upstream {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(component, "component");
            }
        }

        record Value(String name, Object value) implements Input, Recipe.Value {
            public Value {
                Objects.requireNonNull(name, "name");
            }
        }

        record Digested(String name, Object value, String digest) implements Input, Recipe.Value {
            public Digested {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(digest, "digest");
            }
        }

        record Provenance(String name, Key key) implements Input, Recipe.Provenance {
            public Provenance {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(key, "key");
            }
        }

        record Library(String name, String version, String digest) implements Input, Recipe.Library {
            public Library {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(digest, "digest");
            }
        }
    }
}
