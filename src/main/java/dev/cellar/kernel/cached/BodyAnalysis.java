package dev.cellar.kernel.cached;

import dev.cellar.kernel.jshell.CellError;
import dev.cellar.kernel.jshell.JShellEvaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.VarSnippet;

/**
 * JShell's analysis of a cell body (its snippets, and what each would declare), remembered for the exact
 * text and the session it was made in. Keying a cell asks JShell to split the body and to analyse each
 * snippet (10-20 ms of CPU for a two-line cell, more than the rest of keying together); a rerun of an
 * unchanged cell asks the same questions of the same session.
 *
 * <p>The answer depends on the session, not only on the text: {@code var x = f();} is a variable
 * {@code x} once {@code f} exists and an erroneous snippet before (and again once {@code f} is redefined
 * as {@code void}), {@code y + 1;} a temporary variable only if {@code y} is one. So it is reused only
 * while everything the analysis can see is unchanged: every active method, class, interface, record,
 * enum and import (its id and its source, since JShell keeps the id of a definition it replaces), every
 * active variable's name and declared type (its value and the snippet that set it do not change what
 * the code means; a type Java source cannot name counts by its id and source), and each status. A session that added anything to its class path (a jar or a directory, whose classes may
 * change what names mean) is never reused from.
 */
final class BodyAnalysis {
    /** The body's snippets and, per snippet, what it would declare. */
    record Result(List<JShellEvaluator.Piece> pieces, List<List<Snippet>> declared) {}

    private record Remembered(List<String> session, Result result) {}

    /** Bodies remembered; a notebook has few cached cells, and the oldest is dropped first. */
    private static final int CAPACITY = 64;

    private final JShellEvaluator evaluator;
    private final Map<String, Remembered> byBody = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > CAPACITY;
        }
    };

    BodyAnalysis(JShellEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /**
     * The analysis of {@code rawBody} in the session as it is now; {@code classPathAdded} says whether
     * the session added to its class path (then nothing is remembered).
     *
     * @throws CellError if the body ends in an incomplete snippet
     */
    synchronized Result of(String rawBody, boolean classPathAdded) throws CellError {
        List<String> session = classPathAdded ? null : session(evaluator.shell());
        Remembered r = session == null ? null : byBody.get(rawBody);
        if (r != null && r.session().equals(session)) {
            return r.result();
        }
        List<JShellEvaluator.Piece> pieces = evaluator.split(rawBody);
        List<List<Snippet>> declared = new ArrayList<>();
        for (JShellEvaluator.Piece piece : pieces) {
            declared.add(List.copyOf(evaluator.declarationsOf(piece.source())));
        }
        Result result = new Result(List.copyOf(pieces), List.copyOf(declared));
        if (session != null) {
            byBody.put(rawBody, new Remembered(session, result));
        }
        return result;
    }

    /** What JShell's analysis of new code can see in {@code shell}, one line per active declaration. */
    static List<String> session(JShell shell) {
        List<String> out = new ArrayList<>();
        shell.snippets().forEach(s -> {
            Snippet.Status status = shell.status(s);
            if (!status.isActive()) {
                return;
            }
            if (s instanceof VarSnippet v && CellKey.denotable(v.typeName())) {
                out.add("var " + v.name() + " " + v.typeName() + " " + status);
            } else if (s.kind() == Snippet.Kind.VAR || s.kind() == Snippet.Kind.METHOD
                    || s.kind() == Snippet.Kind.TYPE_DECL || s.kind() == Snippet.Kind.IMPORT) {
                // JShell keeps a definition's id when it is replaced (same name and signature): its source
                // says whether it changed.
                out.add(s.kind() + " " + s.id() + " " + status + "\n" + s.source());
            }
        });
        out.sort(null);
        return out;
    }
}
