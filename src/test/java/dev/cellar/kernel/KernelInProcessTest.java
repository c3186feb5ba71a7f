package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.kernel.jshell.CellError;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's cell evaluation and %%cached without the Jupyter transport: one kernel (one JShell) in
 * this JVM on a temporary store; each test uses its own variable names.
 */
class KernelInProcessTest extends InProcessKernel {
    @Test
    void lastExpressionWithoutSemicolonIsShownAndArraysAreAbbreviated() throws Exception {
        assertEquals("=> 42", run("int a1 = 41;\na1 + 1"));
        // As in IJava: an expression's value is shown with or without ';' (course notebooks write `x + y;`).
        assertEquals("=> 42", run("a1 + 1;"));
        assertEquals("=> 5", run("\"hello\".length();"));
        assertEquals("=> 41", run("a1;"));
        assertEquals("=> true", run("new ArrayList<String>().add(\"x\");"));
        // Only the last snippet counts; void calls, assignments and declarations show nothing.
        assertEquals("", run("a1 + 1;\nint a2 = 3;"));
        assertEquals("x\n", run("System.out.println(\"x\");"));
        assertEquals("x\n", run("System.out.println(\"x\")"));
        assertEquals("", run("a1 = 41;"));
        String big = run("new double[1_000_000]");
        assertTrue(big.startsWith("=> double[1000000] {0.0, 0.0"), big);
        assertTrue(big.length() < 200, big);
    }

    @Test
    void errorsNameTheCellLineAndStopTheRestOfTheCell() throws Exception {
        CellError e = fails("int e1 = 1;\nSystem.out.println(\"before\");\nint e2 = Integer.parseInt(\"x\");\nint e3 = 3;");
        assertInstanceOf(CellError.EvalError.class, e);
        assertTrue(e.getMessage().contains("NumberFormatException") && e.getMessage().contains("line 3"),
                e.getMessage());
        assertTrue(fails("e3").getMessage().contains("cannot find symbol"), "e3 must not have been declared");
        CellError c = fails("int c1 = 1;\nint c2 = nosuchthing;");
        assertInstanceOf(CellError.CompileError.class, c);
        assertTrue(c.getMessage().startsWith("line 2:"), c.getMessage());
    }

    @Test
    void readingACachedOutputKeysByProvenanceUntilTheValueChanges() throws Exception {
        assertTrue(run("%%cached pa\ndouble[] pxs = {3, 1, 2};").contains("cellar: MISS pa ["));
        assertTrue(run("%%cached pb\ndouble psum = pxs[0] * 10 + pxs[1];").contains("cellar: MISS pb ["));
        assertTrue(run("%%cached pb\ndouble psum = pxs[0] * 10 + pxs[1];").contains("cellar: HIT pb ["));
        // Sorting in place changes the value behind the name: the provenance key is no longer trusted.
        run("Arrays.sort(pxs);");
        String after = run("%%cached pb\ndouble psum = pxs[0] * 10 + pxs[1];");
        assertTrue(after.contains("cellar: MISS pb ["), after);
        assertEquals("=> 12.0", run("psum"));
        // Restoring the cached cell brings back the original value and its provenance.
        assertTrue(run("%%cached pa\ndouble[] pxs = {3, 1, 2};").contains("cellar: HIT pa ["));
        assertTrue(run("%%cached pb\ndouble psum = pxs[0] * 10 + pxs[1];").contains("cellar: HIT pb ["));
        assertEquals("=> 31.0", run("psum"));
    }

    /** A body that sorts its input in place is stored under the key it was looked up with, not the sorted input's. */
    @Test
    void bodyModifyingItsInputIsStoredUnderTheKeyOfTheInputBeforeIt() throws Exception {
        run("double[] mx = {3, 1, 2};");
        assertTrue(run("%%cached msort\nArrays.sort(mx);\ndouble mfirst = mx[0];").contains("MISS"));
        run("mx = new double[] {3, 1, 2};");
        String again = run("%%cached msort\nArrays.sort(mx);\ndouble mfirst = mx[0];");
        assertTrue(again.contains("HIT"), again);
        assertEquals("=> 1.0", run("mfirst"));
        assertEquals("=> \"[1.0, 2.0, 3.0]\"", run("Arrays.toString(mx)"), "the sort is restored too");
    }

