package dev.conduit.cli.build;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Instruction;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the pre-Java-6 class files in a directory of jars (cli/target/lib, at package time) as Java 8 class files
 * with stack maps. The JDK's AOT cache (and CDS before it) holds only classes that the split verifier has checked, so
 * it skips old classes, and every class that extends or implements one, and {@code bin/conduit}'s cache for
 * {@code tier prefetch} would load and link picocli (Java 5 class files) from the jar on every start. A jar with no
 * such class is not written, so a second run changes nothing; entries other than the old classes keep their bytes.
 */
public final class ClassFileUpgrade
{
    /** The version old classes are raised to: the split verifier's, with no fallback to the old one (from 51 on). */
    public static final int TARGET_MAJOR = ClassFile.JAVA_8_VERSION;

    /** The first version the split verifier reads: classes from it on can be in an AOT cache as they are. */
    private static final int FIRST_WITH_STACK_MAPS = ClassFile.JAVA_6_VERSION;

    private static final int CLASS_MAGIC = 0xCAFEBABE;
    private static final int HEADER_BYTES = 8;

    private final ClassFile classFile;
    /** The classes the resolver was asked for and could not find since the last {@link Set#clear()}. */
    private final Set<String> unresolved = new TreeSet<>();

    private ClassFileUpgrade(final ClassHierarchyResolver resolver)
    {
        final ClassHierarchyResolver recording = desc ->
        {
            final ClassHierarchyResolver.ClassHierarchyInfo info = resolver.getClassInfo(desc);
            if (info == null)
            {
                unresolved.add(desc.descriptorString().substring(1, desc.descriptorString().length() - 1));
            }
            return info;
        };
        classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
            ClassFile.ClassHierarchyResolverOption.of(recording));
    }

    /**
     * Upgrades the jars of each directory given, in place.
     *
     * @param args directories of jars (the runtime classpath bin/conduit launches with).
     * @throws IOException when a jar cannot be read or written.
     * @throws UpgradeFailedException when an upgraded class does not verify; the jar is then left as it was.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length == 0)
        {
            throw new IllegalArgumentException("usage: ClassFileUpgrade DIR...  (directories of jars, upgraded in place)");
        }
        for (final String dir : args)
        {
            for (final JarResult result : upgradeDirectory(Path.of(dir)))
            {
                System.out.println("ClassFileUpgrade: " + result);
            }
        }
    }

    /**
     * Upgrades every jar in {@code dir} that has classes older than version 50. Their class hierarchy (which stack map
     * generation and verification need) resolves through all the directory's jars and the JDK.
     *
     * @param dir a directory of jars.
     * @return one result per jar that had old classes; none for jars already current.
     * @throws IOException when a jar cannot be read or written.
     * @throws UpgradeFailedException when an upgraded class does not verify; that jar is then left as it was.
     */
    public static List<JarResult> upgradeDirectory(final Path dir) throws IOException
    {
        final List<Path> jars;
        try (Stream<Path> files = Files.list(dir))
        {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        final List<JarResult> results = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(urls(jars), ClassLoader.getPlatformClassLoader()))
        {
            final ClassFileUpgrade upgrade = new ClassFileUpgrade(ClassHierarchyResolver.defaultResolver()
                .orElse(ClassHierarchyResolver.ofResourceParsing(loader)).cached());
            for (final Path jar : jars)
            {
                final JarResult result = upgrade.upgradeJar(jar);
                if (result.upgraded() + result.keptOld() > 0)
                {
                    results.add(result);
                }
            }
        }
        return results;
    }

    private JarResult upgradeJar(final Path jar) throws IOException
    {
        final String name = jar.getFileName().toString();
        try (ZipFile zip = new ZipFile(jar.toFile()))
        {
            final List<? extends ZipEntry> entries = Collections.list(zip.entries());
            final List<ClassModel> old = new ArrayList<>(); // per entry: its class when older than 50, else null
            for (final ZipEntry entry : entries)
            {
                old.add(isOldClass(zip, entry) ? classFile.parse(zip.getInputStream(entry).readAllBytes()) : null);
            }
            final List<ClassModel> toUpgrade = old.stream().filter(Objects::nonNull).toList();
            if (toUpgrade.isEmpty())
            {
                return new JarResult(name, 0, 0, null);
            }
            // A signature covers the old bytes: the JVM would refuse the rewritten classes.
            if (entries.stream().anyMatch(ClassFileUpgrade::isSignature))
            {
                return new JarResult(name, 0, toUpgrade.size(), "the jar is signed");
            }
            final Set<String> why = new TreeSet<>();
            final List<byte[]> replacements = new ArrayList<>();
            for (final ClassModel model : old)
            {
                replacements.add(model == null ? null : upgradeClass(name, model, why));
            }
            final int kept = toUpgrade.size() - (int) replacements.stream().filter(Objects::nonNull).count();
            final String reasons = why.isEmpty() ? null : String.join("; ", why);
            if (kept == toUpgrade.size())
            {
                return new JarResult(name, 0, kept, reasons);
            }
            final Path next = jar.resolveSibling(name + ".upgrading"); // not *.jar: the launcher's lib/* would take it
            try (OutputStream file = Files.newOutputStream(next); ZipOutputStream out = new ZipOutputStream(file))
            {
                out.setComment(zip.getComment());
                for (int i = 0; i < entries.size(); i++)
                {
                    copyEntry(zip, entries.get(i), replacements.get(i), out);
                }
            }
            catch (final IOException | RuntimeException e)
            {
                Files.deleteIfExists(next);
                throw e;
            }
            Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new JarResult(name, toUpgrade.size() - kept, kept, reasons);
        }
    }

    /**
     * @param model a class file older than version 50.
     * @param why collects why a class is kept as it is.
     * @return the same class as version {@link #TARGET_MAJOR}, its methods' stack maps generated; null when it is kept
     *     at its version: it has subroutines or refers to classes absent from the classpath (an optional dependency's),
     *     whose place in the class hierarchy its stack maps would have to state.
     * @throws UpgradeFailedException when stack maps cannot be made for another reason, or the result does not pass the
     *     split verifier's checks.
     */
    private byte[] upgradeClass(final String jar, final ClassModel model, final Set<String> why)
    {
        if (hasSubroutines(model))
        {
            why.add("jsr/ret subroutines, which stack maps cannot describe");
            return null;
        }
        final ClassTransform version = (builder, element) ->
        {
            if (element instanceof ClassFileVersion)
            {
                builder.withVersion(TARGET_MAJOR, 0);
            }
            else
            {
                builder.with(element);
            }
        };
        final byte[] upgraded;
        unresolved.clear();
        try
        {
            // Passing each method's code through a builder (not copying it) is what has its stack maps generated.
            upgraded = classFile.transformClass(model,
                version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
        }
        catch (final IllegalArgumentException e)
        {
            if (!unresolved.isEmpty())
            {
                why.add("refers to classes not on the classpath: " + String.join(", ", unresolved));
                return null;
            }
            throw new UpgradeFailedException(jar + ": cannot generate stack maps for "
                + model.thisClass().asInternalName() + " (the jar is left as it was): " + e.getMessage(), e);
        }
        final List<VerifyError> errors = classFile.verify(upgraded);
        if (!errors.isEmpty())
        {
            throw new UpgradeFailedException(jar + ": " + model.thisClass().asInternalName()
                + " does not verify after the upgrade to class-file version " + TARGET_MAJOR
                + " (the jar is left as it was): " + errors.stream().map(Throwable::getMessage).toList());
        }
        return upgraded;
    }

    private static boolean hasSubroutines(final ClassModel model)
    {
        return model.methods().stream().flatMap(m -> m.code().stream()).flatMap(c -> c.elementStream())
            .anyMatch(e -> e instanceof Instruction i && switch (i.opcode())
            {
                case JSR, JSR_W, RET, RET_W -> true;
                default -> false;
            });
    }

    private static void copyEntry(final ZipFile zip, final ZipEntry entry, final byte[] replacement,
        final ZipOutputStream out) throws IOException
    {
        // The copy keeps name, times, extra fields, comment and method; a deflated entry's sizes and CRC are then
        // computed as it is written (a size read from a zip counts as unset), a stored one's must be given.
        final ZipEntry copy = new ZipEntry(entry);
        if (replacement != null && entry.getMethod() == ZipEntry.STORED)
        {
            final CRC32 crc = new CRC32();
            crc.update(replacement);
            copy.setSize(replacement.length);
            copy.setCompressedSize(replacement.length);
            copy.setCrc(crc.getValue());
        }
        out.putNextEntry(copy);
        if (replacement != null)
        {
            out.write(replacement);
        }
        else if (!entry.isDirectory())
        {
            zip.getInputStream(entry).transferTo(out);
        }
        out.closeEntry();
    }

    private static boolean isOldClass(final ZipFile zip, final ZipEntry entry) throws IOException
    {
        if (entry.isDirectory() || !entry.getName().endsWith(".class") || entry.getSize() < HEADER_BYTES)
        {
            return false;
        }
        final byte[] header = zip.getInputStream(entry).readNBytes(HEADER_BYTES);
        return header.length == HEADER_BYTES && readInt(header, 0) == CLASS_MAGIC
            && majorVersion(header) < FIRST_WITH_STACK_MAPS;
    }

    private static int majorVersion(final byte[] classBytes)
    {
        return ((classBytes[6] & 0xff) << 8) | (classBytes[7] & 0xff);
    }

    private static int readInt(final byte[] b, final int at)
    {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static boolean isSignature(final ZipEntry entry)
    {
        final String name = entry.getName().toUpperCase(Locale.ROOT);
        return name.startsWith("META-INF/") && name.indexOf('/', "META-INF/".length()) < 0
            && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA") || name.endsWith(".EC"));
    }

    private static URL[] urls(final List<Path> jars) throws MalformedURLException
    {
        final URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++)
        {
            urls[i] = jars.get(i).toUri().toURL();
        }
        return urls;
    }

    /**
     * What happened to one jar's old classes.
     *
     * @param jar its file name.
     * @param upgraded how many were raised to version {@link #TARGET_MAJOR} (0: the jar was not written).
     * @param keptOld how many were kept at their version.
     * @param why why they were, or null when none was.
     */
    public record JarResult(String jar, int upgraded, int keptOld, String why)
    {
        @Override
        public String toString()
        {
            final String raised = upgraded + (upgraded == 1 ? " class" : " classes") + " raised to class-file version "
                + TARGET_MAJOR + " with stack maps";
            final String kept = keptOld + (keptOld == 1 ? " old class kept at its version (" : " old classes kept at their version (")
                + why + ")";
            return jar + ": " + (keptOld == 0 ? raised : upgraded == 0 ? kept : raised + ", " + kept);
        }
    }

    /** An upgraded class that would not pass the JVM's verifier; the build stops rather than ship it. */
    public static final class UpgradeFailedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        UpgradeFailedException(final String message)
        {
            super(message);
        }

        UpgradeFailedException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }
}
