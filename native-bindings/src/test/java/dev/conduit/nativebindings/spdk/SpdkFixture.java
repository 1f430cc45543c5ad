package dev.conduit.nativebindings.spdk;

import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.nativebindings.testing.SpdkDoubleControl;

/** The SPDK double loaded as the bindings load SPDK (CONDUIT_SPDK_LIB), one environment per test JVM, fresh targets. */
final class SpdkFixture
{
    static final String SUBNQN = "nqn.2026-01.dev.conduit:double";
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(4420);

    private SpdkFixture()
    {
    }

    static SpdkLibrary library()
    {
        return SpdkLibrary.load().orElseThrow(() -> new AssertionError("the SPDK double did not load through " + SpdkLibrary.candidates()));
    }

    static SpdkEnvironment environment()
    {
        return SpdkEnvironment.initialise(library(), SpdkEnvOptions.fabricsDefaults());
    }

    /**
     * @param sectorBytes block size.
     * @param sectors     blocks.
     * @return the transport id of a new double target.
     */
    static String newTarget(final int sectorBytes, final long sectors)
    {
        final String port = Integer.toString(NEXT_PORT.getAndIncrement());
        SpdkDoubleControl.addTarget("127.0.0.1", port, SUBNQN, sectorBytes, sectors);
        return "trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:" + port + " subnqn:" + SUBNQN;
    }
}