    /** The arrays course: declare in one cell, fill in a cached one; a hit must leave the array filled. */
    @Test
    void anArrayFilledInPlaceIsStoredAndRestoredOnAHit() throws Exception {
        run("int[] arrOne = new int[10];\nint[] arrAlias = arrOne;");
        String fill = "%%cached fill\nfor (int i = 0; i < arrOne.length; i++) {\n    arrOne[i] = i * i;\n}";
        String miss = run(fill);
        assertTrue(miss.contains("MISS fill") && miss.contains("arrOne changed in place: stored"), miss);
        run("arrOne = new int[10];\narrAlias = arrOne;"); // what a fresh kernel has before the cell
        String hit = run(fill);
        assertTrue(hit.contains("HIT fill") && hit.contains("arrOne int[]"), hit);
        assertEquals("=> \"[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\"", run("Arrays.toString(arrOne)"));
        assertEquals("=> \"81 true\"", run("arrAlias[9] + \" \" + (arrAlias == arrOne)"),
                "the stored values are copied into the array the variable holds, so other names see them");
    }

    @Test
    void listsAndMapsChangedInPlaceAndReassignedVariablesAreRestored() throws Exception {
        run("List<String> lnames = new ArrayList<>();\nMap<String, Integer> lcounts = new HashMap<>();\nint ltotal = 1;");
        String cell = "%%cached grow\nlnames.add(\"ada\");\nlcounts.merge(\"ada\", 1, Integer::sum);\nltotal = ltotal + 5;";
        String miss = run(cell);
        assertTrue(miss.contains("lnames changed in place: stored") && miss.contains("lcounts changed in place: stored")
                && miss.contains("ltotal reassigned: stored"), miss);
        run("lnames = new ArrayList<>();\nlcounts = new HashMap<>();\nltotal = 1;");
        assertTrue(run(cell).contains("HIT grow"));
        assertEquals("=> \"[ada] {ada=1} 6\"", run("lnames + \" \" + lcounts + \" \" + ltotal"));
        // Run again on the changed values: another key, so the body runs on them as it would uncached.
        assertTrue(run(cell).contains("MISS grow"));
        assertEquals("=> \"[ada, ada] {ada=2} 11\"", run("lnames + \" \" + lcounts + \" \" + ltotal"));
    }

    /** An array only read by index needs no second digest, unless a changed object may hold it too. */
    @Test
    void anArrayChangedThroughAnObjectThatHoldsItIsStillFound() throws Exception {
        run("class ArrHolder { int[] a; void bump() { a[0] += 7; } }\nint[] heldArr = new int[3];\n"
                + "ArrHolder arrHolder = new ArrHolder();\narrHolder.a = heldArr;");
        String cell = "%%cached viaholder\narrHolder.bump();\nint heldFirst = heldArr[0];";
        String miss = run(cell);
        assertTrue(miss.contains("arrHolder changed in place: stored") && miss.contains("heldArr changed in place: stored"),
                miss);
        run("heldArr[0] = 0;");
        assertTrue(run(cell).contains("HIT viaholder"));
        assertEquals("=> \"7 7\"", run("heldArr[0] + \" \" + heldFirst"));
    }

    @Test
    void aChangeThatCannotBeStoredIsNotCachedAndRunsEveryTime() throws Exception {
        run("List<Object> nthings = new ArrayList<>();");
        String cell = "%%cached nc\nnthings.add(new Thread(() -> { }));";
        for (int i = 1; i <= 2; i++) {
            String out = run(cell);
            // The first run finds the change it cannot store; then the list cannot even be keyed.
            assertTrue(out.contains("nc not cached, it runs every time") && !out.contains("HIT")
                    && out.contains(i == 1 ? "nthings changed in place and cannot be stored" : "no canonical encoding"),
                    out);
            assertEquals("=> " + i, run("nthings.size()"));
        }
    }

