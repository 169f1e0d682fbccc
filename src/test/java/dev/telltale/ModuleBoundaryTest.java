package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's public surface (the API and the test kit {@code dev.telltale.testing}) and the
 * DESIGN rule "codecs are pure": the {@code http1} (and, once it exists, {@code ws}) packages turn
 * bytes into events and import nothing that does I/O, threads or clocks.
 */
class ModuleBoundaryTest {
  private static final Path SOURCES = Path.of("src", "main", "java");
  private static final List<String> CODEC_PACKAGES =
      List.of("dev/telltale/internal/http1", "dev/telltale/internal/ws");

  /**
   * What a codec may import: buffers, charsets, collections (and java.util.zip, for
   * permessage-deflate), the pure helpers of util, and the WebSocket handshake's SHA-1, Base64 and
   * random key.
   */
  private static final Pattern ALLOWED_IMPORT = Pattern.compile(
      "java\\.nio\\.ByteBuffer|java\\.nio\\.ByteOrder|java\\.nio\\.charset\\..+"
          + "|java\\.util\\.(?!concurrent)[A-Za-z.]+|java\\.util\\.Base64"
          + "|java\\.security\\.(MessageDigest|NoSuchAlgorithmException|SecureRandom)"
          + "|dev\\.telltale\\.internal\\.util\\.(?!Clock)\\w+");
  /** Uses that need no import (java.lang) or could be written fully qualified. */
  private static final Pattern FORBIDDEN_USE = Pattern.compile(
      "\\bThread\\b|\\bExecutor\\w*|System\\.nanoTime|System\\.currentTimeMillis|\\bClock\\."
          + "|java\\.nio\\.channels|javax\\.net|java\\.net\\.|\\bsynchronized\\b");
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.*]+)\\s*;",
      Pattern.MULTILINE);

  @Test
  void compiledModuleExportsOnlyThePublicApi() throws URISyntaxException {
    ModuleDescriptor module = compiledModule();
    assertEquals("dev.telltale", module.name());
    assertFalse(module.isOpen(), "the module must not be open");
    assertEquals(Set.of("dev.telltale", "dev.telltale.testing"), module.exports().stream()
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    assertTrue(module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified),
        "no qualified exports");
    assertTrue(module.opens().isEmpty(), () -> "no opened packages: " + module.opens());
    assertTrue(module.packages().contains("dev.telltale.internal"));
    assertTrue(module.packages().contains("dev.telltale.tool"));
  }

  @Test
  void moduleInfoSourceExportsOnlyThePublicApi() throws IOException {
    String source = withoutComments(Files.readString(SOURCES.resolve("module-info.java")));
    List<String> exports = new ArrayList<>();
    Matcher m = Pattern.compile("\\bexports\\s+([\\w.]+)").matcher(source);
    while (m.find()) {
      exports.add(m.group(1));
    }
    assertEquals(List.of("dev.telltale", "dev.telltale.testing"), exports);
    assertFalse(Pattern.compile("\\bopens?\\b").matcher(source).find(), "nothing is opened");
  }

  @Test
  void codecsImportNoChannelsSocketsThreadsOrClocks() throws IOException {
    List<String> problems = new ArrayList<>();
    int files = 0;
    for (String pkg : CODEC_PACKAGES) {
      Path dir = SOURCES.resolve(pkg);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      for (Path file : javaFiles(dir)) {
        files++;
        String source = withoutComments(Files.readString(file, StandardCharsets.UTF_8));
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
          if (!ALLOWED_IMPORT.matcher(imports.group(2)).matches()) {
            problems.add(file.getFileName() + " imports " + imports.group(2));
          }
        }
        Matcher uses = FORBIDDEN_USE.matcher(source);
        while (uses.find()) {
          problems.add(file.getFileName() + " uses " + uses.group());
        }
      }
    }
    assertTrue(files > 0, "no codec sources found under " + SOURCES.toAbsolutePath());
    assertEquals(List.of(), problems, "codecs are pure: bytes in, events out");
  }

  private static ModuleDescriptor compiledModule() throws URISyntaxException {
    Path classes = Path.of(Session.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(classes).findAll().stream().map(ModuleReference::descriptor)
        .findFirst().orElseThrow(() -> new AssertionError("no module-info.class in " + classes));
  }

  private static List<Path> javaFiles(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
  }

  /** Drops block and line comments (Javadoc may mention anything). */
  private static String withoutComments(String source) {
    return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
  }
}
