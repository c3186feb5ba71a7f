package dev.cellar.kernel.jshell;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Whether a complete snippet is well-formed Java, by javac's parser alone (no types, nothing run).
 * JShell's completeness analysis only balances brackets and statements: it calls {@code int = 7q;}
 * and an unterminated string literal complete, and a front end would then run them instead of saying
 * they are invalid. A snippet may be a statement, an expression, a member or an import, so each of
 * those wrappings is tried.
 */
public final class SyntaxCheck {
    private static final String[][] WRAPPINGS = {
        {"class CellarSyntax { void run() throws Throwable {\n", "\n} }"},
        {"class CellarSyntax { Object value() throws Throwable { return (\n", "\n); } }"},
        {"class CellarSyntax {\n", "\n}"},
        {"", "\nclass CellarSyntax {}"},
    };

    private SyntaxCheck() {
    }

    /** True if {@code snippet} parses as a statement, an expression, a class member or an import. */
    public static boolean wellFormed(String snippet) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return true; // a JRE without javac cannot tell; JShell itself would not run either
        }
        for (String[] w : WRAPPINGS) {
            if (parses(javac, w[0] + snippet + w[1])) {
                return true;
            }
        }
        return false;
    }

    private static boolean parses(JavaCompiler javac, String source) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///CellarSyntax.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) javac.getTask(new StringWriter(), null, diagnostics,
                List.of("-proc:none", "-Xlint:none"), null, List.of(file));
        try {
            task.parse();
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
    }
}
