package dev.cellar.codec.arrow;

import dev.cellar.CodecException;
import dev.cellar.codec.Codec;
import dev.cellar.codec.DecodeContext;
import dev.cellar.codec.Encoded;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Arrays and tables as standard Arrow IPC files (one record batch) that pyarrow, the JavaScript
 * {@code apache-arrow} package, R or DuckDB open as they are.
 *
 * <p>Handles primitive arrays of all eight types, {@code String[]}, 2-D arrays (ragged, null rows
 * allowed), non-empty lists of one boxed type or of Strings (nulls allowed), {@code Map<String, array>}
 * tables of equal-length columns (column order kept), lists of records with primitive, boxed or String
 * components, and {@link VectorSchemaRoot}. Primitive data is streamed through a reusable direct
 * buffer on encode and bulk-copied out of the (possibly mapped) payload on decode.
 *
 * <p>Descriptors: {@code double[]}, {@code String[]}, {@code double[][]}, {@code List<Integer>},
 * {@code table} (decoded as a {@code LinkedHashMap<String, Object>} of column arrays),
 * {@code records com.x.Point} (a mutable {@code List} of records), {@code VectorSchemaRoot} (the caller
 * owns and closes the decoded root). Lists decode as {@code ArrayList}s.
 *
 * <p>Limits: one payload is at most 2 GiB (decode takes one {@link ByteBuffer}; the engine stores a larger 2-D array as several payloads of some rows each); Utf8 data and the
 * elements of a 2-D array are addressed with 32-bit offsets; strings with unpaired surrogates are
 * refused (UTF-8 cannot hold them).
 */
public final class ArrowCodec implements Codec {
    public static final String ID = "arrow";
    /** The column name of a single array, as pandas and pyarrow users will see it. */
    static final String VALUES = "values";
    private static final String TABLE = "table";
    private static final String RECORDS = "records ";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean canEncode(Object value) {
        if (value == null) return false;
        if (value instanceof VectorSchemaRoot) return true;
        Class<?> c = value.getClass();
        if (c.isArray()) return isColumnArray(c);
        if (value instanceof Map<?, ?> m) return isTable(m);
        if (value instanceof List<?> l) return listKind(l) != null;
        return false;
    }

    /** A 1-D primitive array, String[], or a 2-D array of those. */
    private static boolean isColumnArray(Class<?> c) {
        if (!c.isArray()) return false;
        Class<?> e = c.getComponentType();
        if (Prim.ofComponent(e) != null || e == String.class) return true;
        return e.isArray() && (Prim.ofComponent(e.getComponentType()) != null || e.getComponentType() == String.class);
    }

