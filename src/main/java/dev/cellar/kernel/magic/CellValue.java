package dev.cellar.kernel.magic;

/** What a cell leaves to display: the value of its last expression, if it ended with one. */
public record CellValue(boolean hasValue, Object value) {
    public static final CellValue NONE = new CellValue(false, null);
}
