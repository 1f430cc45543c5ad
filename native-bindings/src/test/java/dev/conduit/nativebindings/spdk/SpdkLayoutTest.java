package dev.conduit.nativebindings.spdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.conduit.nativebindings.testing.Doubles;
import dev.conduit.nativebindings.testing.LayoutProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every struct, field, offset and constant of {@link SpdkLayouts} and {@link SpdkStatus} against
 * gcc's view of the transcribed {@code src/test/c/spdk_test.h}, and of SPDK's own headers where an
 * SPDK build is present ({@code CONDUIT_SPDK_INCLUDE_DIR}, the directory holding {@code spdk/nvme.h}).
 */
@Timeout(180)
class SpdkLayoutTest
{
    /** Environment variable naming SPDK's include directory for the real-header check. */
    static final String INCLUDE_ENV = "CONDUIT_SPDK_INCLUDE_DIR";

    @Test
    void shouldMatchTheTranscribedHeader() throws Exception
    {
        final LayoutProbe probe = probe();
        final Map<String, Long> c = probe.run(List.of("#include \"spdk_test.h\""),
            List.of("-I" + Doubles.testCSources()), Path.of("target", "layout-probe", "spdk"));
        assertEquals(probe.expected(), c);
    }

    @Test
    void shouldMatchSpdksOwnHeadersWhereSpdkIsBuilt() throws Exception
    {
        final String dir = System.getenv(INCLUDE_ENV);
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "spdk", "nvme.h")),
            "SPDK's headers are not here: set " + INCLUDE_ENV + " to an SPDK build's include directory to compare with them");
        final LayoutProbe probe = probe();
        final Map<String, Long> c = probe.run(List.of("#include <spdk/env.h>", "#include <spdk/nvme.h>"),
            List.of("-I" + dir, "-Wno-error"), Path.of("target", "layout-probe", "spdk-real"));
        assertEquals(probe.expected(), c);
    }

    @Test
    void shouldPlaceTheFieldsWhereSpdksStaticAssertsSay()
    {
        assertEquals(128, SpdkLayouts.ENV_OPTS.byteSize());
        assertEquals(80, SpdkLayouts.IO_QPAIR_OPTS.byteSize());
        assertEquals(16, SpdkLayouts.CPL.byteSize());
        assertEquals(564, SpdkLayouts.TRANSPORT_ID.byteSize());
        assertEquals(14, SpdkLayouts.CPL_STATUS);
        assertEquals(112, SpdkLayouts.ENV_OPTS_OPTS_SIZE);
    }

    private static LayoutProbe probe()
    {
        final LayoutProbe probe = new LayoutProbe();
        SpdkLayouts.structs().forEach(probe::struct);
        SpdkLayouts.constants().forEach(probe::constant);
        return probe;
    }
}