    /** The same text can mean other code after another import; a stale hit there would be a wrong value. */
    @Test
    void importsThatSupplyANameTheBodyUsesEnterTheKey() throws Exception {
        run("import static java.lang.Math.floor;");
        assertTrue(run("%%cached imp\ndouble iv = floor(2.7);").contains("MISS"));
        assertTrue(run("%%cached imp\ndouble iv = floor(2.7);").contains("HIT"));
        run("import java.util.BitSet;"); // a name the body does not use: still a hit
        assertTrue(run("%%cached imp\ndouble iv = floor(2.7);").contains("HIT"));
        run("import static java.lang.StrictMath.floor;"); // overwrites Math.floor: same text, other code
        String after = run("%%cached imp\ndouble iv = floor(2.7);");
        assertTrue(after.contains("MISS"), after);
    }

    @Test
    void helpersAreFollowedTransitivelyIntoTheVariablesTheyRead() throws Exception {
        run("int hk = 2;\nint inner(int x) { return x * hk; }\nint outer(int x) { return inner(x) + 1; }");
        assertTrue(run("%%cached hc\nint hv = outer(5);").contains("MISS"));
        assertTrue(run("%%cached hc\nint hv = outer(5);").contains("HIT"));
        run("hk = 3;");
        assertTrue(run("%%cached hc\nint hv = outer(5);").contains("MISS"));
        assertEquals("=> 16", run("hv"));
        run("int inner(int x) { return x * hk * 2; }");
        assertTrue(run("%%cached hc\nint hv = outer(5);").contains("MISS"));
        assertEquals("=> 31", run("hv"));
    }

    @Test
    void restoredOutputsKeepTheirDeclaredGenericAndRecordTypes() throws Exception {
        run("record RPoint(int x, String label) {}");
        String miss = run("%%cached rt\nList<RPoint> rpts = List.of(new RPoint(1, \"a\"), new RPoint(2, \"b\"));\n"
                + "Map<String, double[]> rcols = new TreeMap<>(Map.of(\"v\", new double[] {1.5}));");
        assertTrue(miss.contains("MISS"), miss);
        run("rpts = null; rcols = null;");
        String hit = run("%%cached rt\nList<RPoint> rpts = List.of(new RPoint(1, \"a\"), new RPoint(2, \"b\"));\n"
                + "Map<String, double[]> rcols = new TreeMap<>(Map.of(\"v\", new double[] {1.5}));");
        assertTrue(hit.contains("HIT") && hit.contains("rpts List<RPoint>") && hit.contains("rcols Map<String, double[]>"),
                hit);
        assertEquals("=> \"b 1.5\"", run("rpts.get(1).label() + \" \" + rcols.get(\"v\")[0]"));
    }

    @Test
    void unencodableInputsAndNonDenotableOutputsAreRefusedWithAWayOut() throws Exception {
        run("Thread uth = new Thread(() -> { });");
        String in = run("%%cached ui\nString uname = uth.getName() + \"!\";");
        assertTrue(in.contains("ui not cached") && in.contains("'uth'") && in.contains("--ignore=uth"), in);
        assertTrue(run("uname").startsWith("=> \"Thread-"), "the cell ran, uncached");
        assertTrue(run("%%cached ui --ignore=uth\nString uname = uth.getName() + \"!\";").contains("MISS"));
        // The body ran and succeeded: not an error, one line, and the cell is not cached.
        String anon = run("%%cached un\nvar uanon = new Object() { int a = 1; };");
        assertTrue(anon.contains("un not cached") && anon.contains("uanon") && anon.contains("cannot write"), anon);
        assertEquals("=> 1", run("uanon.a"));
    }

