package dev.cellar.codec;

import dev.cellar.CodecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A first-match chain of codecs: codecs registered by the user come first (newest first), then those
 * found by {@link ServiceLoader} in the order their service files list them — cellar's own list puts
 * the Arrow codec before the JSON codec, so arrays and tables go to Arrow.
 */
public final class CodecRegistry {
    private final CopyOnWriteArrayList<Codec> user = new CopyOnWriteArrayList<>();
    private final List<Codec> discovered;

    private CodecRegistry(List<Codec> discovered) {
        this.discovered = List.copyOf(discovered);
    }

    /** The codecs on the class path of this class's loader. */
    public static CodecRegistry standard() {
        List<Codec> found = new ArrayList<>();
        ServiceLoader.load(Codec.class, CodecRegistry.class.getClassLoader()).forEach(found::add);
        return new CodecRegistry(found);
    }

    /** A registry with exactly these codecs, in this order (for tests and custom set-ups). */
    public static CodecRegistry of(Codec... codecs) {
        return new CodecRegistry(List.of(codecs));
    }

    /** Puts {@code codec} ahead of every codec already present. */
    public CodecRegistry register(Codec codec) {
        user.add(0, codec);
        return this;
    }

    /**
     * The first codec that accepts {@code value}.
     *
     * @throws CodecException naming the value's type if none does
     */
    public Codec forValue(Object value) {
        for (Codec c : user) { // two loops, not all(): this runs for every value stored
            if (c.canEncode(value)) {
                return c;
            }
        }
        for (Codec c : discovered) {
            if (c.canEncode(value)) {
                return c;
            }
        }
        String type = value == null ? "null" : value.getClass().getTypeName();
        throw new CodecException("no codec for type " + type
                + " (cellar stores primitive and String arrays, 2-D arrays, lists, maps, records,"
                + " strings and boxed scalars; register a Codec for other types)");
    }

    /** The codec with this id, if any (a stored entry naming an unknown codec is a miss). */
    public Optional<Codec> byId(String id) {
        for (Codec c : user) {
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        for (Codec c : discovered) {
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public List<Codec> all() {
        List<Codec> out = new ArrayList<>(user);
        out.addAll(discovered);
        return out;
    }
}
