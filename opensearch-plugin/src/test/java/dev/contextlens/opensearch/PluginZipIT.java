package dev.contextlens.opensearch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.Test;

/**
 * The plugin zip the build makes is one that {@code bin/opensearch-plugin install} accepts and a node
 * loads: {@code plugin-descriptor.properties} and {@code plugin-security.policy} at its root, the
 * descriptor naming OpenSearch 3.9.0, Java 21 and a plugin class that the zip's own jar holds; every
 * runtime jar of the plugin and nothing else; and not one class that OpenSearch's own jars (the
 * server's class path, which a node puts below every plugin) or another jar of the zip also holds,
 * which OpenSearch refuses as "jar hell" when it installs or loads the plugin.
 */
public class PluginZipIT {
  private static Path property(String name) {
    String value = System.getProperty(name);
    assertNotNull("the build sets the system property " + name, value);
    return Path.of(value);
  }

  private static List<Path> classpath(String property) throws IOException {
    List<Path> jars = new ArrayList<>();
    for (String entry : Files.readString(property(property), StandardCharsets.UTF_8).strip().split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        jars.add(Path.of(entry));
      }
    }
    return jars;
  }

  @Test
  public void zipHoldsTheDescriptorPolicyAndRuntimeJarsWithoutDuplicateClasses() throws IOException {
    Path zip = property("contextlens.plugin.zip");
    assertTrue("no plugin zip at " + zip, Files.isRegularFile(zip));
    List<Path> runtime = classpath("contextlens.runtime.classpath");
    List<Path> opensearch = classpath("contextlens.opensearch.classpath");
    assertTrue("OpenSearch's class path is empty", opensearch.stream().anyMatch(p -> p.getFileName().toString().startsWith("opensearch-3.9.0")));

    try (ZipFile z = new ZipFile(zip.toFile())) {
      Set<String> entries = new TreeSet<>();
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
        entries.add(e.nextElement().getName());
      }
      assertTrue(entries.toString(), entries.contains("plugin-descriptor.properties"));
      assertTrue(entries.toString(), entries.contains("plugin-security.policy"));
      for (String entry : entries) {
        assertFalse("nested directory in the zip: " + entry, entry.contains("/"));
      }

      Properties descriptor = new Properties();
      try (InputStream in = z.getInputStream(z.getEntry("plugin-descriptor.properties"))) {
        descriptor.load(in);
      }
      assertEquals("contextlens", descriptor.getProperty("name"));
      assertEquals(System.getProperty("contextlens.opensearch.version"), descriptor.getProperty("opensearch.version"));
      assertEquals("21", descriptor.getProperty("java.version"));
      assertFalse(descriptor.getProperty("version").contains("${"));
      assertFalse(descriptor.getProperty("description").contains("${"));
      assertEquals(ContextlensPlugin.class.getName(), descriptor.getProperty("classname"));

      // the jars: the plugin's own and every runtime dependency, nothing OpenSearch has
      Set<String> jars = new TreeSet<>();
      entries.stream().filter(e -> e.endsWith(".jar")).forEach(jars::add);
      Set<String> expected = new TreeSet<>();
      runtime.forEach(p -> expected.add(p.getFileName().toString()));
      expected.add(System.getProperty("contextlens.plugin.jar"));
      assertEquals(expected, jars);
      Set<String> opensearchJars = new TreeSet<>();
      opensearch.forEach(p -> opensearchJars.add(p.getFileName().toString()));
      for (String jar : jars) {
        assertFalse(jar + " is one of OpenSearch's own jars", opensearchJars.contains(jar));
      }

      // no class twice: not in OpenSearch's jars, not in two jars of the zip
      Map<String, String> owner = new HashMap<>();
      for (Path jar : opensearch) {
        try (ZipFile j = new ZipFile(jar.toFile())) {
          for (Enumeration<? extends ZipEntry> e = j.entries(); e.hasMoreElements();) {
            String name = e.nextElement().getName();
            if (isClass(name)) {
              owner.putIfAbsent(name, jar.getFileName().toString());
            }
          }
        }
      }
      assertTrue("no class read from OpenSearch's jars", owner.containsKey("org/opensearch/plugins/Plugin.class"));
      List<String> duplicates = new ArrayList<>();
      boolean pluginClassFound = false;
      for (String jar : jars) {
        try (JarInputStream in = new JarInputStream(z.getInputStream(z.getEntry(jar)))) {
          for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            String name = e.getName();
            pluginClassFound |= name.equals(ContextlensPlugin.class.getName().replace('.', '/') + ".class");
            if (isClass(name)) {
              String previous = owner.putIfAbsent(name, jar);
              if (previous != null) {
                duplicates.add(name + " in " + jar + " and " + previous);
              }
            }
          }
        }
      }
      assertTrue("the plugin class is in none of the zip's jars", pluginClassFound);
      assertTrue(duplicates.size() + " classes twice, e.g. " + duplicates.subList(0, Math.min(10, duplicates.size())),
          duplicates.isEmpty());
    }
  }

  /** A class file that the class loader reads (not a multi-release variant or a module descriptor). */
  private static boolean isClass(String name) {
    return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
  }
}