    @Test
    void badMagicArgumentsPrintUsageAndRunNothing() throws Exception {
        run("int bcount = 0;");
        for (String args : new String[] {"--params", "--force=yes", "a b", "--outputs=1x", "--version=1 --version=2"}) {
            CellError e = fails("%%cached " + args + "\nbcount++;");
            assertInstanceOf(CellError.MagicError.class, e);
            assertTrue(e.getMessage().contains("usage: %%cached"), e.getMessage());
        }
        assertEquals("=> 0", run("bcount"));
    }

    @Test
    void lineMagicsRunBeforeTheCellAndUnknownOnesAreNamed() throws Exception {
        CellError e = fails("%nosuch arg\nint lm = 1;");
        assertTrue(e.getMessage().contains("%nosuch") && e.getMessage().contains("%jars"), e.getMessage());
        CellError j = fails("%jars /no/such/dir/*.jar");
        assertFalse(j.getMessage().isEmpty());
    }

    @Test
    void completionCompletenessAndInspection() throws Exception {
        run("double inspectedRate = 1.0;");
        var options = kernel.complete("inspectedR", 10);
        assertTrue(options.getReplacements().contains("inspectedRate"), options.getReplacements().toString());
        assertEquals(0, options.getSourceStart());
        assertEquals("complete", kernel.isComplete("int q = 1;"));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("complete", kernel.isComplete("%%cached x\nint y = 1;"));
        DisplayData doc = kernel.inspect("Math.max(1, 2)", 6, false);
        assertTrue(doc != null && String.valueOf(doc.getData(
                io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN)).contains("max("),
                String.valueOf(doc));
    }

    @Test
    void interruptWhenIdleIsHarmless() throws Exception {
        kernel.interrupt();
        assertEquals("=> 3", run("1 + 2"));
    }

    @Test
    void typesDefinedInTheCachedBodyAreDefinedAgainOnAHit() throws Exception {
        String cell = "%%cached dt\nrecord DtRow(int k, double v) {}\nList<DtRow> dtRows = List.of(new DtRow(1, 2.5));";
        assertTrue(run(cell).contains("MISS"));
        run("/* another cell */ int dtOther = 1;");
        String hit = run("\n" + cell + "   \n");
        assertTrue(hit.contains("cellar: HIT dt"), hit);
        assertEquals("=> 2.5", run("dtRows.get(0).v()"));
    }

    @Test
    void cellarLineMagicListsEntriesAndExplainsAMiss() throws Exception {
        StringBuilder shown = new StringBuilder();
        kernel.onDisplay(d -> shown.append(d.plainText()).append('\n'));
        try {
            run("int wk = 3;");
            assertTrue(run("%%cached whycell --params=wk\nint wv = wk * 2;").contains("MISS"));
            run("wk = 4;");
            assertTrue(run("%%cached whycell --params=wk\nint wv = wk * 2;").contains("MISS"));
            run("%cellar ls whycell");
            assertTrue(shown.toString().contains("whycell"), shown.toString());
            shown.setLength(0);
            run("%cellar why whycell");
            assertTrue(shown.toString().contains("nothing changed"), shown.toString());
            shown.setLength(0);
            run("wk = 5;");
            run("%cellar why whycell");
            assertTrue(shown.toString().contains("wk") && shown.toString().contains("5"), shown.toString());
            Path data = store.resolveSibling(store.getFileName() + "-why.csv");
            java.nio.file.Files.writeString(data, "a,b\n1,2\n");
            String cell = "%%cached whyfile --files=" + data + "\nint wf = 1;";
            assertTrue(run(cell).contains("MISS"));
            java.nio.file.Files.writeString(data, "a,b\n1,3\n");
            shown.setLength(0);
            run("%cellar why whyfile");
            assertTrue(shown.toString().contains("file " + data + ": changed ("), shown.toString());
            CellError e = fails("%cellar frobnicate");
            assertTrue(e.getMessage().contains("usage: %cellar"), e.getMessage());
        } finally {
            kernel.onDisplay(null);
        }
    }

