package dev.cellar.kernel;

import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.messages.request.HistoryRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cells this kernel session ran, for {@code history_request}: consoles ask for the tail to offer
 * up-arrow history, and front ends search it. Kept in memory for the session (session number 1, as the
 * protocol numbers the current session), with each cell's text output when it had one.
 */
final class History {
    static final int SESSION = 1;

    private record Cell(int number, String input, String output) {}

    private final List<Cell> cells = new ArrayList<>();

    synchronized void add(int number, String input, String output) {
        cells.add(new Cell(number, input, output == null ? "" : output));
    }

    /** The entries a request asks for: the last n, a range of cell numbers, or a glob search. */
    synchronized List<HistoryEntry> answer(HistoryRequest request) {
        List<Cell> chosen = new ArrayList<>();
        if (request instanceof HistoryRequest.Tail tail) {
            int n = tail.getMaxReturnLength();
            chosen.addAll(cells.subList(Math.max(0, cells.size() - Math.max(0, n)), cells.size()));
        } else if (request instanceof HistoryRequest.Range range) {
            int session = range.getSessionIndex();
            if (session == SESSION || session == 0) { // 0: the current session
                for (Cell c : cells) {
                    if (c.number() >= range.getStart() && (range.getStop() <= 0 || c.number() < range.getStop())) {
                        chosen.add(c);
                    }
                }
            }
        } else if (request instanceof HistoryRequest.Search search) {
            Pattern glob = glob(search.getPattern() == null ? "*" : search.getPattern());
            Set<String> seen = new LinkedHashSet<>();
            // Newest first, so that "unique" keeps the latest of equal inputs and n counts back from the end.
            for (int i = cells.size() - 1; i >= 0; i--) {
                Cell c = cells.get(i);
                if (glob.matcher(c.input()).matches() && (!search.filterUnique() || seen.add(c.input()))) {
                    chosen.add(0, c);
                }
            }
            int n = search.getMaxReturnLength();
            if (n > 0 && chosen.size() > n) {
                chosen = new ArrayList<>(chosen.subList(chosen.size() - n, chosen.size()));
            }
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : chosen) {
            out.add(request.includeOutput() ? new HistoryEntry(SESSION, c.number(), c.input(), c.output())
                    : new HistoryEntry(SESSION, c.number(), c.input()));
        }
        return out;
    }

    /** IPython's history search pattern: a glob ({@code *} any text, {@code ?} one character). */
    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
