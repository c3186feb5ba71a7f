package dev.cellar.codec.json;

import dev.cellar.CodecException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import sun.reflect.ReflectionFactory;

/**
 * Instances of plain classes declared in a notebook (JShell defines snippet classes in package
 * {@code REPL}), stored by their fields as records are by their components. Decoding never runs a
 * constructor or any other code named by stored bytes: the class must already be defined in the
 * session (the caller's loader resolves it), the instance is allocated with only {@code Object}'s
 * constructor (the JDK's supported route for serialization frameworks, {@code
 * ReflectionFactory.newConstructorForSerialization}), and its fields are set from values decoded under
 * the same rules. Classes from anywhere else are refused: their fields are another library's business.
 */
final class PlainObjects {
    private PlainObjects() {
    }

    static boolean isNotebookClass(Class<?> c) {
        return c.getName().startsWith("REPL.") && !c.isRecord() && !c.isEnum() && !c.isArray() && !c.isHidden()
                && !c.isSynthetic() && !c.isAnonymousClass() && !c.isLocalClass() && !c.isInterface()
                && !Modifier.isAbstract(c.getModifiers());
    }

    /** Element classes an object array may be stored with: each decodes without running code. */
    static boolean isElementClass(Class<?> c) {
        return c.isRecord() || c.isEnum() || isNotebookClass(c);
    }

    /**
     * The instance fields of a notebook class and its notebook superclasses, by name.
     *
     * @throws CodecException if a superclass is not a notebook class or a name is declared twice
     */
    static Map<String, Field> fields(Class<?> c) {
        Map<String, Field> fields = new TreeMap<>();
        for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
            if (!k.getName().startsWith("REPL.") || k.isHidden() || k.isSynthetic()) {
                throw new CodecException(c.getName() + " extends " + k.getName() + ", whose fields cellar does not store");
            }
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                if (fields.put(f.getName(), f) != null) {
                    throw new CodecException(c.getName() + " has two fields named " + f.getName());
                }
                f.setAccessible(true);
            }
        }
        return fields;
    }

    /** A new instance of {@code c} with all fields at their defaults; none of {@code c}'s constructors run. */
    static Object allocate(Class<?> c) {
        try {
            Constructor<?> onlyObjects = ReflectionFactory.getReflectionFactory()
                    .newConstructorForSerialization(c, Object.class.getDeclaredConstructor());
            return onlyObjects.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new CodecException("cannot allocate " + c.getName() + ": " + e, e);
        }
    }
}
