package dev.cellar.kernel.magic;

import dev.cellar.kernel.jshell.CellError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code %load FILE}: runs the snippets of a {@code .jsh} or {@code .java} file as if they were a cell
 * (declarations, statements, magics), stopping at the first error. JShell commands such as
 * {@code /open} are not Java and are refused with the line that holds one, before anything runs.
 */
final class LoadMagic implements LineMagic {
    static final String USAGE = "usage: %load FILE (a .jsh or .java file of Java snippets)";

    private final Magics magics;

    LoadMagic(Magics magics) {
        this.magics = magics;
    }

    @Override
    public Object run(String args) throws Exception {
        String name = args.strip();
        if (name.isEmpty() || name.contains(" ") && !(name.startsWith("\"") && name.endsWith("\""))) {
            throw new CellError.MagicError(USAGE);
        }
        if (name.startsWith("\"")) {
            name = name.substring(1, name.length() - 1);
        }
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            throw new CellError.MagicError("%load: no such file '" + name + "'\n" + USAGE);
        }
        String code;
        try {
            code = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CellError.MagicError("%load: cannot read '" + name + "': " + e.getMessage());
        }
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("/") && !l.startsWith("//") && !l.startsWith("/*")) {
                throw new CellError.MagicError("%load: " + name + " line " + (i + 1) + ": '" + l
                        + "' is a JShell command, not Java; nothing was run");
            }
        }
        CellValue v = magics.run(code, magics.currentCell());
        return v.hasValue() ? v.value() : null;
    }
}
