package dev.cellar.kernel.magic;

/**
 * A line magic: {@code %name args} at the top of a cell, or {@code x = %name args} inside code, where
 * the value it returns becomes {@code x}. What it prints appears in the cell's output.
 */
@FunctionalInterface
public interface LineMagic {
    /** Runs the magic; the result is the value of an inline use ({@code null} if it has none). */
    Object run(String args) throws Exception;
}
