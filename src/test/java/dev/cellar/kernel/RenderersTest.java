package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.kernel.display.MimeBundle;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values rendered through the renderer registry, as a notebook receives them: pictures as PNG (also
 * XChart charts, from a jar added with %maven), SVG, Markdown, LaTeX, renderers a user registers; and
 * every rich output of a %%cached body replayed exactly on a hit.
 */
class RenderersTest {
    @TempDir
    static Path dir;
    static CellarKernel kernel;
    static final AtomicInteger CELL = new AtomicInteger(1);
    final List<MimeBundle> shown = new ArrayList<>();

    @BeforeAll
    static void start() {
        kernel = new CellarKernel(() -> Cellar.open(dir.resolve("store")));
    }

    @AfterAll
    static void stop() {
        kernel.close();
    }

    @BeforeEach
    void listen() {
        kernel.onDisplay(shown::add);
    }

    @AfterEach
    void quiet() {
        kernel.onDisplay(null);
    }

    /** Runs a cell; returns its printed text. The cell's last value, if any, is added to {@link #shown}. */
    String run(String code) throws Exception {
        StringBuilder out = new StringBuilder();
        DisplayData d = kernel.eval(code, CELL.getAndIncrement(), (stream, text) -> out.append(text));
        if (d != null) {
            java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
            for (String mime : List.of("text/plain", "text/html", "image/png", "image/svg+xml", "text/markdown")) {
                Object v = d.getData(MIMEType.parse(mime));
                if (v != null) {
                    data.put(mime, v);
                }
            }
            shown.add(new MimeBundle(data));
        }
        return out.toString();
    }

    static BufferedImage png(MimeBundle b) throws Exception {
        Object data = b.data().get("image/png");
        assertTrue(data instanceof String, "no image/png in " + b.data().keySet());
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) data)));
    }

    @Test
    void imagesAreShownAsPng() throws Exception {
        run("var img1 = new java.awt.image.BufferedImage(30, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);\n"
                + "img1.setRGB(3, 4, 0x00ff00);\ndisplay(img1);");
        BufferedImage back = png(shown.get(0));
        assertEquals(30, back.getWidth());
        assertEquals(20, back.getHeight());
        assertEquals(0x00ff00, back.getRGB(3, 4) & 0xffffff);
        assertEquals("30x20 image", shown.get(0).plainText());
        run("img1");
        assertEquals(shown.get(0).data(), shown.get(1).data(), "a cell's last value renders as display() does");
    }

    @Test
    void svgMarkdownLatexAndHtmlHaveTheirMimeTypes() throws Exception {
        run("\"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='5' height='5'/></svg>\"");
        assertTrue(((String) shown.get(0).data().get("image/svg+xml")).startsWith("<svg"), shown.get(0).data().toString());
        run("markdown(\"# Title\");\nlatex(\"$x^2$\");\nhtml(\"<b>bold</b>\");\nsvg(\"<svg/>\");");
        assertEquals("# Title", shown.get(1).data().get("text/markdown"));
        assertEquals("$x^2$", shown.get(2).data().get("text/latex"));
        assertEquals("<b>bold</b>", shown.get(3).data().get("text/html"));
        assertEquals("<svg/>", shown.get(4).data().get("image/svg+xml"));
    }

    @Test
    void usersRegisterRenderersForTheirOwnTypes() throws Exception {
        run("record Temperature(double celsius) {}\n"
                + "registerRenderer(Temperature.class, t -> Map.of(\"text/html\", \"<i>\" + t.celsius() + \" °C</i>\"));\n"
                + "display(new Temperature(21.5));");
        MimeBundle b = shown.get(0);
        assertEquals("<i>21.5 °C</i>", b.data().get("text/html"));
        assertTrue(b.plainText().contains("21.5"), "text/plain is added: " + b.data());
    }

    @Test
    void xchartChartsFromAMavenJarAreDrawnAsPng() throws Exception {
        run("%maven org.knowm.xchart:xchart:3.8.8");
        run("import org.knowm.xchart.*;\n"
                + "XYChart rchart = new XYChartBuilder().width(320).height(200).title(\"rates\").build();\n"
                + "rchart.addSeries(\"psth\", new double[] {0, 1, 2, 3}, new double[] {5, 40, 20, 8});\n"
                + "rchart");
        MimeBundle b = shown.get(shown.size() - 1);
        BufferedImage chart = png(b);
        assertEquals(320, chart.getWidth());
        assertEquals(200, chart.getHeight());
        assertEquals("XYChart \"rates\"", b.plainText());
    }

    @Test
    void aCachedHitReplaysEveryRichOutputExactly() throws Exception {
        run("java.awt.image.BufferedImage square(int side, int rgb) {\n"
                + "    var im = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);\n"
                + "    for (int x = 0; x < side; x++) for (int y = 0; y < side; y++) im.setRGB(x, y, x < y ? rgb : 0);\n"
                + "    return im;\n}");
        String body = "%%cached pic\nint picSide = 24;\nSystem.out.println(\"drawing\");\ndisplay(square(picSide, 0xff0000));\n"
                + "svg(\"<svg width='4' height='4'/>\");\ndisplay(Map.of(\"n\", new int[] {1, 2}));\nmarkdown(\"**done**\");";
        String miss = run(body);
        assertTrue(miss.contains("cellar: MISS pic ["), miss);
        List<MimeBundle> computed = new ArrayList<>(shown);
        assertEquals(4, computed.size(), computed.toString());
        shown.clear();
        String hit = run(body);
        assertTrue(hit.contains("cellar: HIT pic ["), hit);
        assertTrue(hit.startsWith("drawing\n"), hit);
        assertEquals(computed.stream().map(MimeBundle::data).toList(), shown.stream().map(MimeBundle::data).toList());
        assertEquals(0xff0000, png(shown.get(0)).getRGB(2, 20) & 0xffffff);
    }
}
