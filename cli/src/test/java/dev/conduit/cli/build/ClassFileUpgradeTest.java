package dev.conduit.cli.build;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static java.lang.classfile.ClassFile.ACC_PUBLIC;
import static java.lang.classfile.ClassFile.ACC_STATIC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClassFileUpgrade} on Java 5 classes made here (no stack maps) and on the picocli jar the build depends on: the
 * upgraded classes are version 52 with stack maps, load and run through a fresh class loader (which the JVM verifies),
 * the jars' other entries keep their bytes, and a second run writes nothing.
 */
class ClassFileUpgradeTest
{
    private static final int JAVA_5 = ClassFile.JAVA_5_VERSION;
    private static final ClassDesc OLD = ClassDesc.of("demo.Old");
    private static final String MANIFEST = "Manifest-Version: 1.0\r\nCreated-By: ClassFileUpgradeTest\r\n\r\n";

    @TempDir
    Path dir;

    @BeforeAll
    static void verificationIsOn()
    {
        final List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertFalse(jvmArgs.stream().anyMatch(a -> a.startsWith("-Xverify:none") || a.contains("-BytecodeVerificationRemote")),
            "these tests rely on the JVM verifying the classes they load: " + jvmArgs);
    }

    @Test
    void shouldRaiseAJava5ClassToJava8WithStackMapsThatLoadsAndRunsAndKeepTheOtherEntries() throws Exception
    {
        final Path jar = dir.resolve("old.jar");
        final Map<String, byte[]> before = demoJarEntries(oldClass(OLD, ClassFileUpgradeTest::loopAndMerge));
        writeJar(jar, before, Set.of("notes.txt", "demo/Old.class"));

        final List<ClassFileUpgrade.JarResult> results = ClassFileUpgrade.upgradeDirectory(dir);

        assertEquals(List.of(new ClassFileUpgrade.JarResult("old.jar", 1, 0, null)), results);
        final Map<String, byte[]> after = entries(jar);
        assertEquals(List.copyOf(before.keySet()), List.copyOf(after.keySet()), "same entries, same order");
        for (final String name : List.of("META-INF/MANIFEST.MF", "notes.txt", "META-INF/versions/11/demo/New.class"))
        {
            assertArrayEquals(before.get(name), after.get(name), name);
        }
        final ClassModel upgraded = ClassFile.of().parse(after.get("demo/Old.class"));
        assertEquals(ClassFileUpgrade.TARGET_MAJOR, upgraded.majorVersion());
        for (final String method : List.of("sumTo", "pick"))
        {
            assertTrue(hasStackMaps(method(upgraded, method)), method + " has branches, so it needs a StackMapTable");
        }
        try (URLClassLoader loader = freshLoader(jar))
        {
            final Class<?> old = Class.forName("demo.Old", true, loader);
            assertEquals(55, old.getMethod("sumTo", int.class).invoke(null, 10));
            assertEquals("text", old.getMethod("pick", boolean.class).invoke(null, true));
            assertEquals(7, old.getMethod("pick", boolean.class).invoke(null, false));
        }
        assertSecondRunChangesNothing(jar);
    }

    @Test
    void shouldUpgradePicocliSoThatEveryClassVerifiesAndACommandLineParses() throws Exception
    {
        final Path picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final Path jar = Files.copy(picocli, dir.resolve(picocli.getFileName()));
        final Map<String, byte[]> before = entries(jar);
        assertTrue(before.values().stream().anyMatch(b -> isClass(b) && major(b) < ClassFile.JAVA_6_VERSION),
            "picocli ships Java 5 class files; without them this test shows nothing");

        final List<ClassFileUpgrade.JarResult> results = ClassFileUpgrade.upgradeDirectory(dir);

        assertEquals(1, results.size(), results.toString());
        assertEquals(0, results.getFirst().keptOld(), results.toString());
        final Map<String, byte[]> after = entries(jar);
        assertEquals(List.copyOf(before.keySet()), List.copyOf(after.keySet()), "same entries, same order");
        int withStackMaps = 0;
        for (final Map.Entry<String, byte[]> e : after.entrySet())
        {
            final byte[] old = before.get(e.getKey());
            if (!isClass(old) || major(old) >= ClassFile.JAVA_6_VERSION)
            {
                assertArrayEquals(old, e.getValue(), e.getKey() + " is not an old class: it keeps its bytes");
                continue;
            }
            final ClassModel model = ClassFile.of().parse(e.getValue());
            assertEquals(ClassFileUpgrade.TARGET_MAJOR, model.majorVersion(), e.getKey());
            withStackMaps += (int) model.methods().stream().filter(ClassFileUpgradeTest::hasStackMaps).count();
        }
        assertTrue(withStackMaps > 100, "methods with stack maps: " + withStackMaps);

        try (URLClassLoader loader = freshLoader(jar))
        {
            // Initializing links, and linking verifies: every upgraded class passes the JVM's split verifier.
            for (final String name : after.keySet())
            {
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class"))
                {
                    Class.forName(name.replace('/', '.').substring(0, name.length() - ".class".length()), true, loader);
                }
            }
            assertEquals("4g", parseSize(loader, "--size", "4g"));
        }
        assertSecondRunChangesNothing(jar);
    }

