package dev.cellar.codec.arrow;

import dev.cellar.CodecException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists of records whose components are primitives, boxed primitives or Strings, stored as a table
 * with one column per component (primitive components non-nullable, the others nullable). Decoding
 * resolves the record class through the caller's class loader without initializing it, checks that
 * its components match the stored columns, and calls the canonical constructor — never anything a
 * payload could name beyond a record class.
 */
final class Records {
    private Records() {}

    static boolean eligible(Class<?> c) {
        if (!c.isRecord()) return false;
        for (RecordComponent rc : c.getRecordComponents()) {
            Class<?> t = rc.getType();
            if (Prim.ofComponent(t) == null && Prim.ofBoxed(t) == null && t != String.class) return false;
        }
        return true;
    }

    static List<Column> columns(Class<?> type, Object[] rows) {
        List<Column> columns = new ArrayList<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            Method accessor = rc.getAccessor();
            accessor.trySetAccessible();
            Object[] values = new Object[rows.length];
            for (int i = 0; i < rows.length; i++) {
                try {
                    values[i] = accessor.invoke(rows[i]);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new CodecException("cannot read component " + rc.getName() + " of " + type.getName() + ": " + e, e);
                }
            }
            Class<?> t = rc.getType();
            Prim p = Prim.ofComponent(t);
            if (p != null) {
                columns.add(Column.primitive(rc.getName(), p, p.unbox(values)));
            } else if (t == String.class) {
                String[] s = new String[values.length];
                System.arraycopy(values, 0, s, 0, values.length);
                columns.add(Column.strings(rc.getName(), s));
            } else {
                columns.add(Column.boxed(rc.getName(), Prim.ofBoxed(t), values));
            }
        }
        return columns;
    }

    static List<Object> decode(String className, ColumnReader reader, ClassLoader loader) {
        Class<?> type;
        try {
            // loadClass, not Class.forName: a session loader may map a stored JShell wrapper name
            // (REPL.$JShell$12$Spike) to the same record declared under another wrapper; forName refuses that.
            type = loader.loadClass(className);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CodecException("record class " + className + " is not available in this session", e);
        }
        if (!type.isRecord()) throw new CodecException(className + " is not a record class; refusing to decode into it");
        RecordComponent[] components = type.getRecordComponents();
        List<IpcReader.FieldInfo> fields = reader.fields();
        if (fields.size() != components.length) {
            throw new CodecException("record " + className + " has " + components.length + " components, stored table has "
                    + fields.size() + " columns");
        }
        long rows = reader.rowCount();
        // a record without components has no buffers to bound its row count: charge the objects up front
        reader.charge(rows * (24L + 8L * components.length), "records " + className);
        Object[][] columns = new Object[components.length][];
        Class<?>[] types = new Class<?>[components.length];
        for (int c = 0; c < components.length; c++) {
            RecordComponent rc = components[c];
            IpcReader.FieldInfo f = fields.get(c);
            Class<?> t = rc.getType();
            types[c] = t;
            if (!f.name().equals(rc.getName())) {
                throw new CodecException("record " + className + " component " + c + " is " + rc.getName()
                        + ", stored column is " + f.name());
            }
            Prim p = Prim.ofComponent(t) != null ? Prim.ofComponent(t) : Prim.ofBoxed(t);
            if (t == String.class ? !f.utf8() : (p == null || f.prim() != p)) {
                throw new CodecException("record " + className + " component " + rc.getName() + " is " + t.getName()
                        + ", stored column holds " + f.describe());
            }
            if (t == String.class) {
                columns[c] = reader.strings(f, rows);
            } else {
                Object[] boxed = reader.boxed(f, rows);
                if (t.isPrimitive()) {
                    for (Object o : boxed) {
                        if (o == null) throw new CodecException("column " + f.name() + " has nulls; component " + rc.getName() + " is " + t);
                    }
                }
                columns[c] = boxed;
            }
        }
        Constructor<?> constructor;
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.trySetAccessible();
        } catch (NoSuchMethodException e) {
            throw new CodecException("record " + className + " has no canonical constructor", e);
        }
        List<Object> out = new ArrayList<>((int) rows);
        Object[] args = new Object[components.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < components.length; c++) args[c] = columns[c][r];
            try {
                out.add(constructor.newInstance(args));
            } catch (InvocationTargetException e) {
                throw new CodecException("constructor of " + className + " rejected stored row " + r + ": " + e.getCause(), e);
            } catch (ReflectiveOperationException e) {
                throw new CodecException("cannot construct " + className + ": " + e, e);
            }
        }
        return out;
    }
}
