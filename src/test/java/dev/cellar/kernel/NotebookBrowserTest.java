package dev.cellar.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a person sees: Debian's Jupyter Notebook server on localhost (token auth) with this kernel,
 * notebooks/quickstart.ipynb opened in Debian's headless Chromium (driven by Debian's chromedriver),
 * all cells run, the kernel restarted, all cells run again. The first run shows the MISS lines, the
 * second the HIT lines; both show the PSTH and correlogram pictures and no error. Screenshots go to
 * target/browser/ for a reviewer.
 */
@Tag("e2e")
class NotebookBrowserTest {
    static final Path NOTEBOOK_SERVER = Path.of("/usr/bin/jupyter-notebook");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target/browser");

    @Test
    void quickstartRunsTwiceInTheBrowserMissesThenHitsAndShowsItsPlots(@TempDir Path dir) throws Exception {
        boolean present = Files.isExecutable(NOTEBOOK_SERVER) && Files.isExecutable(CHROMIUM)
                && Files.isExecutable(CHROMEDRIVER) && Jupyter.available();
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(present, "jupyter-notebook, chromium or chromium-driver is not installed");
        }
        assertTrue(present, "CI must install jupyter-notebook, chromium and chromium-driver (scripts/lib.sh browser_apt)");
        Files.createDirectories(SHOTS);
        Path home = dir.resolve("jupyter");
        new Jupyter(home, dir.resolve("store"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.copy(Path.of("notebooks/quickstart.ipynb"), work.resolve("quickstart.ipynb"));
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(NOTEBOOK_SERVER.toString(), "--no-browser", "--allow-root",
                "--ip=127.0.0.1", "--port=" + port, "--port-retries=0", "--NotebookApp.token=" + token,
                "--notebook-dir=" + work);
        pb.environment().put("JUPYTER_PATH", home.toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", home.resolve("runtime").toString());
        pb.environment().put("JUPYTER_CONFIG_DIR", home.resolve("config").toString());
        pb.environment().put("JUPYTER_DATA_DIR", home.resolve("data").toString());
        pb.environment().put("CELLAR_DIR", dir.resolve("store").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("notebook-server.log").toFile());
        Process server = pb.start();
        ChromeDriver driver = null;
        try {
            String base = "http://127.0.0.1:" + port;
            awaitServer(base + "/api/status?token=" + token, server, dir.resolve("notebook-server.log"));
            driver = chromium(dir);
            driver.get(base + "/notebooks/quickstart.ipynb?token=" + token);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofMinutes(2));
            wait.until(d -> Boolean.TRUE.equals(js(d, "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                    + " && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel_selector)")));

            Map<String, Object> first = runAll(driver);
            shoot(driver, "quickstart-run1-top", null);
            shoot(driver, "quickstart-run1-psth", "psth");
            String firstText = (String) first.get("text");
            assertEquals(List.of(), first.get("errors"), firstText);
            assertEquals(3, count(firstText, "cellar: MISS "), firstText);

            js(driver, "Jupyter.notebook.kernel.restart();");
            wait.until(d -> Boolean.TRUE.equals(js(d, "return Jupyter.notebook.kernel.is_connected()"
                    + " && document.querySelector('#kernel_indicator_icon').classList.contains('kernel_idle_icon')")));
            js(driver, "Jupyter.notebook.clear_all_output();");
            Map<String, Object> second = runAll(driver);
            shoot(driver, "quickstart-run2-top", null);
            shoot(driver, "quickstart-run2-psth", "psth");
            shoot(driver, "quickstart-run2-correlogram", "ccg");
            String secondText = (String) second.get("text");
            assertEquals(List.of(), second.get("errors"), secondText);
            assertEquals(3, count(secondText, "cellar: HIT "), secondText);
            assertEquals(0, count(secondText, "cellar: MISS "), secondText);
            for (Map<String, Object> run : List.of(first, second)) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> images = (List<Map<String, Object>>) run.get("images");
                assertEquals(2, images.size(), "PSTH and correlogram pictures: " + images);
                for (Map<String, Object> img : images) {
                    assertTrue(((Number) img.get("width")).intValue() > 100, img.toString());
                    assertTrue(((Number) img.get("height")).intValue() > 100, img.toString());
                    assertTrue(((Number) img.get("bytes")).intValue() > 1000, img.toString());
                }
            }
        } finally {
            if (driver != null) {
                driver.quit();
            }
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Runs every cell and waits for the last one; returns the outputs' text, error outputs and pictures. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> runAll(ChromeDriver driver) {
        js(driver, "Jupyter.notebook.execute_all_cells();");
        new WebDriverWait(driver, Duration.ofMinutes(10)).pollingEvery(Duration.ofSeconds(1)).until(d -> Boolean.TRUE.equals(js(d,
                "var cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');"
                        + "return cells.every(c => typeof c.input_prompt_number === 'number')"
                        + " && document.querySelector('#kernel_indicator_icon').classList.contains('kernel_idle_icon');")));
        return (Map<String, Object>) js(driver, """
                var text = Array.from(document.querySelectorAll('.output_area .output_text'))
                    .map(e => e.innerText).join('\\n');
                var errors = Array.from(document.querySelectorAll('.output_area .output_error'))
                    .map(e => e.innerText);
                var images = Array.from(document.querySelectorAll('.output_area .output_png img')).map(i => ({
                    width: i.naturalWidth, height: i.naturalHeight, bytes: i.src.length,
                    png: i.src.startsWith('data:image/png;base64,')}));
                return {text: text, errors: errors, images: images};""");
    }

    /** A screenshot of the page, scrolled to the n-th picture whose cell mentions {@code near}, if given. */
    private static void shoot(ChromeDriver driver, String name, String near) throws IOException {
        if (near != null) {
            js(driver, "var cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code'"
                    + " && c.get_text().includes(arguments[0] + 'Chart'));"
                    + "if (cells.length) cells[cells.length - 1].element[0].scrollIntoView();", near);
        } else {
            js(driver, "document.querySelector('#notebook-container').scrollIntoView();");
        }
        Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private static Object js(org.openqa.selenium.WebDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    private static ChromeDriver chromium(Path dir) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root in a container: no sandbox; no GPU; nothing fetched from the network by the browser.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1400",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private static void awaitServer(String url, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("jupyter-notebook exited:\n" + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new AssertionError("jupyter-notebook did not answer:\n" + Files.readString(log));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
