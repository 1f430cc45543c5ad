package dev.conduit.spdk;

import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.nativebindings.testing.SpdkDoubleControl;

/** Fresh controllers of the SPDK double (one namespace in RAM each), as {@code spdk://} specs. */
final class DoubleTargets
{
    static final String SUBNQN = "nqn.2026-01.dev.conduit:spdk-module";
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(5420);

    private DoubleTargets()
    {
    }

    /**
     * @param sectorBytes block size.
     * @param sectors     blocks.
     * @param extra       Conduit keys to append, e.g. {@code ",queues:2"}.
     * @return the spec of a new double controller.
     */
    static String spec(final int sectorBytes, final long sectors, final String extra)
    {
        final String port = Integer.toString(NEXT_PORT.getAndIncrement());
        SpdkDoubleControl.addTarget("127.0.0.1", port, SUBNQN, sectorBytes, sectors);
        return "spdk://trtype:TCP,adrfam:IPv4,traddr:127.0.0.1,trsvcid:" + port + ",subnqn:" + SUBNQN + ",ns:1" + extra;
    }
}
