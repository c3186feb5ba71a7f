package dev.cellar.engine;

import dev.cellar.key.Ingredient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains why two derivations of the same name have different keys, ingredient by ingredient:
 * "parameter rate: 10.0 → 12.0", "method simulate(double,int) changed: …diff…",
 * "upstream spikes: key 9ab661d9 → 4c1e02aa". Ingredients are matched by name; the key covers their
 * digests, so if no ingredient differs the keys are equal.
 */
public final class Why {
    private Why() {}

    /** One changed ingredient, with a readable sentence and, for code, a line diff. */
    public record Change(String kind, String name, String before, String after, String sentence, String diff) {}

    /** The changes from {@code before} to {@code after}, in the order of {@code after}, then removed ones. */
    public static List<Change> compare(List<Ingredient> before, List<Ingredient> after) {
        Map<String, Ingredient> old = new LinkedHashMap<>();
        before.forEach(i -> old.put(i.name(), i));
        List<Change> changes = new ArrayList<>();
        for (Ingredient now : after) {
            Ingredient was = old.remove(now.name());
            if (was == null) {
                changes.add(new Change(now.kind(), now.name(), "", now.display(),
                        label(now) + " added: " + now.display(), ""));
            } else if (!was.digest().equals(now.digest())) {
                String diff = now.kind().equals("code") ? LineDiff.unified(was.detail(), now.detail()) : "";
                String sentence = now.kind().equals("code") ? label(now) + " changed"
                        : now.kind().equals("file") ? label(now) + ": changed (" + shortDigest(was) + " → "
                                + shortDigest(now) + ")"
                        : label(now) + ": " + was.display() + " → " + now.display();
                changes.add(new Change(now.kind(), now.name(), was.display(), now.display(), sentence, diff));
            }
        }
        for (Ingredient gone : old.values()) {
            changes.add(new Change(gone.kind(), gone.name(), gone.display(), "",
                    label(gone) + " removed (was " + gone.display() + ")", ""));
        }
        return changes;
    }

    /** "parameter rate", "method simulate(double,int)", "upstream spikes", "file data.csv", … */
    static String label(Ingredient i) {
        String n = i.name();
        return switch (i.kind()) {
            case "param" -> "parameter " + strip(n, "param ");
            case "input" -> "upstream " + strip(n, "input ");
            case "code" -> strip(n, "code ");
            default -> n;
        };
    }

    private static String shortDigest(Ingredient i) {
        return i.digest().substring(0, Math.min(8, i.digest().length())) + "…";
    }

    private static String strip(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    /** Renders changes as lines of text, diffs indented under their sentence. */
    public static String render(List<Change> changes) {
        if (changes.isEmpty()) {
            return "nothing changed: the keys are equal";
        }
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            sb.append(c.sentence()).append('\n');
            if (!c.diff().isEmpty()) {
                c.diff().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
            }
        }
        return sb.toString().stripTrailing();
    }
}
