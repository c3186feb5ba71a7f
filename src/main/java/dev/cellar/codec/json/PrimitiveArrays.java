package dev.cellar.codec.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.CodecException;

/** Decoding of the {@code "int[]"}, {@code "double[]"}, ..., {@code "String[]"} tags. */
final class PrimitiveArrays {
    private PrimitiveArrays() {}

    static Object read(String tag, JsonNode v, Where at, TaggedReader reader, int depth) {
        if (!v.isArray()) throw new CodecException("malformed JSON payload at " + at + ": " + tag + " is not an array");
        int n = v.size();
        switch (tag) {
            case "boolean[]": {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (!v.get(i).isBoolean()) throw new CodecException("malformed JSON payload at " + at + ": not a boolean");
                    a[i] = v.get(i).booleanValue();
                }
                return a;
            }
            case "byte[]": {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) a[i] = (byte) TaggedReader.integral(v.get(i), at, Byte.MIN_VALUE, Byte.MAX_VALUE);
                return a;
            }
            case "short[]": {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) a[i] = (short) TaggedReader.integral(v.get(i), at, Short.MIN_VALUE, Short.MAX_VALUE);
                return a;
            }
            case "char[]": {
                char[] a = new char[n];
                for (int i = 0; i < n; i++) a[i] = (char) TaggedReader.integral(v.get(i), at, 0, Character.MAX_VALUE);
                return a;
            }
            case "int[]": {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = (int) TaggedReader.integral(v.get(i), at, Integer.MIN_VALUE, Integer.MAX_VALUE);
                return a;
            }
            case "long[]": {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = TaggedReader.integral(v.get(i), at, Long.MIN_VALUE, Long.MAX_VALUE);
                return a;
            }
            case "float[]": {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = TaggedReader.parseFloat(TaggedReader.text(v.get(i), at, 64), at);
                return a;
            }
            case "double[]": {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = TaggedReader.parseDouble(TaggedReader.text(v.get(i), at, 64), at);
                return a;
            }
            case "String[]": {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    Object s = reader.read(v.get(i), at.in("element", i), depth + 1);
                    if (s != null && !(s instanceof String)) {
                        throw new CodecException("malformed JSON payload at " + at + ": String[] element " + i + " is not a string");
                    }
                    a[i] = (String) s;
                }
                return a;
            }
            default:
                throw new CodecException("malformed JSON payload at " + at + ": unknown tag " + TaggedReader.abbreviate(tag));
        }
    }
}
