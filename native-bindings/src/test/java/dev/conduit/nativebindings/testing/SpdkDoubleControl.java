package dev.conduit.nativebindings.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Test-only switches of {@code libspdk_double.so} ({@code double_spdk_*} in spdk_test.h): targets it
 * answers connects for, injected failures and statuses, broken transports, per-function call counts.
 */
public final class SpdkDoubleControl
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(Doubles.spdk(), Arena.global());
    private static final MethodHandle RESET = link("double_spdk_reset", FunctionDescriptor.ofVoid());
    private static final MethodHandle ADD_TARGET = link("double_spdk_add_target",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle ALLOW_HOST = link("double_spdk_allow_host", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    private static final MethodHandle FAIL = link("double_spdk_fail", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FAIL_STATUS = link("double_spdk_fail_status", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BREAK = link("double_spdk_break_qpairs", FunctionDescriptor.ofVoid());
    private static final MethodHandle PER_POLL = link("double_spdk_set_completions_per_poll", FunctionDescriptor.ofVoid(JAVA_INT));
    private static final MethodHandle CALL_COUNT = link("double_spdk_call_count", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    private static final MethodHandle COMMANDS = link("double_spdk_outstanding_commands", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle DMA = link("double_spdk_outstanding_dma", FunctionDescriptor.of(JAVA_LONG));

    private SpdkDoubleControl()
    {
    }

    /** Clears injected failures and statuses and the per-poll limit (targets and counters stay). */
    public static void reset()
    {
        try
        {
            RESET.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * Adds a controller with one namespace in RAM that {@code spdk_nvme_connect} answers for.
     *
     * @param traddr      its address.
     * @param trsvcid     its service id (port).
     * @param subnqn      its subsystem NQN.
     * @param sectorBytes the block size.
     * @param sectors     blocks.
     */
    public static void addTarget(final String traddr, final String trsvcid, final String subnqn, final int sectorBytes, final long sectors)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final int rc = (int) ADD_TARGET.invokeExact(arena.allocateFrom(traddr), arena.allocateFrom(trsvcid), arena.allocateFrom(subnqn),
                sectorBytes, sectors);
            if (rc != 0)
            {
                throw new AssertionError("double_spdk_add_target: " + rc);
            }
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * Lets only one host connect to a target, as an NVMe-oF subsystem's allow-list does.
     *
     * @param trsvcid the target's service id (port).
     * @param hostNqn the host NQN it accepts.
     */
    public static void allowHost(final String trsvcid, final String hostNqn)
    {
        try (Arena arena = Arena.ofConfined())
        {
            ALLOW_HOST.invokeExact(arena.allocateFrom(trsvcid), arena.allocateFrom(hostNqn));
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * @param function   an SPDK function of the double.
     * @param errnoValue the errno it fails with (NULL-returning functions just return NULL).
     * @param times      how many calls fail (-1: until reset).
     */
    public static void fail(final String function, final int errnoValue, final int times)
    {
        try (Arena arena = Arena.ofConfined())
        {
            FAIL.invokeExact(arena.allocateFrom(function), errnoValue, times);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * @param sct   status code type.
     * @param sc    status code.
     * @param times how many completions carry it.
     */
    public static void failStatus(final int sct, final int sc, final int times)
    {
        try
        {
            FAIL_STATUS.invokeExact(sct, sc, times);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** Breaks the transport of every allocated queue pair. */
    public static void breakQueuePairs()
    {
        try
        {
            BREAK.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @param n most completions per process_completions call (0: all; -1: none, the device holds them). */
    public static void completionsPerPoll(final int n)
    {
        try
        {
            PER_POLL.invokeExact(n);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * @param function an SPDK function.
     * @return how often the double has run it in this process.
     */
    public static long callCount(final String function)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (long) CALL_COUNT.invokeExact(arena.allocateFrom(function));
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @return commands submitted to any queue pair and not completed. */
    public static long outstandingCommands()
    {
        try
        {
            return (long) COMMANDS.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @return DMA buffers allocated and not freed. */
    public static long outstandingDma()
    {
        try
        {
            return (long) DMA.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    private static MethodHandle link(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(), descriptor);
    }
}
