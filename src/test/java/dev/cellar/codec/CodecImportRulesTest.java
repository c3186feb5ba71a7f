package dev.cellar.codec;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Arrow is imported only by codec/arrow and Jackson only by codec/json; no codec uses Java
 * serialization or Jackson's default typing / polymorphic type ids.
 */
class CodecImportRulesTest {
    static final Path MAIN = Path.of("src/main/java/dev/cellar");

    static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void thirdPartyLibrariesStayInTheirPackage() throws IOException {
        for (Path p : sources()) {
            String text = Files.readString(p);
            String dir = MAIN.relativize(p.getParent()).toString().replace('\\', '/');
            if (text.contains("import org.apache.arrow.") || text.contains("import com.google.flatbuffers.")) {
                assertEquals("codec/arrow", dir, p + " imports Arrow");
            }
            if (text.contains("import com.fasterxml.jackson.")) {
                assertEquals("codec/json", dir, p + " imports Jackson");
            }
        }
    }

    @Test
    void noJavaSerializationOrDefaultTypingInCodecs() throws IOException {
        for (Path p : sources()) {
            if (!MAIN.relativize(p).toString().startsWith("codec")) continue;
            String text = Files.readString(p);
            for (String banned : List.of("ObjectInputStream", "ObjectOutputStream", "activateDefaultTyping",
                    "enableDefaultTyping", "JsonTypeInfo", "PolymorphicTypeValidator", "readObject(")) {
                assertFalse(text.contains(banned), p + " uses " + banned);
            }
        }
    }
}