    private static boolean isTable(Map<?, ?> m) {
        if (m.isEmpty()) return false;
        int rows = -1;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String) || e.getValue() == null || !isColumnArray(e.getValue().getClass())) {
                return false;
            }
            int n = Array.getLength(e.getValue());
            if (rows >= 0 && n != rows) return false;
            rows = n;
        }
        return true;
    }

    /** The element class of a list Arrow can hold (boxed primitive, String or eligible record), or null. */
    private static Class<?> listKind(List<?> list) {
        Class<?> kind = null;
        boolean nulls = false;
        for (Object o : list) {
            if (o == null) {
                nulls = true;
                continue;
            }
            if (kind == null) {
                kind = o.getClass();
                if (Prim.ofBoxed(kind) == null && kind != String.class && !Records.eligible(kind)) return null;
            } else if (o.getClass() != kind) {
                return null;
            }
        }
        if (kind != null && nulls && kind.isRecord()) return null;
        return kind;
    }

    @Override
    public Encoded encode(Object value) {
        if (value instanceof VectorSchemaRoot root) return RootCodec.encode(root);
        if (value != null && value.getClass().isArray() && isColumnArray(value.getClass())) {
            // the outer array of a 2-D array is snapshot so that rows reassigned later cannot tear the layout
            Object snapshot = value.getClass().getComponentType().isArray() ? ((Object[]) value).clone() : value;
            Column c = column(VALUES, snapshot);
            return new IpcFile(value.getClass().getSimpleName(), List.of(c), c.length);
        }
        if (value instanceof Map<?, ?> m && isTable(m)) {
            List<Column> columns = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object v = e.getValue();
                columns.add(column((String) e.getKey(), v.getClass().getComponentType().isArray() ? ((Object[]) v).clone() : v));
            }
            return new IpcFile(TABLE, columns, columns.get(0).length);
        }
        if (value instanceof List<?> l) {
            Class<?> kind = listKind(l);
            if (kind != null) {
                Object[] elements = l.toArray();
                if (kind.isRecord()) {
                    return new IpcFile(RECORDS + kind.getName(), Records.columns(kind, elements), elements.length);
                }
                Column c = kind == String.class
                        ? Column.strings(VALUES, Arrays.copyOf(elements, elements.length, String[].class))
                        : Column.boxed(VALUES, Prim.ofBoxed(kind), elements);
                return new IpcFile("List<" + kind.getSimpleName() + ">", List.of(c), elements.length);
            }
        }
        throw new CodecException("Arrow codec cannot encode " + (value == null ? "null" : value.getClass().getTypeName()));
    }

    private static Column column(String name, Object array) {
        Class<?> e = array.getClass().getComponentType();
        if (e == String.class) return Column.strings(name, (String[]) array);
        Prim p = Prim.ofComponent(e);
        if (p != null) return Column.primitive(name, p, array);
        if (e == String[].class) return Column.nestedStrings(name, (String[][]) array);
        return Column.nested(name, Prim.ofComponent(e.getComponentType()), (Object[]) array);
    }

    /** Everything but records: those call a user type's constructor. */
    @Override
    public boolean decodesWithoutUserCode(String descriptor) {
        return descriptor != null && !descriptor.startsWith(RECORDS);
    }

    @Override
    public Object decode(String descriptor, ByteBuffer bytes, DecodeContext context) {
        if (descriptor == null) throw new CodecException("Arrow payload without a descriptor");
        if (descriptor.equals(RootCodec.DESCRIPTOR)) return RootCodec.decode(bytes, context.maxBytes());
        ColumnReader reader = new ColumnReader(IpcReader.read(bytes), context);
        List<IpcReader.FieldInfo> fields = reader.fields();
        long rows = reader.rowCount();
        if (descriptor.equals(TABLE)) {
            Map<String, Object> table = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            if (fields.isEmpty()) throw IpcReader.bad("a table without columns");
            for (IpcReader.FieldInfo f : fields) {
                if (!seen.add(f.name())) throw IpcReader.bad("column " + f.name() + " appears twice");
                table.put(f.name(), reader.column(f, rows));
            }
            return table;
        }
        if (descriptor.startsWith(RECORDS)) {
            return Records.decode(descriptor.substring(RECORDS.length()), reader, context.classLoader());
        }
        if (fields.size() != 1) {
            throw new CodecException("descriptor " + descriptor + " needs one column, payload has " + fields.size());
        }
        IpcReader.FieldInfo f = fields.get(0);
        if (descriptor.startsWith("List<") && descriptor.endsWith(">")) {
            String element = descriptor.substring(5, descriptor.length() - 1);
            if (element.equals("String") && f.utf8()) {
                return new ArrayList<>(Arrays.asList(reader.strings(f, rows)));
            }
            if (f.prim() != null && f.prim().boxed.getSimpleName().equals(element)) {
                return new ArrayList<>(Arrays.asList(reader.boxed(f, rows)));
            }
        } else if (descriptor.equals("String[]") && f.utf8()) {
            return reader.strings(f, rows);
        } else if (descriptor.equals("String[][]") && f.child() != null && f.child().utf8()) {
            return reader.rows(f, rows);
        } else if (f.prim() != null && descriptor.equals(f.prim().javaName() + "[]")) {
            return reader.primitives(f, rows);
        } else if (f.child() != null && f.child().prim() != null && descriptor.equals(f.child().prim().javaName() + "[][]")) {
            return reader.rows(f, rows);
        }
        throw new CodecException("descriptor " + descriptor + " does not match the stored column, which holds " + f.describe());
    }
}