    @Test
    void shouldKeepAClassWhoseStackMapsNeedClassesOffTheClasspathAndUpgradeTheRest() throws Exception
    {
        final ClassDesc missingA = ClassDesc.of("missing.A");
        final ClassDesc missingB = ClassDesc.of("missing.B");
        final byte[] optional = oldClass(ClassDesc.of("demo.Optional"), cb -> cb.withMethodBody("either",
            MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_boolean, missingA, missingB), ACC_PUBLIC | ACC_STATIC,
            code ->
            {
                // b ? a : c: the frame after the join holds the common superclass of two classes nobody can find.
                final Label second = code.newLabel();
                final Label join = code.newLabel();
                code.iload(0).ifeq(second).aload(1).goto_(join).labelBinding(second).aload(2).labelBinding(join).areturn();
            }));
        final Path jar = dir.resolve("optional.jar");
        final Map<String, byte[]> before = new LinkedHashMap<>();
        before.put("demo/Optional.class", optional);
        before.put("demo/Old.class", oldClass(OLD, ClassFileUpgradeTest::loopAndMerge));
        writeJar(jar, before, Set.of());

        final List<ClassFileUpgrade.JarResult> results = ClassFileUpgrade.upgradeDirectory(dir);

        assertEquals(1, results.getFirst().upgraded(), results.toString());
        assertEquals(1, results.getFirst().keptOld(), results.toString());
        assertTrue(results.getFirst().why().contains("missing/"), results.getFirst().why());
        final Map<String, byte[]> after = entries(jar);
        assertArrayEquals(optional, after.get("demo/Optional.class"));
        assertEquals(ClassFileUpgrade.TARGET_MAJOR, major(after.get("demo/Old.class")));
        assertSecondRunChangesNothing(jar);
    }

    @Test
    void shouldFailWithTheClassNamedAndLeaveTheJarAsItWasWhenAnUpgradedClassDoesNotVerify() throws Exception
    {
        // Passes a String where Integer.intValue() needs an Integer: the old verifier would refuse it too, at run time.
        final byte[] broken = oldClass(ClassDesc.of("demo.Broken"), cb -> cb.withMethodBody("length",
            MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_String), ACC_PUBLIC | ACC_STATIC,
            code -> code.aload(0).invokevirtual(ConstantDescs.CD_Integer, "intValue", MethodTypeDesc.of(ConstantDescs.CD_int))
                .ireturn()));
        final Path jar = dir.resolve("broken.jar");
        writeJar(jar, Map.of("demo/Broken.class", broken), Set.of());
        final byte[] bytes = Files.readAllBytes(jar);

        final ClassFileUpgrade.UpgradeFailedException e = assertThrows(ClassFileUpgrade.UpgradeFailedException.class,
            () -> ClassFileUpgrade.upgradeDirectory(dir));

        assertTrue(e.getMessage().startsWith("broken.jar: demo/Broken does not verify after the upgrade to class-file version 52"),
            e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(jar));
        try (var files = Files.list(dir))
        {
            assertEquals(List.of(jar), files.toList(), "no temporary file is left");
        }
    }

    private static void assertSecondRunChangesNothing(final Path jar) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(jar);
        final FileTime modified = Files.getLastModifiedTime(jar);

        final List<ClassFileUpgrade.JarResult> again = ClassFileUpgrade.upgradeDirectory(jar.getParent());

        assertTrue(again.stream().allMatch(r -> r.upgraded() == 0), again.toString());
        assertArrayEquals(bytes, Files.readAllBytes(jar));
        assertEquals(modified, Files.getLastModifiedTime(jar), "the jar is not written again");
    }

    /** The picocli in {@code loader} parses {@code option value} through a command built with its programmatic API. */
    private static Object parseSize(final ClassLoader loader, final String option, final String value) throws Exception
    {
        final Class<?> specType = loader.loadClass("picocli.CommandLine$Model$CommandSpec");
        final Class<?> optionType = loader.loadClass("picocli.CommandLine$Model$OptionSpec");
        final Object spec = specType.getMethod("create").invoke(null);
        final Object builder = optionType.getMethod("builder", String[].class).invoke(null, (Object) new String[] {option});
        final Method arity = builder.getClass().getMethod("arity", String.class);
        arity.setAccessible(true); // declared by the builders' package-private superclass
        arity.invoke(builder, "1");
        specType.getMethod("addOption", optionType).invoke(spec, builder.getClass().getMethod("build").invoke(builder));
        final Object commandLine = loader.loadClass("picocli.CommandLine").getConstructor(Object.class).newInstance(spec);
        final Object parsed = commandLine.getClass().getMethod("parseArgs", String[].class)
            .invoke(commandLine, (Object) new String[] {option, value});
        final String usage = (String) commandLine.getClass().getMethod("getUsageMessage").invoke(commandLine);
        assertTrue(usage.contains(option), usage);
        final Method matched = parsed.getClass().getMethod("matchedOptionValue", String.class, Object.class);
        return matched.invoke(parsed, option, null);
    }

    /** Two static methods whose stack maps need a frame: a counted loop, and a join of a String and an Integer. */
    private static void loopAndMerge(final ClassBuilder cb)
    {
        cb.withMethodBody("sumTo", MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_int), ACC_PUBLIC | ACC_STATIC,
            code ->
            {
                final Label loop = code.newLabel();
                final Label done = code.newLabel();
                code.iconst_0().istore(1).iconst_1().istore(2)
                    .labelBinding(loop).iload(2).iload(0).if_icmpgt(done)
                    .iload(1).iload(2).iadd().istore(1).iinc(2, 1).goto_(loop)
                    .labelBinding(done).iload(1).ireturn();
            });
        cb.withMethodBody("pick", MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_boolean), ACC_PUBLIC | ACC_STATIC,
            code ->
            {
                final Label other = code.newLabel();
                final Label join = code.newLabel();
                code.iload(0).ifeq(other).ldc("text").goto_(join)
                    .labelBinding(other).bipush(7)
                    .invokestatic(ConstantDescs.CD_Integer, "valueOf", MethodTypeDesc.of(ConstantDescs.CD_Integer, ConstantDescs.CD_int))
                    .labelBinding(join).areturn();
            });
    }

    /** A public class file of version 49, as javac -target 5 wrote them: no stack maps. */
    private static byte[] oldClass(final ClassDesc name, final Consumer<ClassBuilder> members)
    {
        return ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS).build(name, cb ->
        {
            cb.withVersion(JAVA_5, 0).withFlags(ACC_PUBLIC | ClassFile.ACC_SUPER);
            members.accept(cb);
        });
    }

    /** A jar as libraries ship them: manifest first, a resource, the old class, and a newer class for Java 11 and up. */
    private static Map<String, byte[]> demoJarEntries(final byte[] oldClass)
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", MANIFEST.getBytes(StandardCharsets.UTF_8));
        entries.put("notes.txt", "kept as it is\n".getBytes(StandardCharsets.UTF_8));
        entries.put("demo/Old.class", oldClass);
        entries.put("META-INF/versions/11/demo/New.class", ClassFile.of().build(ClassDesc.of("demo.New"),
            cb -> cb.withVersion(ClassFile.JAVA_11_VERSION, 0).withFlags(ACC_PUBLIC | ClassFile.ACC_SUPER)));
        return entries;
    }

    private static void writeJar(final Path jar, final Map<String, byte[]> entries, final Set<String> stored)
        throws IOException
    {
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream out = new ZipOutputStream(file))
        {
            for (final Map.Entry<String, byte[]> e : entries.entrySet())
            {
                final ZipEntry entry = new ZipEntry(e.getKey());
                if (stored.contains(e.getKey()))
                {
                    final CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    private static Map<String, byte[]> entries(final Path jar) throws IOException
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile()))
        {
            for (final ZipEntry e : Collections.list(zip.entries()))
            {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        return entries;
    }

    /** A loader that sees only {@code jar} and the JDK, so its classes are defined (and verified) afresh. */
    private static URLClassLoader freshLoader(final Path jar) throws IOException
    {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    private static MethodModel method(final ClassModel model, final String name)
    {
        return model.methods().stream().filter(m -> m.methodName().equalsString(name)).findFirst().orElseThrow();
    }

    private static boolean hasStackMaps(final MethodModel method)
    {
        return method.code().flatMap(c -> c.findAttribute(Attributes.stackMapTable())).isPresent();
    }

    private static boolean isClass(final byte[] bytes)
    {
        return bytes != null && bytes.length >= 8
            && Arrays.equals(bytes, 0, 4, new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}, 0, 4);
    }

    private static int major(final byte[] classBytes)
    {
        return ((classBytes[6] & 0xff) << 8) | (classBytes[7] & 0xff);
    }
}
