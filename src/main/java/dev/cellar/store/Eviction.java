package dev.cellar.store;

import dev.cellar.Key;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The eviction policy shared by every store: the least valuable entry goes first. Value is the
 * compute time an entry saves per byte it occupies (recomputing it would cost {@code computeNanos});
 * among equals, the least recently used goes first, then the oldest, then by key so the order is total.
 */
public final class Eviction {
    /** Least valuable first. */
    public static final Comparator<EntryInfo> ORDER = Eviction::compareValue;

    private Eviction() {}

    private static int compareValue(EntryInfo a, EntryInfo b) {
        // computeNanos/sizeBytes compared by cross multiplication: exact, no division by zero. The
        // 128-bit products come from multiplyHigh and the low word (both factors are non-negative), not
        // BigInteger: sorting a million entries made four BigIntegers per comparison.
        long ac = Math.max(0, a.computeNanos());
        long bs = Math.max(1, b.sizeBytes());
        long bc = Math.max(0, b.computeNanos());
        long as = Math.max(1, a.sizeBytes());
        int c = Long.compare(Math.multiplyHigh(ac, bs), Math.multiplyHigh(bc, as));
        if (c == 0) {
            c = Long.compareUnsigned(ac * bs, bc * as);
        }
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.lastUsedMillis(), b.lastUsedMillis());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.createdMillis(), b.createdMillis());
        return c != 0 ? c : a.key().compareTo(b.key());
    }

    /**
     * The entries to evict, in order, so that the remaining total is at most {@code maxBytes}; entries
     * for which {@code pinned} is true are never chosen (so the result may leave the total above the cap).
     */
    public static List<EntryInfo> victims(List<EntryInfo> entries, long maxBytes, Predicate<Key> pinned) {
        long total = 0;
        for (EntryInfo e : entries) {
            total += e.sizeBytes();
        }
        List<EntryInfo> victims = new ArrayList<>();
        if (total <= maxBytes) {
            return victims;
        }
        List<EntryInfo> sorted = new ArrayList<>(entries);
        sorted.sort(ORDER);
        for (EntryInfo e : sorted) {
            if (total <= maxBytes) {
                break;
            }
            if (!pinned.test(e.key())) {
                victims.add(e);
                total -= e.sizeBytes();
            }
        }
        return victims;
    }
}
