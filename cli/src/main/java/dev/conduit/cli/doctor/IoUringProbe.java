package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.nativebindings.uring.IoUring;
import dev.conduit.nativebindings.uring.IoUringSupport;

/**
 * io_uring: whether a ring works here, its supported opcodes, whether SQPOLL is allowed, and how a
 * device ring's completions reach its thread (deferred, cooperative or by interrupt).
 */
final class IoUringProbe
{
    private IoUringProbe()
    {
    }

    static ObjectNode report()
    {
        final IoUringSupport support = IoUringSupport.probe();
        final ObjectNode uring = JsonNodeFactory.instance.objectNode();
        uring.put("available", support.available());
        uring.put("reason", support.reason());
        final ArrayNode opcodes = uring.putArray("opcodes");
        support.supportedOpcodes().forEach(opcodes::add);
        uring.put("sqpoll_allowed", support.sqpollAllowed());
        uring.put("sqpoll_detail", support.sqpollDetail());
        uring.put("completion_mode", support.available() ? completionMode() : "none");
        return uring;
    }

    /** The kind of ring a scheduler device gets here ({@code IoUring.createCooperative}). */
    static String completionMode()
    {
        try (IoUring ring = IoUring.createCooperative(2))
        {
            final int flags = ring.setupFlags();
            if (flags == IoUring.DEFERRED_FLAGS)
            {
                return "deferred (DEFER_TASKRUN, single issuer)";
            }
            return flags == IoUring.COOPERATIVE_FLAGS ? "cooperative (COOP_TASKRUN)" : "interrupt (plain ring)";
        }
        catch (final NativeException e)
        {
            return "unavailable: " + e.getMessage();
        }
    }
}
