package dev.cellar.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal line diff (longest common subsequence) for showing how a method or cell changed. Sources
 * are small (a cell, a method), so the quadratic table is cheap; huge texts fall back to a summary.
 */
final class LineDiff {
    private static final int MAX_LINES = 2000;

    private LineDiff() {}

    static String unified(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        if (a.length > MAX_LINES || b.length > MAX_LINES) {
            return "- (" + a.length + " lines)\n+ (" + b.length + " lines)";
        }
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add("+ " + b[j++]);
            } else {
                out.add("- " + a[i++]);
            }
        }
        return String.join("\n", out);
    }
}
