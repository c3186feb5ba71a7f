// cellar for JShell: /open this file (scripts/jshell does it for you), then
//   double[] xs = cached("squares", params("n", n), () -> squares(n));
// Status lines (HIT/MISS) go to standard error; CELLAR_DIR chooses the store, CELLAR_DISABLE=1 turns caching off.
import dev.cellar.*;
import static dev.cellar.Cached.*;
Cached.cellar().onStatus(System.err::println);
