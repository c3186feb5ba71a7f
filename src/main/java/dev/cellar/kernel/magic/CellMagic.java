package dev.cellar.kernel.magic;

/** A cell magic: {@code %%name args} on the first line; the rest of the cell is its body. */
@FunctionalInterface
public interface CellMagic {
    /**
     * Runs the magic.
     *
     * @param body the cell with the magic line blanked, so that line numbers stay the cell's own
     * @param cell the execution count, for error messages
     */
    CellValue run(String args, String body, int cell) throws Exception;
}