    @Test
    void classpathMagicMakesNewClassesUsable(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/extra/Greeter.java");
        java.nio.file.Files.createDirectories(src.getParent());
        java.nio.file.Files.writeString(src,
                "package extra; public class Greeter { public static String hi(String n) { return \"hi \" + n; } }");
        Path classes = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.toString());
        assertEquals(0, rc);
        assertTrue(fails("extra.Greeter.hi(\"x\")") instanceof CellError.CompileError);
        String added = run("%classpath " + classes + "\nextra.Greeter.hi(\"cellar\")");
        assertTrue(added.contains("added to the class path") && added.contains("=> \"hi cellar\""), added);
    }

    /** Course notebooks define plain classes; arrays of them are outputs, restored without running constructors. */
    @Test
    void valuesOfClassesDefinedInTheNotebookAreStoredAndRestoredWithoutConstructors() throws Exception {
        run("class Square {\n    static int made;\n    final int side;\n    String label;\n"
                + "    Square(int s) { side = s; label = \"s\" + s; made++; }\n    int area() { return side * side; }\n}");
        String cell = "%%cached squares\nSquare[] squares = {new Square(2), new Square(3)};\nList<Square> sqList = List.of(squares);";
        String miss = run(cell);
        assertTrue(miss.contains("MISS squares") && miss.contains("squares Square[]"), miss);
        run("squares = null;\nsqList = null;\nSquare.made = 0;");
        String hit = run(cell);
        assertTrue(hit.contains("HIT squares"), hit);
        assertEquals("=> \"9 s3 s2 0\"", run("squares[1].area() + \" \" + squares[1].label + \" \" + sqList.get(0).label + \" \" + Square.made"),
                "the fields are back and no constructor ran");
    }

    @Test
    void aFieldSetOnAnObjectHeldInAVariableIsAChangeInPlace() throws Exception {
        run("class Counter { int n; }\nCounter ctr = new Counter();\nCounter ctrAlias = ctr;");
        String cell = "%%cached bump\nctr.n += 5;";
        String miss = run(cell);
        assertTrue(miss.contains("ctr changed in place: stored"), miss);
        run("ctr.n = 0;");
        assertTrue(run(cell).contains("HIT bump"));
        assertEquals("=> \"5 5\"", run("ctr.n + \" \" + ctrAlias.n"));
        // A class whose field has no codec: the cell runs, uncached, with one line; never an error.
        run("class Holder { Thread t = new Thread(() -> { }); }");
        String out = run("%%cached holder\nHolder holder = new Holder();");
        assertTrue(out.contains("holder not cached") && out.contains("Thread"), out);
    }

    /** IJava's form: a line magic used as a value inside code. */
    @Test
    void aLineMagicInsideCodeIsItsValue(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/inl/Hello.java");
        java.nio.file.Files.createDirectories(src.getParent());
        java.nio.file.Files.writeString(src, "package inl; public class Hello { public static int two() { return 2; } }");
        Path classes = dir.resolve("classes");
        assertEquals(0, javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.toString()));
        String out = run("int before = 1;\nList<String> inlAdded = %jars " + classes + "\ninlAdded.size() + inl.Hello.two()");
        assertTrue(out.contains("added to the class path") && out.endsWith("=> 3"), out);
        // '%' in strings, text blocks, comments and arithmetic is left alone.
        assertEquals("=> \"50%jars 1\"", run("int inlM = 7 % 3;\nString inlS = \"50%jars\"; // %jars x\ninlS + \" \" + inlM"));
        assertEquals("=> \"%d apples\n\"", run("String inlT = \"\"\"\n%d apples\n\"\"\";\ninlT"));
        // A line magic below Java is refused in plain words, not as incomplete code.
        CellError e = fails("int inlX = 1;\n%jars " + classes);
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("top of a cell"), e.getMessage());
        assertTrue(fails("int inlY = %nosuch x").getMessage().contains("unknown line magic %nosuch"));
    }

    @Test
    void nullAndPrimitiveOutputsRoundTrip() throws Exception {
        String cell = "%%cached np\nString npNull = null;\nchar npChar = 'q';\nboolean npFlag = true;\nlong npLong = 1L << 40;";
        assertTrue(run(cell).contains("MISS"));
        run("npNull = \"x\"; npChar = 'z'; npFlag = false; npLong = 0;");
        assertTrue(run(cell).contains("HIT"));
        assertEquals("=> \"null q true 1099511627776\"", run("npNull + \" \" + npChar + \" \" + npFlag + \" \" + npLong"));
    }

    @Test
    void aCellWithoutOutputsReplaysWhatItPrinted() throws Exception {
        String cell = "%%cached noout\nSystem.out.println(\"hello from the body\");\nString noNull = null;";
        String miss = run(cell);
        assertTrue(miss.contains("hello from the body") && miss.contains("MISS"), miss);
        String hit = run(cell);
        assertTrue(hit.contains("hello from the body") && hit.contains("HIT"), hit);
    }

    /** Run All without a restart: an unchanged cell whose variables still hold its values keeps them. */
    @Test
    void rerunningAnUnchangedCellKeepsItsVariablesUntilOneIsChanged() throws Exception {
        String cell = "%%cached cur\ndouble[] curA = {1, 2, 3};\nint curN = 5;\nSystem.out.println(\"computed\");";
        assertTrue(run(cell).contains("MISS"));
        run("double[] curAlias = curA;");
        String again = run(cell);
        assertTrue(again.contains("cellar: HIT cur [") && again.contains("] already current, saved ")
                && again.contains("computed"), again);
        assertEquals("=> true", run("curAlias == curA"), "kept the very array, not a restored copy");
        run("curA[0] = 9;"); // modified in place: restored
        String modified = run(cell);
        assertTrue(modified.contains("restored curA double[], curN int"), modified);
        assertEquals("=> \"1.0 false\"", run("curA[0] + \" \" + (curAlias == curA)"));
        assertTrue(run(cell).contains("already current"), "the restored values are current in turn");
        run("curA = new double[] {1, 2, 3};"); // an equal value, but not the object this key produced
        assertTrue(run(cell).contains("restored curA double[]"), "only the very object is current");
        run("double[] curKeep = curA; curA[2] = 4;"); // changed in place right before the same cell again
        assertTrue(run(cell).contains("restored curA double[]"), "the change after the last run is seen");
        assertEquals("=> \"3.0 false\"", run("curA[2] + \" \" + (curKeep == curA)"));
        run("curN = 6;"); // a primitive reassigned
        assertTrue(run(cell).contains("restored"));
        assertEquals("=> 5", run("curN"));
        run("double[] curA = {1, 2, 3};"); // redeclared by another cell, even with an equal value
        assertTrue(run(cell).contains("restored"));
        run("int other = 1;");
        String otherCell = run("%%cached cur --version=2\ndouble[] curA = {1, 2, 3};\nint curN = 5;");
        assertTrue(otherCell.contains("MISS"), "another key is never current: " + otherCell);
        assertTrue(run(cell).contains("restored"), "the outputs now hold the other entry's values");
    }

    /**
     * A primitive output is re-boxed on every read, so the box recorded for the check is referenced by
     * nobody else; a collection between the runs must not make the cell look changed (the box is outside
     * Integer's small-value cache, which would otherwise keep it alive).
     */
    @Test
    void primitiveOutputsStayCurrentAcrossACollection() throws Exception {
        String cell = "%%cached curGc\nint curGcN = 100_000_001;\nlong curGcL = 1L << 40;\nint[] curGcA = {1};";
        assertTrue(run(cell).contains("MISS"));
        run("System.gc();");
        System.gc();
        String again = run(cell);
        assertTrue(again.contains("already current"), again);
        run("curGcN = 5;");
        System.gc();
        assertTrue(run(cell).contains("restored"), "a reassigned primitive is still seen");
        assertEquals("=> 100000001", run("curGcN"));
    }

    /** The key in a %%cached status line ("HIT name [1a2b3c4d] ..."). */
    private static String keyOf(String status) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:HIT|MISS) \\S+ \\[([0-9a-f]+)\\]").matcher(status);
        assertTrue(m.find(), status);
        return m.group(1);
    }

    /** Cells and helpers are keyed by their tokens: comments and formatting are hits, token changes misses. */
    @Test
    void commentsAndFormattingKeepTheKeyAndTokenChangesMiss() throws Exception {
        run("int tkScale(int x) { return x * 3; }");
        String cell = "%%cached tk\nint tkv = tkScale(2) + 1;\nString tks = \"a b\";";
        String miss = run(cell);
        assertTrue(miss.contains("MISS"), miss);
        String key = keyOf(miss);
        assertEquals(key, keyOf(run("%%cached tk\n// a comment\nint   tkv =\n    tkScale( 2 )+1; /* why */\n\nString tks = \"a b\";")));
        run("int tkScale(int x) {\n    // triples\n    return x*3;\n}"); // a helper re-indented and commented
        String helper = run(cell);
        assertEquals(key, keyOf(helper), helper);
        for (String changed : new String[] {
                cell.replace("tkScale(2) + 1", "tkScale(2) - 1"),   // operator
                cell.replace("tkScale(2)", "tkScale(3)"),           // literal
                cell.replace("\"a b\"", "\"a  b\""),               // string literal text
                cell.replace("int tkv = tkScale(2)", "int tkv = Math.abs(2)")}) { // identifier
            String out = run(changed);
            assertTrue(out.contains("MISS") && !keyOf(out).equals(key), changed + " -> " + out);
        }
        run("int tkScale(int x) { return x * 4; }"); // a token of the helper
        String after = run(cell);
        assertTrue(after.contains("MISS") && !keyOf(after).equals(key), after);
    }

    /** An overload the cell cannot call (no call of its arity, no method reference) does not enter the key. */
    @Test
    void overloadsTheCellCannotCallDoNotEnterTheKey() throws Exception {
        run("int ovl(int a) { return a; }\nint ovl(int a, int b) { return a + b; }");
        String cell = "%%cached ov\nint ovv = ovl(1, 2);";
        String key = keyOf(run(cell));
        run("int ovl(int a) { return -a; }");
        String other = run(cell);
        assertTrue(other.contains("HIT") && keyOf(other).equals(key), "ovl(int) cannot be called: " + other);
        run("int ovl(int a, int b) { return a * b; }");
        String called = run(cell);
        assertTrue(called.contains("MISS"), called);
        assertEquals("=> 2", run("ovv"));
        // A varargs overload can take any number of arguments: it always enters the key.
        run("int ovl(int... as) { return 0; }");
        String k2 = keyOf(run(cell));
        run("int ovl(int... as) { return 1; }");
        String varargs = run(cell);
        assertTrue(varargs.contains("MISS") && !keyOf(varargs).equals(k2), varargs);
    }

    /** %cellar why on a token change names the changed statement, not whitespace. */
    @Test
    void whyShowsTokenChangesNotWhitespace() throws Exception {
        StringBuilder shown = new StringBuilder();
        kernel.onDisplay(d -> shown.append(d.plainText()).append('\n'));
        try {
            run("int wth(int x) { int y = x; return y + 2; }");
            assertTrue(run("%%cached whytok\nint wtv = wth(1);").contains("MISS"));
            run("int wth(int x) {\n    int   y = x;   // copy\n\n    return y + 3;\n}");
            shown.setLength(0);
            run("%cellar why whytok");
            String why = shown.toString();
            assertTrue(why.contains("return y + 3 ;") && why.contains("return y + 2 ;"), why);
            assertFalse(why.contains("// copy") || why.contains("int   y") || why.contains("int y = x"), why);
        } finally {
            kernel.onDisplay(null);
        }
    }
}
