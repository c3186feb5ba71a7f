package dev.cellar.key;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

/**
 * Instances of plain classes declared in a notebook (JShell puts snippet classes in package {@code
 * REPL}) enter keys by their fields, as records do by their components. Classes from anywhere else
 * have no encoding: their fields are another library's private business.
 */
final class NotebookObjects {
    private NotebookObjects() {
    }

    static boolean isNotebookClass(Class<?> c) {
        return c.getName().startsWith("REPL.") && !c.isRecord() && !c.isEnum() && !c.isArray() && !c.isHidden()
                && !c.isSynthetic() && !c.isAnonymousClass() && !c.isLocalClass() && !c.isInterface();
    }

    /**
     * The instance fields of {@code o} (its class's and its notebook superclasses'), sorted by name.
     *
     * @throws IllegalArgumentException saying why the object has no encoding
     */
    static Map<String, Object> fields(Object o) {
        String name = Canonical.className(o.getClass());
        Map<String, Object> fields = new TreeMap<>();
        for (Class<?> k = o.getClass(); k != Object.class; k = k.getSuperclass()) {
            if (!isNotebookClass(k)) {
                throw new IllegalArgumentException(name + " extends " + k.getName() + ", which has no canonical encoding");
            }
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                if (fields.containsKey(f.getName())) {
                    throw new IllegalArgumentException(name + " has two fields named " + f.getName());
                }
                try {
                    f.setAccessible(true);
                    fields.put(f.getName(), f.get(o));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot read field " + f.getName() + " of " + name + " (" + e + ")");
                }
            }
        }
        return fields;
    }
}
