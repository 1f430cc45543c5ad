package dev.conduit.blocklayout.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.DirectIoSupport;
import dev.conduit.nativebindings.LibC;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the kernel kept of the open flags (fcntl F_GETFL): file namespaces really run with O_DIRECT,
 * however they were opened, and on tmpfs the namespace does what the O_DIRECT probe found this
 * kernel does (tmpfs accepts O_DIRECT since Linux 6.6 and refuses it before).
 */
@Timeout(30)
class DirectIoFlagTest
{
    private static final long CAPACITY = 1 << 20;

    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    @Test
    void shouldCarryODirectOnEveryFileNamespaceDescriptor()
    {
        final Path path = dir.resolve("flags.cdt");
        try (FileNamespace created = FileNamespace.create(path, CAPACITY))
        {
            assertDirect(created);
        }
        try (FileNamespace opened = FileNamespace.open(path))
        {
            assertDirect(opened);
        }
        try (PosixNamespace any = PosixNamespace.open(path))
        {
            assertInstanceOf(FileNamespace.class, any);
            assertDirect(any);
        }
    }

    @Test
    void shouldFollowTheProbeOnTmpfs() throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no writable tmpfs at /dev/shm");
        final Path scratch = Files.createTempDirectory(shm, "conduit-odirect-");
        final Path path = scratch.resolve("ns.cdt");
        try
        {
            final DirectIoSupport probe = DirectIoSupport.probe(scratch);
            System.out.println("tmpfs O_DIRECT on this kernel: " + probe);
            if (probe.supported())
            {
                try (FileNamespace ns = FileNamespace.create(path, CAPACITY))
                {
                    assertDirect(ns);
                }
            }
            else
            {
                final ConduitException e = assertThrows(ConduitException.class, () -> FileNamespace.create(path, CAPACITY));
                assertEquals(ErrorCode.DIRECT_IO_UNSUPPORTED, e.code(), e.getMessage());
                assertFalse(Files.exists(path), "the refused create left no file");
            }
        }
        finally
        {
            Files.deleteIfExists(path);
            Files.deleteIfExists(scratch);
        }
    }

    private static void assertDirect(final PosixNamespace ns)
    {
        final int flags = LibC.fcntl(ns.fd(), LibC.F_GETFL, 0);
        assertEquals(LibC.O_DIRECT, flags & LibC.O_DIRECT, ns.id() + " flags 0" + Integer.toOctalString(flags));
        assertEquals(LibC.O_RDWR, flags & LibC.O_ACCMODE, ns.id());
    }
}
