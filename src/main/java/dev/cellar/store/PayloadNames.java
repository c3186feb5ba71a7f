package dev.cellar.store;

/**
 * The rule for payload names, the same in every store: 1 to 255 characters, no path separators,
 * no control characters, not {@code .} or {@code ..}. Stores never build file names from payload
 * names, but a back end that does (or a future export) can then never escape its directory.
 */
public final class PayloadNames {
    public static final int MAX_LENGTH = 255;

    private PayloadNames() {}

    /** @throws IllegalArgumentException naming the problem if {@code name} is not a valid payload name */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a payload name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("payload name longer than " + MAX_LENGTH + " characters");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("payload name '" + name + "' is not allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("payload name '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a path separator or control character");
            }
        }
        return name;
    }
}
