package dev.conduit.nativebindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeviceNumbersTest
{
    @Test
    void shouldReportTheFileSystemDeviceOfARegularFile() throws IOException
    {
        final Path dir = TestDirs.create("devnum");
        final Path path = Files.writeString(dir.resolve("f"), "x");
        try (PosixFile file = PosixFile.open(path, LibC.O_RDONLY, 0))
        {
            // The JDK reads st_dev through its own stat: the two must agree.
            assertEquals((long)(Long)Files.getAttribute(path, "unix:dev"), DeviceNumbers.ofFd(file.fd()));
        }
    }

    @Test
    void shouldDecodeGlibcDeviceNumbers()
    {
        // makedev(259, 65537): major bits 0-11 at 8, 12+ at 44; minor bits 0-7 at 0, 8+ at 20.
        final long dev = ((259L & 0xfff) << 8) | ((259L & ~0xfffL) << 32) | (65537L & 0xff) | ((65537L & ~0xffL) << 12);
        assertEquals(259, DeviceNumbers.major(dev));
        assertEquals(65537, DeviceNumbers.minor(dev));
        assertEquals(8, DeviceNumbers.major(0x801));
        assertEquals(1, DeviceNumbers.minor(0x801));
    }
}
